/**
 * A seeded fuzz of a live room: devices join, are admitted, play, drop, stay away, come back and
 * resend, flood, send garbage and try to steer, while time moves on and the companion plays.
 * After every run: every message the server sent passed its schema, every acknowledged event is
 * in the log exactly once under the seq it was acknowledged with, no one but the therapist
 * steered or marked, no device heard the same event twice, and the room reported no failure.
 */
import { createRng, type Rng } from '@attune/engine';
import { CLIENT_EXAMPLES, type SteeringControl } from '@attune/protocol';
import { describe, expect, it } from 'vitest';
import { Device, roomSetup, SESSION, settle } from './test-support.ts';

const CONTROLS: SteeringControl[] = [
  { type: 'energy', energy: 0.8 },
  { type: 'techniques', techniques: ['dialogue'] },
  { type: 'tempo', tempo: { kind: 'hold', bpm: 84 } },
  { type: 'register', register: 50 },
  { type: 'voices', voices: ['mallets', 'bass'] },
  { type: 'start' },
  { type: 'key', key: 'D' },
];

/** Text a broken or hostile device might send. */
function garbage(rng: Rng): string {
  const valid = JSON.stringify(CLIENT_EXAMPLES.play);
  switch (rng.int(0, 7)) {
    case 0:
      return valid.slice(0, rng.int(0, valid.length - 1));
    case 1:
      return String.fromCharCode(...Array.from({ length: rng.int(0, 40) }, () => rng.int(0, 0xffff)));
    case 2:
      return JSON.stringify({ ...CLIENT_EXAMPLES.play, clientSeq: rng.pick([-1, 1.5, 2 ** 40, '3', null]) });
    case 3:
      return JSON.stringify({ type: rng.pick(['ack', 'relay', 'welcome', 'constructor', '']), x: 1 });
    case 4:
      return '{"type":"play","clientSeq":1,"event":{"type":"note","t":1e999,"pitch":60,"velocity":9,"duration":1}}';
    case 5:
      return JSON.stringify({
        type: 'mark',
        clientSeq: 1,
        t: 0,
        note: 'x'.repeat(rng.int(8000, 40_000)),
        tags: [],
      });
    case 6:
      return JSON.stringify({
        type: 'hello',
        protocol: 1,
        role: 'therapist',
        room: 'ABCDEF',
        key: 'x',
        device: 'd',
      });
    default:
      return JSON.stringify([{ type: 'bye' }]);
  }
}

async function fuzz(seed: number, steps: number): Promise<void> {
  const rng = createRng(seed);
  const { store, clock, directory, room, errors } = await roomSetup({
    seed,
    room: { companion: { seed }, resumeWindow: 120 },
  });
  try {
    const therapist = new Device(directory, '10.0.0.1');
    therapist.join('therapist', room.code);
    const devices: Device[] = [];
    const everyone = () => [therapist, ...devices];
    const admitted = (d: Device) =>
      therapist.last('state')?.participants.some((p) => p.participant === d.participant) ?? false;
    let peer = 2;

    for (let step = 0; step < steps; step++) {
      const action = rng.int(0, 15);
      const d = devices.length > 0 ? rng.pick(devices) : null;
      if (action === 0 && devices.length < 6) {
        const fresh = new Device(directory, `10.0.0.${peer++}`);
        fresh.join(rng.next() < 0.85 ? 'participant' : 'speaker', room.code, { name: `C${peer}` });
        devices.push(fresh);
      } else if (action === 1) {
        const waiting = therapist.last('state')?.waiting ?? [];
        if (waiting.length > 0) therapist.send({ type: 'admit', participant: rng.pick(waiting).participant });
      } else if (action <= 4 && d) {
        // Played now, or a moment ago (the device stamps at the touch; the message comes later).
        const t = Math.max(0, clock.now - rng.uniform(0, 0.05));
        d.emit({ type: 'play', event: { type: 'hit', t, instrument: 38, velocity: rng.int(1, 127) } });
      } else if (action === 5 && d) {
        d.socket.drop();
      } else if (action === 6 && d && !d.socket.open && d.token !== null) {
        d.reconnect();
      } else if (action === 7 && d?.socket.open) {
        d.resend();
      } else if (action === 8 && d) {
        // A participant tries to steer, mark or manage the room.
        const which = rng.int(0, 2);
        if (which === 0) d.emit({ type: 'steer', t: clock.now, control: rng.pick(CONTROLS) });
        else if (which === 1) d.emit({ type: 'mark', t: clock.now, note: 'mine', tags: [] });
        else d.send({ type: 'dismiss', participant: 'therapist' });
      } else if (action === 9) {
        if (rng.next() < 0.5) therapist.emit({ type: 'steer', t: clock.now, control: rng.pick(CONTROLS) });
        else therapist.emit({ type: 'mark', t: clock.now, note: `mark ${step}`, tags: ['fuzz'] });
      } else if (action === 10) {
        rng.pick(everyone()).raw(garbage(rng));
      } else if (action === 11) {
        clock.advance(rng.next() < 0.05 ? rng.uniform(5, 40) : rng.uniform(0, 0.2));
      } else if (action === 12 && d?.socket.open && rng.next() < 0.2) {
        for (let i = 0; i < 300; i++)
          d.emit({ type: 'play', event: { type: 'hit', t: clock.now, instrument: 42, velocity: 50 } });
      } else if (action === 13 && d && rng.next() < 0.1) {
        if (rng.next() < 0.5) d.send({ type: 'bye' });
        else therapist.send({ type: 'dismiss', participant: d.participant ?? 'p1' });
      } else if (action === 14 && d && admitted(d)) {
        therapist.send({ type: 'admit', participant: d.participant as string, seat: rng.int(1, 16) });
      } else {
        await settle(room);
      }
      // Reading checks every message against its schema and throws on the first bad one.
      for (const x of everyone()) x.take();
    }

    // Everyone still holding a seat comes back and sends what was not acknowledged.
    for (const d of everyone()) if (!d.socket.open && d.token !== null) d.reconnect();
    await settle(room);
    for (const d of everyone()) d.resend();
    await settle(room);

    const log = await store.sessions.read(SESSION);
    const keys = log.map((e) => `${e.participant}#${e.clientSeq}`);
    expect(new Set(keys).size).toBe(keys.length);
    const bySeq = new Map(log.map((e) => [`${e.participant}#${e.clientSeq}`, e.seq]));
    for (const d of everyone()) {
      for (const [clientSeq, seq] of d.acks) expect(bySeq.get(`${d.participant}#${clientSeq}`)).toBe(seq);
      const relays = d.all('relay').map((r) => `${r.participant}#${r.clientSeq}`);
      expect(new Set(relays).size).toBe(relays.length);
    }
    for (const e of log) {
      if (e.type === 'steer' || e.type === 'mark') expect(e.participant).toBe('therapist');
    }
    expect(errors).toEqual([]);
  } finally {
    await room.close();
    await store.close();
  }
}

const SEEDS = Number(process.env.ATTUNE_FUZZ_SEEDS ?? 12);

describe('room fuzz', () => {
  for (let seed = 1; seed <= SEEDS; seed++) {
    it(`keeps its invariants under random joins, drops, resends and bad messages (seed ${seed})`, async () => {
      await fuzz(seed, 300);
    });
  }
});

describe('pinned fuzz seeds', () => {
  it('seed 4: a resend written in the same batch as its original is acknowledged as a resend and relayed once', async () => {
    await fuzz(4, 300);
  });
});
