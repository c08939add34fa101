/**
 * The live connection over a fake socket with time moved by hand: joining, the clock, stamping at
 * the touch, keeping and resending, reconnecting, reloading, and what the server refuses.
 */
import {
  type ClientMessage,
  type ClientMessageOf,
  PROTOCOL_VERSION,
  parseClientMessage,
  type ServerMessage,
} from '@attune/protocol';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Timer } from '../audio/scheduler.ts';
import {
  BACKOFF,
  DEAD_AFTER,
  FIRST_PINGS,
  type JoinRequest,
  LiveConnection,
  type LiveStatus,
  OFFLINE_AFTER,
  PAUSED_RETRY,
} from './connection.ts';
import { eventKey, MemoryStore } from './kept.ts';
import type { SocketFactory, SocketHandlers } from './socket.ts';

/** Time moved by hand: the device clock and the timers share it. */
class FakeTime implements Timer {
  now = 100;
  private next = 1;
  private readonly due = new Map<number, { at: number; run: () => void }>();
  setTimeout(run: () => void, ms: number): unknown {
    const id = this.next++;
    this.due.set(id, { at: this.now + ms / 1000, run });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.due.delete(handle as number);
  }
  /** Moves time on by `seconds`, running each timer that falls due, in order. */
  advance(seconds: number): void {
    const end = this.now + seconds;
    for (;;) {
      let first: [number, { at: number; run: () => void }] | null = null;
      for (const entry of this.due)
        if (entry[1].at <= end && (!first || entry[1].at < first[1].at)) first = entry;
      if (!first) break;
      this.due.delete(first[0]);
      this.now = Math.max(this.now, first[1].at);
      first[1].run();
    }
    this.now = end;
  }
}

/** One socket the connection opened, with what it sent and a way to answer. */
class FakeSocket {
  readonly sent: ClientMessage[] = [];
  closed: { code: number; reason: string } | null = null;
  constructor(readonly handlers: SocketHandlers) {}
  open(): void {
    this.handlers.open();
  }
  /** The server sends a message (as text, as the wire carries it). */
  receive(message: ServerMessage | string): void {
    this.handlers.message(typeof message === 'string' ? message : JSON.stringify(message));
  }
  /** The server (or the network) ends the link. */
  end(code = 1006): void {
    this.handlers.close(code, '');
  }
  of<K extends ClientMessage['type']>(type: K): ClientMessageOf<K>[] {
    return this.sent.filter((m): m is ClientMessageOf<K> => m.type === type);
  }
}

const TOKEN = 'Qm4sT9vX2bK7nR1wE5yU0a';
const JOIN: JoinRequest = { code: 'K7QP2M', role: 'participant', device: 'Tablet', name: 'JB', seat: 2 };
/** The session clock runs this far ahead of the fake device clock. */
const OFFSET = 40;

let time: FakeTime;
let store: MemoryStore;
let sockets: FakeSocket[];
let connect: SocketFactory;

beforeEach(() => {
  time = new FakeTime();
  store = new MemoryStore();
  sockets = [];
  connect = (handlers) => {
    const socket = new FakeSocket(handlers);
    sockets.push(socket);
    return {
      send: (text) => {
        // Whatever the device sends must pass the server's own check.
        const checked = parseClientMessage(text);
        if (!checked.ok) throw new Error(`the device sent an invalid message: ${checked.issue.reason}`);
        socket.sent.push(checked.message);
      },
      close: (code = 1000, reason = '') => {
        socket.closed = { code, reason };
      },
    };
  };
});

function live(join: JoinRequest = JOIN): LiveConnection {
  return new LiveConnection({
    join,
    connect,
    deviceNow: () => time.now,
    timer: time,
    store,
    random: () => 0.5,
  });
}

const last = (): FakeSocket => {
  const socket = sockets.at(-1);
  if (!socket) throw new Error('no socket was opened');
  return socket;
};

/** A device joined and admitted, its clock found. */
function admittedDevice(): LiveConnection {
  const device = live();
  device.start();
  last().open();
  last().receive({ type: 'waiting', participant: 'p1', resume: TOKEN });
  last().receive({
    type: 'admitted',
    participant: 'p1',
    role: 'participant',
    seat: 2,
    colour: '#56b4e9',
    session: 's1',
    nextClientSeq: 0,
    now: time.now + OFFSET,
  });
  syncClock();
  return device;
}

