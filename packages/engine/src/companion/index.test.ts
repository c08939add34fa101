import { describe, expect, it } from 'vitest';
import type { HitEvent } from '../events/index.ts';
import { Companion, type PlannedNote } from './index.ts';
import { accompany } from './offline.ts';
import { plainMaterial, ScriptedEar } from './test-support/fakes.ts';

/** A client beating steadily: a hit on every beat of `period` from `from` to `to`. */
function beating(period: number, from: number, to: number, velocity = 80): HitEvent[] {
  const hits: HitEvent[] = [];
  for (let t = from; t < to - 1e-9; t += period) hits.push({ type: 'hit', t, instrument: 38, velocity });
  return hits;
}

function make(settings: ConstructorParameters<typeof Companion>[0] = {}, period = 0.5): Companion {
  return new Companion(settings, 3, { ear: new ScriptedEar(period), material: plainMaterial });
}

/** Drives a companion as a room host does, returning every note it planned. */
function drive(
  companion: Companion,
  hits: readonly HitEvent[],
  until: number,
  from = 0,
  tick = 0.025,
  lookahead = 0.1,
) {
  const notes: PlannedNote[] = [];
  let reached = from > 0 ? from + lookahead - tick : Number.NEGATIVE_INFINITY;
  let i = hits.findIndex((h) => h.t > from - tick);
  if (i < 0) i = hits.length;
  for (let k = Math.round(from / tick); k * tick <= until; k++) {
    const now = k * tick;
    while (i < hits.length && (hits[i] as HitEvent).t <= now) companion.hear('client', hits[i++] as HitEvent);
    for (const n of companion.plan(now, now + lookahead)) if (n.start >= reached) notes.push(n);
    reached = now + lookahead;
  }
  return notes;
}

describe('Companion plan loop', () => {
  it('waits silently until the client plays, then comes in on their beat', () => {
    const c = make();
    expect(c.plan(0, 1)).toEqual([]);
    const notes = drive(make(), beating(0.5, 1, 6), 6);
    expect(notes.length).toBeGreaterThan(0);
    const first = Math.min(...notes.map((n) => n.start));
    expect(first).toBeGreaterThan(1);
    // Every beat note falls on the client's grid of 0.5 s.
    for (const n of notes.filter((n) => n.voice === 'piano-left')) {
      expect(Math.abs(n.start / 0.5 - Math.round(n.start / 0.5))).toBeLessThan(1e-6);
    }
  });

  it('never plans into the past: every note starts at or after the time of the call that planned it', () => {
    const c = make({ techniques: ['synchronise', 'match'] });
    const hits = beating(0.5, 0.3, 8);
    let i = 0;
    for (let now = 0; now <= 8; now += 0.025) {
      while (i < hits.length && (hits[i] as HitEvent).t <= now) c.hear('client', hits[i++] as HitEvent);
      for (const n of c.plan(now, now + 0.1)) expect(n.start).toBeGreaterThanOrEqual(now);
    }
  });

  it('does not take back what it planned: an overlapping window returns the same notes', () => {
    const c = make();
    for (const h of beating(0.5, 0, 2)) c.hear('client', h);
    const first = c.plan(2, 2.6);
    const again = c.plan(2.1, 2.6);
    expect(again).toEqual(first.filter((n) => n.start >= 2.1));
    expect(() => c.plan(1.9, 2)).toThrow('cannot go back in time');
    expect(() => c.plan(3, 2.5)).toThrow('finite from <= to');
    expect(() => c.plan(Number.NaN, 3)).toThrow('got: NaN');
  });

  it('is deterministic for the same inputs, settings and seed', () => {
    const hits = beating(0.45, 0.2, 10);
    const a = drive(make({ techniques: ['match'] }), hits, 10);
    const b = drive(make({ techniques: ['match'] }), hits, 10);
    expect(a).toEqual(b);
  });

  it('hears players slightly out of order as together, and drops what comes too late', () => {
    const ear = new ScriptedEar(0.5);
    const c = new Companion({}, 1, { ear, material: plainMaterial });
    c.hear('a', { type: 'hit', t: 1, instrument: 38, velocity: 90 });
    c.hear('b', { type: 'note', t: 0.98, pitch: 60, velocity: 70, duration: 0.2 });
    c.hear('b', { type: 'note', t: 0.5, pitch: 62, velocity: 70, duration: 0.2 });
    c.hear('a', { type: 'voice', t: 1.2, pitch: 60, loudness: 0.5, onset: false });
    expect(ear.heard.map((o) => [o.t, o.pitch])).toEqual([
      [1, 38],
      [1, 60],
    ]);
  });

  it('does not hear itself', () => {
    const ear = new ScriptedEar(0.5);
    const c = new Companion({}, 1, { ear, material: plainMaterial });
    c.hear('companion', { type: 'hit', t: 0, instrument: 38, velocity: 90 });
    c.hear('client', { type: 'hit', t: 0.1, instrument: 38, velocity: 90 });
    expect(ear.heard.map((o) => o.t)).toEqual([0.1]);
  });

  it('refuses bad settings with a one-line reason naming the value', () => {
    const bad = (s: object, message: string) =>
      expect(() => new Companion(s, 1, { ear: new ScriptedEar(0.5), material: plainMaterial })).toThrow(
        message,
      );
    bad({ idiom: 'bebop' }, "unknown idiom 'bebop'");
    bad({ key: 'H' }, "got: 'H'");
    bad({ energy: 1.7 }, 'got: 1.7');
    bad({ techniques: [] }, 'at least one technique');
    bad({ techniques: ['groove'] }, "unknown technique 'groove'");
    bad({ tempo: { kind: 'hold', bpm: 500 } }, 'got: 500');
    bad({ voices: ['kazoo'] }, "unknown voice 'kazoo'");
    bad({ register: 200 }, 'got: 200');
  });
});

