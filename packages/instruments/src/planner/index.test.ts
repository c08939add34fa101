import { describe, expect, it } from 'vitest';
import type { Envelope } from '../envelope/index.ts';
import type { Instrument, Zone } from '../zones/index.ts';
import { planNote, planNotes, releaseVoice, type SampleInfo, samplesNeeded } from './index.ts';

const FLAT: Envelope = { delay: 0, attack: 0, hold: 0, decay: 0, sustain: 1, release: 1 };

function zone(overrides: Partial<Zone>): Zone {
  return {
    sample: 's',
    keyLo: 0,
    keyHi: 127,
    velLo: 1,
    velHi: 127,
    rootKey: 60,
    scaleTuning: 100,
    gain: 1,
    pan: 0,
    start: 0,
    loop: null,
    envelope: FLAT,
    exclusiveClass: 0,
    velocityCurve: 'square',
    ...overrides,
  };
}

const instrument = (...zones: Zone[]): Instrument => ({ id: 'test', name: 'test', zones });
const INFO: Record<string, SampleInfo> = {
  s: { onset: 0.01, duration: 2 },
  loop: { onset: 0, duration: 1 },
  hat: { onset: 0, duration: 3 },
};
const info = (id: string) => INFO[id];

describe('planNote', () => {
  it("places the sample's attack on the note's time", () => {
    const [v] = planNote({ t: 1, key: 60, velocity: 127, duration: 0.5 }, instrument(zone({})), info);
    expect(v!.start).toBeCloseTo(0.99, 12);
    expect(v!.offset).toBe(0);
    expect(v!.rate).toBe(1);
    expect(v!.peak).toBe(1);
    expect(v!.release).toBe(1.5);
    // Released at 1.5, it falls 100 dB in 1 s; the 2 s buffer ends at 2.99 after that.
    expect(v!.stop).toBeCloseTo(2.5, 12);
  });

  it('shortens the lead-in of a sample played faster', () => {
    const [v] = planNote({ t: 1, key: 72, velocity: 127, duration: 0.1 }, instrument(zone({})), info);
    expect(v!.rate).toBe(2);
    expect(v!.start).toBeCloseTo(0.995, 12);
    // The buffer, played twice as fast, ends 1 s after it starts, before the release ends.
    expect(v!.stop).toBeCloseTo(0.995 + 1, 12);
  });

  it('joins late, part-way into the buffer, when its start is already past', () => {
    const [v] = planNote({ t: 1, key: 72, velocity: 127, duration: 0.1 }, instrument(zone({})), info, {
      notBefore: 1.2,
    });
    expect(v!.start).toBe(1.2);
    expect(v!.offset).toBeCloseTo((1.2 - 0.995) * 2, 12);
    expect(v!.envelopeStart).toBeCloseTo(0.995, 12);
  });

  it('starts a swelling zone on the note time and holds a loop until released', () => {
    const swell = zone({
      sample: 'loop',
      loop: { start: 0.1, end: 0.9 },
      envelope: { ...FLAT, attack: 0.5 },
    });
    const [held] = planNote({ t: 2, key: 60, velocity: 64, duration: null }, instrument(swell), info);
    expect(held!.start).toBe(2);
    expect(held!.stop).toBe(Number.POSITIVE_INFINITY);
    expect(held!.peak).toBeCloseTo((64 / 127) ** 2, 12);
    const released = releaseVoice(held!, 5, INFO.loop!);
    expect(released.release).toBe(5);
    expect(released.stop).toBeCloseTo(6, 12);
    expect(releaseVoice(released, 7, INFO.loop!)).toBe(released);
  });

  it('sounds every zone that covers the note and skips samples not loaded', () => {
    const layered = instrument(
      zone({ pan: -1 }),
      zone({ pan: 1 }),
      zone({ sample: 'missing' }),
      zone({ keyLo: 70 }),
    );
    const voices = planNote({ t: 0, key: 60, velocity: 100, duration: 1 }, layered, info);
    expect(voices.map((v) => v.pan)).toEqual([-1, 1]);
  });

  it('refuses a note without a finite time', () => {
    expect(() =>
      planNote({ t: Number.NaN, key: 60, velocity: 1, duration: 1 }, instrument(zone({})), info),
    ).toThrow(/got: NaN/);
  });
});

describe('planNotes', () => {
  const hat = instrument(zone({ sample: 'hat', exclusiveClass: 1 }));

  it('cuts a sounding voice of an exclusive class when the next one starts in its group', () => {
    const voices = planNotes(
      [
        { t: 0, key: 46, velocity: 100, duration: 2, group: '9', instrument: hat },
        { t: 0.5, key: 42, velocity: 100, duration: 0.1, group: '9', instrument: hat },
        { t: 0.25, key: 46, velocity: 100, duration: 2, group: 'other', instrument: hat },
      ],
      info,
    );
    expect(voices.map((v) => v.start)).toEqual([0, 0.25, 0.5]);
    expect(voices[0]!.release).toBe(0.5);
    expect(voices[0]!.stop).toBeCloseTo(0.52, 12);
    // Another group is not cut.
    expect(voices[1]!.release).toBe(2.25);
  });

  it('lists the samples the notes need', () => {
    const two = instrument(zone({ keyHi: 63 }), zone({ sample: 'loop', keyLo: 64 }));
    expect([...samplesNeeded([{ t: 0, key: 60, velocity: 1, duration: 1, instrument: two }])]).toEqual(['s']);
  });
});