/** Answers the first pings as they come, 20 ms each way. */
function syncClock(socket = last()): void {
  for (let i = 0; i < FIRST_PINGS; i++) {
    const ping = socket.of('ping').at(-1);
    if (!ping) break;
    time.advance(0.02);
    const t1 = ping.t0 + 0.02 + OFFSET;
    time.advance(0.02);
    socket.receive({ type: 'pong', id: ping.id, t0: ping.t0, t1, t2: t1 });
  }
}

const note = { type: 'note', pitch: 64, velocity: 88, duration: 0.3 } as const;

describe('joining', () => {
  it('says hello with the protocol version, waits, and is let in', () => {
    const device = live();
    const statuses: LiveStatus[] = [];
    device.on('status', (s) => statuses.push(s));
    device.start();
    expect(device.status).toMatchObject({ phase: 'joining', link: 'connecting' });
    last().open();
    expect(last().sent[0]).toEqual({
      type: 'hello',
      protocol: PROTOCOL_VERSION,
      role: 'participant',
      device: 'Tablet',
      room: 'K7QP2M',
      name: 'JB',
      seat: 2,
    });
    last().receive({ type: 'waiting', participant: 'p1', resume: TOKEN });
    expect(device.status).toMatchObject({ phase: 'waiting', link: 'connected', participant: 'p1' });
    // Waiting, a play is not accepted: the therapist has not let the device in.
    expect(device.play(note, time.now)).toBeNull();
    last().receive({
      type: 'admitted',
      participant: 'p1',
      role: 'participant',
      seat: 3,
      colour: '#009e73',
      session: 's1',
      nextClientSeq: 0,
      now: 140,
    });
    expect(device.status).toMatchObject({ phase: 'in-room', seat: 3, colour: '#009e73', session: 's1' });
    expect(statuses.map((s) => s.phase)).toContain('waiting');
  });

  it('finds the session clock from pings, keeping the error of the best round trip', () => {
    const device = admittedDevice();
    const pings = last().of('ping');
    expect(pings).toHaveLength(FIRST_PINGS);
    const clock = device.status.clock;
    expect(clock?.offset).toBeCloseTo(OFFSET, 9);
    expect(clock?.error).toBeCloseTo(0.02, 9);
    expect(clock?.samples).toBe(FIRST_PINGS);
    expect(device.sessionTime(200)).toBeCloseTo(240, 9);
    expect(device.deviceTime(240)).toBeCloseTo(200, 9);
  });

  it('uses the time told at admission until the first pong comes back', () => {
    const device = live();
    device.start();
    last().open();
    last().receive({ type: 'waiting', participant: 'p1', resume: TOKEN });
    last().receive({
      type: 'admitted',
      participant: 'p1',
      role: 'participant',
      seat: 2,
      colour: null,
      session: 's1',
      nextClientSeq: 0,
      now: time.now + 7,
    });
    expect(device.status.clock).toBeNull();
    expect(device.sessionTime(time.now)).toBeCloseTo(time.now + 7, 9);
  });

  it('ignores a server message that fails its check, and says so', () => {
    const device = live();
    const problems: string[] = [];
    device.on('problem', (p) => problems.push(p));
    device.start();
    last().open();
    last().receive({ type: 'waiting', participant: 'p1', resume: TOKEN });
    const before = device.status;
    last().receive('{"type":"admitted","participant":"p1"}');
    last().receive('not json');
    last().receive(
      JSON.stringify({
        type: 'relay',
        participant: 'p2',
        clientSeq: 1,
        event: { ...note, t: 1, velocity: 300 },
      }),
    );
    expect(device.status).toEqual(before);
    expect(problems).toHaveLength(3);
    expect(problems[2]).toContain('/event/velocity');
  });

  it('passes room state, relays, companion notes and perception on, and follows its seat', () => {
    const device = admittedDevice();
    const seen: string[] = [];
    device.on('relay', (m) => seen.push(`relay ${m.participant}`));
    device.on('companion', (m) => seen.push(`companion ${m.notes.length}`));
    device.on('state', (m) => seen.push(`state ${m.participants.length}`));
    device.on('perception', (m) => seen.push(`perception ${m.participant}`));
    last().receive({ type: 'relay', participant: 'p2', clientSeq: 4, event: { ...note, t: 141 } });
    last().receive({
      type: 'companion',
      notes: [{ pitch: 48, velocity: 70, start: 141.2, duration: 0.5, voice: 'piano-left' }],
    });
    last().receive({
      type: 'state',
      participants: [
        { participant: 'p1', role: 'participant', name: 'JB', seat: 5, colour: '#f0e442', connected: true },
      ],
      waiting: [],
      settings: null,
    });
    last().receive({
      type: 'perception',
      participant: 'p2',
      t: 141,
      pulse: null,
      key: null,
      loudness: 60,
      density: 1,
      register: null,
      silent: false,
    });
    expect(seen).toEqual(['relay p2', 'companion 1', 'state 1', 'perception p2']);
    expect(device.status).toMatchObject({ seat: 5, colour: '#f0e442' });
    expect(device.state?.participants[0]?.name).toBe('JB');
  });
});

