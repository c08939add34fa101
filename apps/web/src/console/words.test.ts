import { describe, expect, it } from 'vitest';
import {
  activityWords,
  heardWords,
  leadWords,
  loudnessWords,
  type PerceptionSummary,
  pulseWords,
} from './words.ts';

const summary = (over: Partial<PerceptionSummary> = {}): PerceptionSummary => ({
  type: 'perception',
  participant: 'p1',
  t: 64,
  pulse: { bpm: 96.4, confidence: 0.72 },
  key: { tonic: 'D', mode: 'dorian', confidence: 0.55 },
  loudness: 81,
  density: 2.4,
  register: 62,
  silent: false,
  ...over,
});

describe('what Attune hears, in words', () => {
  it('claims a pulse only as far as its confidence goes', () => {
    expect(pulseWords(null)).toBe('No clear pulse yet');
    expect(pulseWords({ bpm: 96.4, confidence: 0.1 })).toBe('No clear pulse yet');
    expect(pulseWords({ bpm: 96.4, confidence: 0.45 })).toBe('A pulse is forming, about 96 a minute');
    expect(pulseWords({ bpm: 96.6, confidence: 0.72 })).toBe('A steady pulse, about 97 a minute');
  });

  it('names loudness and activity from quiet to very loud, resting to very busy', () => {
    expect([20, 50, 70, 90, 120].map(loudnessWords)).toEqual([
      'Very quiet',
      'Quiet',
      'Moderate',
      'Strong',
      'Very loud',
    ]);
    expect(activityWords(3, true)).toBe('Resting');
    expect([0.2, 1, 3, 6].map((d) => activityWords(d, false))).toEqual([
      'A note now and then',
      'Playing steadily',
      'Playing busily',
      'Playing very busily',
    ]);
  });

  it('puts a whole summary in words, with the tempo figure only when a pulse is heard', () => {
    expect(heardWords(summary())).toEqual({
      pulse: 'A steady pulse, about 96 a minute',
      sureness: 'Steady pulse',
      bpm: 96,
      confidence: 0.72,
      loudness: 'Strong',
      activity: 'Playing busily',
      key: 'Around D Dorian',
    });
    const quiet = heardWords(
      summary({ pulse: null, silent: true, key: { tonic: 'Bb', mode: 'major', confidence: 0.9 } }),
    );
    expect(quiet).toMatchObject({
      sureness: 'No clear pulse yet',
      bpm: null,
      loudness: 'Silent',
      activity: 'Resting',
      key: null,
    });
    expect(heardWords(summary({ pulse: { bpm: 80, confidence: 0.4 } })).sureness).toBe('Pulse forming');
    expect(heardWords(summary({ key: { tonic: 'Bb', mode: 'major', confidence: 0.9 } })).key).toBe(
      'Around B♭ major',
    );
    expect(heardWords(summary({ key: { tonic: 'F#', mode: 'minor', confidence: 0.2 } })).key).toBeNull();
  });

  it('says who leads only when the engine is sure enough, naming the clearer pair', () => {
    const name = (id: string) => (id === 'companion' ? 'the companion' : id.toUpperCase());
    expect(leadWords([], name)).toBe('Not enough heard yet');
    expect(leadWords([{ a: 'p1', b: 'companion', index: 0.9, confidence: 0.1 }], name)).toBe(
      'Nobody clearly leads',
    );
    expect(leadWords([{ a: 'p1', b: 'companion', index: 0.1, confidence: 0.9 }], name)).toBe(
      'Nobody clearly leads',
    );
    expect(
      leadWords(
        [
          { a: 'p1', b: 'companion', index: 0.4, confidence: 0.5 },
          { a: 'p2', b: 'companion', index: -0.8, confidence: 0.7 },
        ],
        name,
      ),
    ).toBe('The companion leads; P2 follows');
    expect(leadWords([{ a: 'p1', b: 'p2', index: 0.5, confidence: 0.6 }], name)).toBe('P1 leads; P2 follows');
  });
});
