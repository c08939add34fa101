/**
 * A live room sat in from Node, for browser tests that record a session for real before they open
 * it in Chromium: the therapist's console and each player's tablet join over `ws` with the same
 * {@link LiveConnection} the pages use, the console admits the players one by one, and the test
 * waits until the studio has every event safe before it closes them.
 */

import { LiveConnection } from '../../src/live/connection.ts';
import { nodeSocket, until } from './socket.ts';
import type { StartedSession } from './therapist.ts';

/** This process's clock in seconds, as the pages' `performance.now()`: every connection here runs on it. */
export const deviceNow = (): number => performance.now() / 1000;

/** Waits `ms` milliseconds (the time between notes a player plays). */
export const sleep = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms));

/** A player's tablet in the room, and the seat (`p1`, `p2`, …) the console admitted it to. */
export interface Seated {
  readonly player: LiveConnection;
  readonly seat: string;
}

/** The therapist's console in a running session, and the players it has admitted. */
export class NodeRoom {
  /** The players admitted so far, in the order they came in. */
  readonly players: LiveConnection[] = [];

  private constructor(
    /** The therapist's console: what it plays, steers and marks is recorded as the therapist's. */
    readonly therapist: LiveConnection,
    private readonly ws: string,
    private readonly code: string,
  ) {}

  /** Opens the therapist's console on the session `started` and waits until it is in the room. */
  static async open(origin: string, started: StartedSession): Promise<NodeRoom> {
    const ws = `${origin.replace('http', 'ws')}/ws`;
    const therapist = new LiveConnection({
      join: { code: started.session.code, role: 'therapist', device: 'Console', key: started.key },
      connect: nodeSocket(ws),
      deviceNow,
    });
    therapist.start();
    await until('the therapist in the room', () => therapist.status.phase === 'in-room');
    return new NodeRoom(therapist, ws, started.session.code);
  }

  /** A tablet asks in as `name`, the console admits it, and it resolves once the player is in the room. */
  async admit(name: string): Promise<Seated> {
    const player = new LiveConnection({
      join: { code: this.code, role: 'participant', device: 'Tablet', name },
      connect: nodeSocket(this.ws),
      deviceNow,
    });
    player.start();
    const room = this.therapist;
    await until(`${name} waiting`, () => (room.state?.waiting ?? []).some((w) => w.name === name));
    const seat = room.state?.waiting.find((w) => w.name === name)?.participant ?? '';
    room.admit(seat);
    await until(`${name} in the room`, () => player.status.phase === 'in-room');
    this.players.push(player);
    return { player, seat };
  }

  /** Waits until the studio has acknowledged every event the console and the players sent. */
  acknowledged(what = 'every event acknowledged'): Promise<void> {
    return until(what, () => [this.therapist, ...this.players].every((c) => c.pending().length === 0));
  }

  /** Closes the players' connections, then the console's. */
  close(): void {
    for (const player of this.players) player.close();
    this.therapist.close();
  }
}