describe('playing', () => {
  it('stamps a note at the moment of the touch on the session clock, not when it is sent', () => {
    const device = admittedDevice();
    const touch = time.now;
    time.advance(0.015);
    const sent = device.play(note, touch);
    expect(sent?.event.t).toBeCloseTo(touch + OFFSET, 6);
    expect(last().of('play')).toEqual([sent]);
    expect(sent?.clientSeq).toBe(0);
    expect(device.play(note, time.now)?.clientSeq).toBe(1);
  });

  it('keeps every play (in storage too) until its ack, then forgets it', () => {
    const device = admittedDevice();
    const a = device.play(note, time.now);
    const b = device.play({ type: 'hit', instrument: 38, velocity: 90 }, time.now);
    expect(device.status.kept).toBe(2);
    expect(LiveConnection.hasKeptSeat(store, 'K7QP2M')?.pending).toEqual([a, b]);
    last().receive({ type: 'ack', clientSeq: a?.clientSeq ?? -1, seq: 10, duplicate: false });
    expect(device.pending()).toEqual([b]);
    expect(LiveConnection.hasKeptSeat(store, 'K7QP2M')?.pending).toEqual([b]);
    // An ack for nothing kept changes nothing.
    last().receive({ type: 'ack', clientSeq: 99, seq: 11, duplicate: false });
    expect(device.status.kept).toBe(1);
  });

  it('writes only the new event to storage at a touch, however many wait unacknowledged', () => {
    const device = admittedDevice();
    last().end();
    for (let i = 0; i < 500; i++) device.play(note, time.now);
    const writes: Array<[string, number]> = [];
    const setItem = store.setItem.bind(store);
    store.setItem = (key, value) => {
      writes.push([key, value.length]);
      setItem(key, value);
    };
    const sent = device.play(note, time.now);
    expect(writes).toEqual([[eventKey('K7QP2M', sent?.clientSeq ?? -1), expect.any(Number)]]);
    expect(writes[0]?.[1]).toBeLessThan(200);
    expect(LiveConnection.hasKeptSeat(store, 'K7QP2M')?.pending).toHaveLength(501);
  });

  it('lets a participant neither steer nor mark, and a speaker not play', () => {
    const device = admittedDevice();
    expect(device.steer({ type: 'start' }, time.now)).toBeNull();
    expect(device.mark('x', [], time.now)).toBeNull();
    const speaker = live({ code: 'K7QP2M', role: 'speaker', device: 'Room speaker' });
    speaker.start();
    last().open();
    last().receive({
      type: 'welcome',
      protocol: 1,
      participant: 'p9',
      role: 'speaker',
      seat: null,
      colour: null,
      resume: TOKEN,
      session: 's1',
      nextClientSeq: 0,
      now: 150,
    });
    expect(speaker.play(note, time.now)).toBeNull();
    expect(last().of('play')).toEqual([]);
  });

  it('sends again after not-recorded or rate-limited, and lets go of what the room calls invalid', () => {
    const device = admittedDevice();
    const a = device.play(note, time.now);
    const b = device.play(note, time.now);
    last().receive({
      type: 'error',
      code: 'not-recorded',
      message: 'keep it',
      ref: { type: 'play', clientSeq: a?.clientSeq ?? -1 },
    });
    expect(last().of('play')).toHaveLength(2);
    time.advance(1);
    expect(
      last()
        .of('play')
        .map((m) => m.clientSeq),
    ).toEqual([0, 1, 0, 1]);
    last().receive({
      type: 'error',
      code: 'invalid',
      message: 'ahead of the clock',
      path: '/t',
      ref: { type: 'play', clientSeq: b?.clientSeq ?? -1 },
    });
    expect(device.pending()).toEqual([a]);
    expect(device.status.refusedEvents).toBe(1);
  });
});