describe('steering', () => {
  it('takes effect at the next beat and is recorded as a control event', () => {
    const c = make({ energy: 0.2, techniques: ['synchronise'] });
    const hits = beating(0.5, 0, 8);
    const notes: PlannedNote[] = [];
    let reached = Number.NEGATIVE_INFINITY;
    let i = 0;
    let event: ReturnType<Companion['steer']> | null = null;
    for (let now = 0; now <= 8; now += 0.025) {
      while (i < hits.length && (hits[i] as HitEvent).t <= now) c.hear('client', hits[i++] as HitEvent);
      if (event === null && now >= 4.1) event = c.steer({ type: 'energy', energy: 1 }, 4.1);
      for (const n of c.plan(now, now + 0.1)) if (n.start >= reached) notes.push(n);
      reached = now + 0.1;
    }
    expect(event).toMatchObject({
      type: 'control',
      t: 4.1,
      control: { type: 'energy', energy: 1 },
      effective: null,
    });
    const recorded = c.controls()[0];
    expect(recorded?.effective).toBeCloseTo(4.5, 6);
    // Loudness changes only from that beat on, and then arrives gradually.
    const before = notes.filter((n) => n.start < 4.5).map((n) => n.velocity);
    const after = notes.filter((n) => n.start >= 4.5 && n.start < 4.6).map((n) => n.velocity);
    expect(new Set(before).size).toBe(1);
    expect(Math.min(...after)).toBeGreaterThan(Math.max(...before));
  });

  it('waits for the next bar to change key, and then plays in the new key', () => {
    const c = make({ key: 'C', idiom: 'major' });
    const hits = beating(0.5, 0, 6);
    let i = 0;
    for (let now = 0; now <= 6; now += 0.025) {
      while (i < hits.length && (hits[i] as HitEvent).t <= now) c.hear('client', hits[i++] as HitEvent);
      if (Math.abs(now - 2.6) < 0.01) c.steer({ type: 'key', key: 'G' }, now);
      c.plan(now, now + 0.1);
    }
    // Beats at 0.5·k from the first beat at 0.5: bars start at 0.5, 2.5, 4.5.
    expect(c.controls()[0]?.effective).toBeCloseTo(4.5, 6);
  });

  it('waits for the therapist to start it when told to, then comes in at once', () => {
    const c = make({ autoStart: false, startTempo: 120 });
    const hits = beating(0.5, 0, 6);
    expect(drive(c, hits, 2)).toEqual([]);
    c.steer({ type: 'start' }, 2.05);
    const notes = drive(c, hits, 6, 2.05);
    expect(c.controls()[0]?.effective).toBeGreaterThanOrEqual(2.05);
    expect(Math.min(...notes.map((n) => n.start))).toBeCloseTo(c.controls()[0]?.effective as number, 6);
    expect(notes.filter((n) => n.voice === 'piano-left').length).toBeGreaterThan(6);
  });

  it('refuses a bad control and changes nothing', () => {
    const c = make();
    expect(() => c.steer({ type: 'energy', energy: 2 }, 1)).toThrow('got: 2');
    expect(() => c.steer({ type: 'fade-out', bars: 0 }, 1)).toThrow('got: 0');
    expect(() => c.steer({ type: 'idiom', idiom: 'bebop' }, 1)).toThrow("unknown idiom 'bebop'");
    expect(() => c.steer({ type: 'start' }, Number.POSITIVE_INFINITY)).toThrow('got: Infinity');
    expect(c.controls()).toEqual([]);
  });

  it('make-space is silent within two beats of taking effect', () => {
    const c = make({ techniques: ['synchronise'], energy: 0.9 });
    const hits = beating(0.5, 0, 10);
    const notes: PlannedNote[] = [];
    let reached = Number.NEGATIVE_INFINITY;
    let i = 0;
    for (let now = 0; now <= 10; now += 0.025) {
      while (i < hits.length && (hits[i] as HitEvent).t <= now) c.hear('client', hits[i++] as HitEvent);
      if (Math.abs(now - 5.05) < 0.01) c.steer({ type: 'techniques', techniques: ['make-space'] }, now);
      for (const n of c.plan(now, now + 0.1)) if (n.start >= reached) notes.push(n);
      reached = now + 0.1;
    }
    const effective = c.controls()[0]?.effective as number;
    expect(effective).toBeCloseTo(5.5, 6);
    const sounding = notes.filter((n) => n.start + n.duration > effective + 2 * 0.5 + 1e-9);
    expect(sounding).toEqual([]);
    expect(notes.some((n) => n.start >= effective)).toBe(true);
  });

  it('fades out over the requested bars and then stops', () => {
    const c = make({ techniques: ['synchronise'], energy: 0.8 });
    const hits = beating(0.5, 0, 16);
    const notes = drive(c, hits, 1);
    c.steer({ type: 'fade-out', bars: 2 }, 1);
    notes.push(...drive(c, hits, 16, 1.025));
    const effective = c.controls()[0]?.effective as number;
    expect(effective).toBeCloseTo(2.5, 6);
    const fading = notes.filter((n) => n.start >= effective && n.voice === 'piano-left');
    expect(fading.length).toBe(8);
    for (let k = 1; k < fading.length; k++) {
      expect((fading[k] as PlannedNote).velocity).toBeLessThan((fading[k - 1] as PlannedNote).velocity);
    }
    expect(notes.filter((n) => n.start >= effective + 4 * 0.5 * 2)).toEqual([]);
  });

  it('ends with a cadence: the dominant for a bar, then the tonic on the next downbeat, then silence', () => {
    const c = make({ techniques: ['synchronise'] });
    const hits = beating(0.5, 0, 16);
    const notes = drive(c, hits, 1);
    c.steer({ type: 'end', cadence: true }, 1);
    notes.push(...drive(c, hits, 16, 1.025));
    const effective = c.controls()[0]?.effective as number;
    const last = notes.filter((n) => n.voice === 'piano-left').at(-1) as PlannedNote;
    expect(last.pitch).toBe(48);
    expect(last.start).toBeCloseTo(effective + 2, 6);
    expect(last.duration).toBeCloseTo(2, 6);
    const dominant = notes.filter(
      (n) => n.voice === 'piano-left' && n.start >= effective && n.start < effective + 2,
    );
    expect(dominant.map((n) => n.pitch)).toEqual([55, 55, 55, 55]);
  });
});

