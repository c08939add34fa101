import { describe, expect, it } from 'vitest';
import type { ClockState } from './clock.ts';
import { DEFAULT_SETTINGS } from './settings.ts';
import { courseBeat, followKey, type Steered, Steering } from './steering.ts';

const clock = (index: number, time: number): ClockState => ({
  index,
  time,
  period: 0.5,
  anchor: { index: 0, time: 0 },
  together: 0,
  leading: false,
  found: true,
  own: 0,
  strokes: [],
});
const state: Steered = {
  settings: DEFAULT_SETTINGS,
  course: { kind: 'playing' },
  idiom: 'major',
  tonic: 0,
  spaceFromBeat: null,
};
const isIdiom = (name: string) => name === 'major' || name === 'minor';
const fourBeats = () => 4;

describe('Steering', () => {
  it('refuses a bad control with its value and logs nothing', () => {
    const s = new Steering(isIdiom);
    expect(() => s.give({ type: 'energy', energy: 1.7 }, 1, 'companion')).toThrow('got: 1.7');
    expect(() => s.give({ type: 'idiom', idiom: 'lydian' }, 1, 'companion')).toThrow(
      "unknown idiom 'lydian'",
    );
    expect(() => s.give({ type: 'start' }, Number.NaN, 'companion')).toThrow('got: NaN');
    expect(s.controls()).toEqual([]);
  });

  it('applies a beat control at the next beat and a bar control at the next downbeat, recording when', () => {
    const s = new Steering(isIdiom);
    s.give({ type: 'energy', energy: 0.9 }, 1.1, 'companion');
    s.give({ type: 'key', key: 'D' }, 1.1, 'companion');
    const early = s.applyDue(clock(2, 1), state, fourBeats);
    expect(early.settings.energy).toBe(0.5);
    const beat = s.applyDue(clock(3, 1.5), early, fourBeats);
    expect([beat.settings.energy, beat.tonic]).toEqual([0.9, 0]);
    const bar = s.applyDue(clock(4, 2), beat, fourBeats);
    expect(bar.tonic).toBe(2);
    expect(s.controls().map((c) => c.effective)).toEqual([1.5, 2]);
  });

  it('sets the course: a fade over its bars, an end with a cadence to its tonic, an end without at once', () => {
    const fade = new Steering(isIdiom);
    fade.give({ type: 'fade-out', bars: 2 }, 0, 'companion');
    expect(fade.applyDue(clock(8, 4), state, fourBeats).course).toEqual({
      kind: 'fading',
      fromBeat: 8,
      beats: 8,
    });
    const end = new Steering(isIdiom);
    end.give({ type: 'end', cadence: true }, 0, 'companion');
    expect(end.applyDue(clock(8, 4), state, fourBeats).course).toEqual({
      kind: 'ending',
      fromBeat: 8,
      tonicBeat: 12,
    });
    const stop = new Steering(isIdiom);
    stop.give({ type: 'end', cadence: false }, 0, 'companion');
    expect(stop.applyDue(clock(8, 4), state, fourBeats).course).toEqual({ kind: 'ended' });
  });

  it('starts a waiting companion at once, and only once', () => {
    const s = new Steering(isIdiom);
    s.give({ type: 'start' }, 0.3, 'companion');
    let waiting = true;
    const starts: number[] = [];
    const begin = (at: number) => {
      waiting = false;
      starts.push(at);
      return 0.4;
    };
    s.startIfAsked(0.2, () => waiting, begin);
    expect(starts).toEqual([]);
    s.startIfAsked(0.3, () => waiting, begin);
    s.startIfAsked(0.4, () => waiting, begin);
    expect(starts).toEqual([0.3]);
    expect(s.controls()[0]?.effective).toBe(0.4);
  });
});

describe('courseBeat', () => {
  it('fades linearly, ends a cadence on its tonic beat, and plays on otherwise', () => {
    expect(courseBeat({ kind: 'fading', fromBeat: 8, beats: 8 }, 12)).toEqual({
      scale: 0.5,
      cadenceFrom: null,
      last: false,
    });
    expect(courseBeat({ kind: 'fading', fromBeat: 8, beats: 8 }, 16)).toBeNull();
    expect(courseBeat({ kind: 'ending', fromBeat: 8, tonicBeat: 12 }, 12)).toEqual({
      scale: 1,
      cadenceFrom: 8,
      last: true,
    });
    expect(courseBeat({ kind: 'ending', fromBeat: 8, tonicBeat: 12 }, 13)).toBeNull();
    expect(courseBeat({ kind: 'ended' }, 0)).toBeNull();
    expect(courseBeat({ kind: 'playing' }, 3)).toEqual({ scale: 1, cadenceFrom: null, last: false });
  });
});

describe('followKey', () => {
  const auto = { ...DEFAULT_SETTINGS, key: 'auto', idiom: 'auto' };
  const aMinor = { tonicPc: 9, mode: 'minor', confidence: 0.5 } as const;
  const now = { tonic: 0, idiom: 'major', keyCandidate: null };
  it('moves to a key heard at two downbeats running, or at once on the first beat', () => {
    const once = followKey(auto, aMinor, now, false, () => 'minor');
    expect(once).toEqual({ tonic: 0, idiom: 'major', keyCandidate: '9:minor' });
    expect(followKey(auto, aMinor, once, false, () => 'minor')).toEqual({
      tonic: 9,
      idiom: 'minor',
      keyCandidate: '9:minor',
    });
    expect(followKey(auto, aMinor, now, true, () => 'minor').tonic).toBe(9);
  });
  it('keeps a key the therapist fixed, and ignores an unsure estimate', () => {
    const fixed = { ...DEFAULT_SETTINGS, key: 'C', idiom: 'major' };
    expect(followKey(fixed, aMinor, now, true, () => 'minor')).toBe(now);
    expect(followKey(auto, { ...aMinor, confidence: 0.1 }, now, true, () => 'minor')).toBe(now);
    const keyOnly = followKey({ ...auto, idiom: 'dorian' }, aMinor, now, true, () => 'minor');
    expect([keyOnly.tonic, keyOnly.idiom]).toEqual([9, 'major']);
  });
});