describe('a dropped link', () => {
  it('plays on while offline, comes back with its resume token, sends what was kept in order, once acknowledged', () => {
    const device = admittedDevice();
    device.play(note, time.now);
    last().receive({ type: 'ack', clientSeq: 0, seq: 1, duplicate: false });
    last().end();
    expect(device.status.link).toBe('reconnecting');
    // Played while the link is down: stamped at the touch, kept, not sent anywhere.
    const touches = [time.now, time.now + 0.4, time.now + 0.9];
    const kept = touches.map((at) => device.play(note, at));
    expect(kept.map((m) => m?.event.t)).toEqual(touches.map((at) => expect.closeTo(at + OFFSET, 6)));
    expect(device.status.kept).toBe(3);
    // Attempts fail for a while: the player is told calmly the device is offline.
    for (let i = 0; i < OFFLINE_AFTER; i++) {
      time.advance((BACKOFF[i] as number) + 0.001);
      last().end();
    }
    expect(device.status).toMatchObject({ link: 'offline', kept: 3, phase: 'in-room' });
    time.advance(8.001);
    const back = last();
    back.open();
    expect(back.sent[0]).toEqual({
      type: 'hello',
      protocol: PROTOCOL_VERSION,
      role: 'participant',
      device: 'Tablet',
      resume: TOKEN,
    });
    back.receive({
      type: 'welcome',
      protocol: 1,
      participant: 'p1',
      role: 'participant',
      seat: 2,
      colour: '#56b4e9',
      resume: TOKEN,
      session: 's1',
      nextClientSeq: 1,
      now: time.now + OFFSET,
    });
    expect(device.status.link).toBe('connected');
    expect(back.of('play')).toEqual(kept);
    for (const m of kept)
      back.receive({ type: 'ack', clientSeq: m?.clientSeq ?? -1, seq: 5, duplicate: false });
    expect(device.status.kept).toBe(0);
    expect(device.play(note, time.now)?.clientSeq).toBe(4);
  });

  it('takes a link that stops answering for dead, and replaces it', () => {
    const device = admittedDevice();
    const first = last();
    time.advance(DEAD_AFTER + 2.5);
    expect(first.closed).not.toBeNull();
    expect(device.status.link).toBe('reconnecting');
    // Whatever the dead socket still says is not listened to.
    first.receive({ type: 'refused', code: 'replaced', message: 'a new connection' });
    expect(device.status.phase).toBe('in-room');
    time.advance(1);
    expect(sockets.length).toBe(2);
  });

  it('after a reload, goes back to its seat with what it kept and sends it again', () => {
    const before = admittedDevice();
    const kept = [before.play(note, time.now), before.play(note, time.now + 0.2)];
    last().receive({ type: 'ack', clientSeq: 0, seq: 7, duplicate: false });
    before.close();
    // A new page, the same storage.
    expect(LiveConnection.hasKeptSeat(store, 'K7QP2M')?.pending).toEqual([kept[1]]);
    const after = live();
    expect(after.status.kept).toBe(1);
    after.start();
    last().open();
    expect(last().sent[0]).toMatchObject({ type: 'hello', resume: TOKEN });
    last().receive({
      type: 'welcome',
      protocol: 1,
      participant: 'p1',
      role: 'participant',
      seat: 2,
      colour: '#56b4e9',
      resume: TOKEN,
      session: 's1',
      nextClientSeq: 1,
      now: time.now + OFFSET,
    });
    expect(last().of('play')).toEqual([kept[1]]);
    expect(after.play(note, time.now)?.clientSeq).toBe(2);
  });

  it('asks for a seat again with the room code when its seat has lapsed', () => {
    const device = admittedDevice();
    device.play(note, time.now);
    last().end();
    time.advance(0.5);
    last().open();
    last().receive({ type: 'refused', code: 'unknown-resume', message: 'join again' });
    last().end(1008);
    expect(device.status.phase).toBe('joining');
    time.advance(1);
    last().open();
    expect(last().sent[0]).toMatchObject({ type: 'hello', room: 'K7QP2M', name: 'JB', seat: 2 });
    last().receive({ type: 'waiting', participant: 'p4', resume: 'a'.repeat(20) });
    expect(last().of('play')).toEqual([]);
    last().receive({
      type: 'admitted',
      participant: 'p4',
      role: 'participant',
      seat: 2,
      colour: '#56b4e9',
      session: 's1',
      nextClientSeq: 0,
      now: time.now + OFFSET,
    });
    // The same session: what was kept is recorded under the new seat.
    expect(last().of('play')).toHaveLength(1);
  });

  it('holds its seat and notes while its room is not running, asking slowly, and is back when it resumes', () => {
    const device = admittedDevice();
    const kept = device.play(note, time.now);
    last().end();
    // The studio restarted: the token is unknown, and the room's code not running yet.
    time.advance(0.5);
    last().open();
    last().receive({ type: 'refused', code: 'unknown-resume', message: 'join again' });
    last().end(1008);
    time.advance(1);
    last().open();
    expect(last().sent[0]).toMatchObject({ type: 'hello', room: 'K7QP2M' });
    last().receive({ type: 'refused', code: 'unknown-room', message: 'wait for the therapist to resume it' });
    last().end(1008);
    expect(device.status).toMatchObject({ phase: 'joining', paused: true, kept: 1 });
    expect(LiveConnection.hasKeptSeat(store, 'K7QP2M')?.pending).toEqual([kept]);
    // Asked again no faster than four times a minute (the studio counts five wrong codes a minute).
    const before = sockets.length;
    time.advance(PAUSED_RETRY * 0.74);
    expect(sockets.length).toBe(before);
    time.advance(PAUSED_RETRY * 0.6);
    expect(sockets.length).toBe(before + 1);
    last().open();
    last().receive({ type: 'waiting', participant: 'p7', resume: 'b'.repeat(20) });
    expect(device.status.paused).toBe(false);
    last().receive({
      type: 'admitted',
      participant: 'p7',
      role: 'participant',
      seat: 2,
      colour: '#56b4e9',
      session: 's1',
      nextClientSeq: 0,
      now: time.now + OFFSET,
    });
    expect(last().of('play')).toEqual([kept]);
  });

  it('ends on an unknown code for a device that was never in the room', () => {
    const device = live();
    device.start();
    last().open();
    last().receive({ type: 'refused', code: 'unknown-room', message: 'there is no room with that code' });
    expect(device.status).toMatchObject({ phase: 'ended', paused: false, ended: { code: 'unknown-room' } });
  });

  it('ends calmly when dismissed or when the session ends, forgetting the seat', () => {
    const device = admittedDevice();
    device.play(note, time.now);
    last().receive({ type: 'refused', code: 'room-closed', message: 'the session has ended' });
    last().end(1001);
    expect(device.status).toMatchObject({ phase: 'ended', ended: { code: 'room-closed' } });
    expect(store.items.size).toBe(0);
    time.advance(30);
    expect(sockets).toHaveLength(1);
    expect(device.play(note, time.now)).toBeNull();
  });

  it('comes back after a flood refusal, but not after its seat was taken up by another screen', () => {
    const device = admittedDevice();
    device.play(note, time.now);
    last().receive({ type: 'refused', code: 'flood', message: 'far too many messages' });
    last().end(1008);
    expect(device.status).toMatchObject({ phase: 'in-room', link: 'reconnecting' });
    time.advance(0.5);
    last().open();
    expect(last().sent[0]).toMatchObject({ type: 'hello', resume: TOKEN });
    last().receive({ type: 'refused', code: 'replaced', message: 'a new connection took the seat' });
    last().end(1008);
    expect(device.status).toMatchObject({ phase: 'ended', ended: { code: 'replaced' } });
    time.advance(30);
    expect(sockets).toHaveLength(2);
    // The other screen holds the seat now; what this one kept stays for it.
    expect(LiveConnection.hasKeptSeat(store, 'K7QP2M')?.pending).toHaveLength(1);
  });

  it('says bye and forgets the seat when the player leaves', () => {
    const device = admittedDevice();
    device.leave();
    expect(sockets[0]?.of('bye')).toHaveLength(1);
    expect(device.status).toMatchObject({ phase: 'ended', ended: { code: 'left' } });
    expect(store.items.size).toBe(0);
  });
});

describe('the therapist', () => {
  it('joins with the key, steers, marks and admits; the key is never kept', () => {
    const console_ = live({ code: 'K7QP2M', role: 'therapist', device: 'Console', key: 'secret-key' });
    console_.start();
    last().open();
    expect(last().sent[0]).toMatchObject({
      type: 'hello',
      role: 'therapist',
      room: 'K7QP2M',
      key: 'secret-key',
    });
    last().receive({
      type: 'welcome',
      protocol: 1,
      participant: 'therapist',
      role: 'therapist',
      seat: 0,
      colour: '#1f77b4',
      resume: TOKEN,
      session: 's1',
      nextClientSeq: 3,
      now: time.now + OFFSET,
    });
    expect(console_.steer({ type: 'energy', energy: 0.7 }, time.now)?.clientSeq).toBe(3);
    expect(console_.mark('first shared pulse', ['synchrony'], time.now)?.clientSeq).toBe(4);
    expect(console_.admit('p2', 4)).toBe(true);
    expect(last().of('admit')).toEqual([{ type: 'admit', participant: 'p2', seat: 4 }]);
    expect([...store.items.values()].join()).not.toContain('secret-key');
  });
});