describe('accompany (the live loop offline)', () => {
  it('refuses a lookahead under 50 ms or a tick longer than the lookahead', () => {
    expect(() => accompany([], {}, 1, { tick: 0.025, lookahead: 0.04 }, { material: plainMaterial })).toThrow(
      'at least 0.05',
    );
    expect(() => accompany([], {}, 1, { tick: 0.2, lookahead: 0.1 }, { material: plainMaterial })).toThrow(
      'tick',
    );
  });

  it('cutting the input at T changes none of the notes before T + 40 ms', () => {
    const hits = beating(0.5, 0.1, 6).concat(beating(0.4, 6.1, 12));
    const options = () => ({ ear: new ScriptedEar(0.5), material: plainMaterial });
    const full = accompany(hits, { techniques: ['synchronise', 'match'] }, 5, undefined, options()).notes;
    for (const cut of [3.03, 6.2, 7.77]) {
      const part = accompany(
        hits.filter((h) => h.t < cut),
        { techniques: ['synchronise', 'match'] },
        5,
        { tick: 0.025, lookahead: 0.1, until: 14 },
        options(),
      ).notes;
      const early = (ns: PlannedNote[]) => ns.filter((n) => n.start < cut + 0.04);
      expect(early(part)).toEqual(early(full));
    }
  });
});
