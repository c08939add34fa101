import { describe, expect, it } from 'vitest';
import { type HopReading, toVoiceFrame, type VoiceEvent, VoiceSegmenter } from './segmenter.ts';

const STEP = 0.0025;

function hops(count: number, reading: (t: number, i: number) => Partial<HopReading>): VoiceEvent[] {
  const segmenter = new VoiceSegmenter();
  const out: VoiceEvent[] = [];
  for (let i = 1; i <= count; i++) {
    const t = i * STEP;
    out.push(
      ...segmenter.update({ t, loudness: 0, open: false, onset: null, pitch: null, ...reading(t, i) }),
    );
  }
  return out;
}

describe('VoiceSegmenter', () => {
  it('drops an energy onset the gate never opened for (the room)', () => {
    expect(hops(100, (_t, i) => ({ onset: i === 10 ? 0.02 : null }))).toEqual([]);
  });

  it('starts a note when the gate opens without an onset (a swelling hum), unpitched after 100 ms', () => {
    const events = hops(200, (t) => ({ open: t >= 0.1 && t < 0.4, loudness: t >= 0.1 && t < 0.4 ? 0.3 : 0 }));
    expect(events[0]).toEqual({ kind: 'onset', t: 0.1, pitch: null, loudness: 0.3 });
    expect(events.at(-1)).toMatchObject({ kind: 'end' });
    expect((events.at(-1) as { t: number }).t).toBeCloseTo(0.4, 6);
  });

  it('says nothing of a click too short to announce', () => {
    expect(
      hops(200, (t) => ({ open: t >= 0.1 && t < 0.12, loudness: 0.5, onset: t === 0.1 ? 0.1 : null })),
    ).toEqual([]);
  });
});

describe('toVoiceFrame', () => {
  it('puts onsets, contours and ends on the session clock as the protocol carries them', () => {
    const session = (t: number) => t - 10;
    expect(toVoiceFrame({ kind: 'onset', t: 11, pitch: 60.2, loudness: 0.5 }, session)).toEqual({
      type: 'voice',
      t: 1,
      pitch: 60.2,
      loudness: 0.5,
      onset: true,
    });
    expect(toVoiceFrame({ kind: 'contour', t: 12, pitch: null, loudness: 1.2 }, session)).toEqual({
      type: 'voice',
      t: 2,
      pitch: null,
      loudness: 1,
      onset: false,
    });
    expect(toVoiceFrame({ kind: 'end', t: 9, duration: 1 }, session)).toEqual({
      type: 'voice',
      t: 0,
      pitch: null,
      loudness: 0,
      onset: false,
    });
  });
});
