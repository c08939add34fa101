/**
 * Who is in a room: each device's participant id, role, seat and colour, whether the therapist has
 * admitted it, its resume token and its connection of the moment. Ids are never reused within a
 * room, since the session log names participants by them.
 */
import type { Seconds } from '@attune/engine';
import { colourOf, MAX_SEATS, type Role, type ServerMessageOf } from '@attune/protocol';
import type { Connection } from './connection.ts';
import { Listener } from './host.ts';

/** The therapist's participant id. */
export const THERAPIST = 'therapist';

/** A device in the room. */
export interface Member {
  readonly id: string;
  readonly role: Role;
  readonly token: string;
  readonly name: string | null;
  device: string;
  seat: number | null;
  readonly wantsSeat: number | null;
  admitted: boolean;
  left: boolean;
  connection: Connection | null;
  /** When its connection dropped (session time), while it is away. */
  goneAt: Seconds | null;
  /** One past the highest clientSeq logged for it. */
  nextClientSeq: number;
  /**
   * The highest clientSeq the room has relayed and heard. A device numbers its events in the order
   * it plays them and resends what was not acknowledged in that order, so anything at or below
   * this was heard already (a resend racing its acknowledgement) and is not played twice.
   */
  heardUpTo: number;
  /** What the room hears of its playing (null for a speaker). */
  readonly listener: Listener | null;
}

/** A member as tests and the server's status page see it. */
export interface MemberView {
  readonly id: string;
  readonly role: Role;
  readonly seat: number | null;
  readonly admitted: boolean;
  readonly connected: boolean;
}

/** Where a room reopened on a logged session resumes its numbering. */
export interface Continuation {
  /** The highest participant number used (p1, p2, ...): new devices get higher ones. */
  readonly participants: number;
  /** The therapist's next clientSeq (the therapist keeps one id for the whole session). */
  readonly therapist: number;
  /** The companion's next clientSeq. */
  readonly companion: number;
}

/**
 * The numbering a reopened room continues from, read from what the session log holds, so that no
 * new device takes an id already in the log and no new event reuses a logged clientSeq.
 * @example continuation([{ participant: 'p2', clientSeq: 7 }, { participant: 'therapist', clientSeq: 3 }]) // { participants: 2, therapist: 4, companion: 0 }
 */
export function continuation(logged: Iterable<{ participant: string; clientSeq: number }>): Continuation {
  let participants = 0;
  let therapist = 0;
  let companion = 0;
  for (const e of logged) {
    const numbered = /^p(\d+)$/.exec(e.participant);
    if (numbered) participants = Math.max(participants, Number(numbered[1]));
    else if (e.participant === THERAPIST) therapist = Math.max(therapist, e.clientSeq + 1);
    else if (e.participant === 'companion') companion = Math.max(companion, e.clientSeq + 1);
  }
  return { participants, therapist, companion };
}

/** The devices of one room. */
export class Roster {
  private readonly byId = new Map<string, Member>();
  private readonly byToken = new Map<string, Member>();
  private nextParticipant: number;

  constructor(
    private readonly token: () => string,
    private readonly from?: Continuation,
  ) {
    this.nextParticipant = (from?.participants ?? 0) + 1;
  }

  /** A new device, waiting for admission (the therapist is admitted on seat 0 at once). */
  add(role: Role, name: string | null, device: string, wantsSeat: number | null): Member {
    const therapist = role === 'therapist';
    const member: Member = {
      id: therapist ? THERAPIST : `p${this.nextParticipant++}`,
      role,
      token: this.token(),
      name,
      device,
      seat: therapist ? 0 : null,
      wantsSeat,
      admitted: therapist,
      left: false,
      connection: null,
      goneAt: null,
      nextClientSeq: therapist ? (this.from?.therapist ?? 0) : 0,
      heardUpTo: therapist ? (this.from?.therapist ?? 0) - 1 : -1,
      listener: role === 'speaker' ? null : new Listener(),
    };
    this.byId.set(member.id, member);
    this.byToken.set(member.token, member);
    return member;
  }

  get(id: string): Member | undefined {
    return this.byId.get(id);
  }

  withToken(token: string): Member | undefined {
    return this.byToken.get(token);
  }

  /** Everyone still in the room (admitted or waiting, connected or away). */
  present(): Member[] {
    return [...this.byId.values()];
  }

  /** The device leaves for good: its seat is free and its token ends. */
  leave(member: Member): void {
    member.left = true;
    member.seat = null;
    this.byToken.delete(member.token);
    this.byId.delete(member.id);
  }

  /**
   * The seat to give `target`: the one asked for, else the one it has or wished for if free, else
   * the lowest free seat; a string says why there is none. Speakers sit nowhere.
   */
  seatFor(target: Member, asked: number | undefined): number | null | { refused: string } {
    if (target.role === 'speaker') return null;
    const taken = new Set(
      this.present()
        .filter((m) => m !== target && m.admitted && m.seat !== null)
        .map((m) => m.seat),
    );
    if (asked !== undefined) return taken.has(asked) ? { refused: `seat ${asked} is taken` } : asked;
    const wanted = target.seat ?? target.wantsSeat;
    if (wanted !== null && !taken.has(wanted)) return wanted;
    for (let s = 1; s <= MAX_SEATS; s++) if (!taken.has(s)) return s;
    return { refused: 'every seat is taken' };
  }

  /** The room's state as `viewer` may see it: only the therapist is told who waits. */
  stateFor(viewer: Member, settings: ServerMessageOf<'state'>['settings']): ServerMessageOf<'state'> {
    const present = this.present();
    const participants = present
      .filter((m) => m.admitted)
      .map((m) => ({
        participant: m.id,
        role: m.role,
        name: m.name,
        seat: m.seat,
        colour: colourOf(m.seat),
        connected: m.connection !== null,
      }));
    const waiting =
      viewer.role === 'therapist'
        ? present
            .filter((m) => !m.admitted)
            .map((m) => ({
              participant: m.id,
              role: m.role,
              name: m.name,
              device: m.device,
              seat: m.wantsSeat,
              connected: m.connection !== null,
            }))
        : [];
    return { type: 'state', participants, waiting, settings };
  }

  view(): MemberView[] {
    return this.present().map((m) => ({
      id: m.id,
      role: m.role,
      seat: m.seat,
      admitted: m.admitted,
      connected: m.connection?.open ?? false,
    }));
  }
}
