import { describe, expect, it } from 'vitest';
import { analyzePerformance } from '../analysis/index.ts';
import type { NoteEvent } from '../events/index.ts';
import { MEASURES, measureOf, pairFromClient } from './measures.ts';
import { clientProgress, type ProgressSession } from './progress.ts';
import type { Rating } from './rating.ts';

const rate = (
  rater: string,
  item: string,
  value: number,
  participant: string | null,
  ratedAt = '2025-03-02T12:00:00Z',
): Rating => ({
  scale: 'nordoff-robbins-2',
  item,
  value,
  rater,
  ratedAt,
  participant,
  marks: [],
  note: '',
});

/** Quarter notes at 120 BPM for 30 s, climbing through `pitches`, all at one velocity. */
const notes = (pitches: number[], velocity: number, offset = 0): NoteEvent[] =>
  Array.from({ length: 60 }, (_, i) => ({
    type: 'note' as const,
    t: 1 + offset + i * 0.5,
    pitch: pitches[i % pitches.length] as number,
    velocity,
    duration: 0.4,
  }));

describe('clientProgress', () => {
  const first: ProgressSession = {
    session: 's1',
    date: '2025-01-10',
    note: 'First session.',
    participant: 'p1',
    ratings: [
      rate('ana', 'vocal', 2, 'p1'),
      rate('ben', 'vocal', 4, 'p1'),
      rate('ana', 'vocal', 1, 'p2'), // another client in the group
    ],
    analysis: analyzePerformance([
      { name: 'p1', events: notes([60, 62, 64, 65, 67], 60) },
      { name: 'therapist', events: notes([48, 55], 70, 0.02) },
    ]),
    partner: 'therapist',
  };
  const second: ProgressSession = {
    session: 's2',
    date: '2025-01-17',
    participant: 'p3',
    ratings: [],
    analysis: null,
  };
  const third: ProgressSession = {
    session: 's3',
    date: '2025-01-24T10:00:00Z',
    participant: 'p2',
    ratings: [
      rate('ana', 'vocal', 3, null, '2025-01-24T11:00:00Z'),
      rate('ana', 'vocal', 5, null, '2025-01-24T12:00:00Z'),
      rate('ana', 'instrumental', 6, 'p2'),
    ],
    analysis: analyzePerformance([{ name: 'p2', events: notes([60, 72], 90) }]),
  };

  it('orders the sessions by date and keeps their notes', () => {
    const p = clientProgress([third, first, second]);
    expect(p.sessions).toEqual([
      { session: 's1', date: '2025-01-10', note: 'First session.' },
      { session: 's2', date: '2025-01-17', note: '' },
      { session: 's3', date: '2025-01-24T10:00:00Z', note: '' },
    ]);
  });

  it("gives each rated item's mean over raters, each rater's latest value, and gaps where unrated", () => {
    const p = clientProgress([third, second, first]);
    expect(p.ratings.map((r) => r.item)).toEqual(['instrumental', 'vocal']);
    const vocal = p.ratings.find((r) => r.item === 'vocal');
    expect(vocal?.label).toBe('Vocal');
    expect(vocal?.points.map((x) => [x.session, x.value])).toEqual([
      ['s1', 3],
      ['s3', 5],
    ]);
    expect(vocal?.points[0]?.raters).toEqual([
      { rater: 'ana', value: 2, label: null },
      { rater: 'ben', value: 4, label: null },
    ]);
    expect(vocal?.points[0]?.note).toBe('First session.');
  });

  it('follows the measures of the client track, with the partner seen from the client', () => {
    const p = clientProgress([first, second, third]);
    const series = (id: string) =>
      p.measures.find((m) => m.measure === id)?.points.map((x) => [x.session, x.value]);
    expect(series('dynamics.mean')).toEqual([
      ['s1', 60],
      ['s3', 90],
    ]);
    expect(series('pitch.range')).toEqual([
      ['s1', 7],
      ['s3', 12],
    ]);
    expect(series('silence.share')).toEqual([
      ['s1', 0],
      ['s3', 0],
    ]);
    // The therapist plays 20 ms after every client note: all onsets together, 20 ms apart.
    const coincidence = series('synchrony.coincidence');
    expect(coincidence).toHaveLength(1);
    expect(coincidence?.[0]?.[1]).toBe(1);
    expect(series('synchrony.meanAbsolute')?.[0]?.[1]).toBeCloseTo(20, 6);
    expect(p.measures.find((m) => m.measure === 'dynamics.mean')?.label).toBe('Average loudness');
  });

  it('refuses a session without a readable date, and the same session twice', () => {
    expect(() => clientProgress([{ ...second, date: 'last Tuesday' }])).toThrow(
      'session s2 needs an ISO 8601 date, got: last Tuesday',
    );
    expect(() => clientProgress([first, first])).toThrow('session s1 appears twice');
  });

  it('is empty for no sessions', () => {
    expect(clientProgress([])).toEqual({ sessions: [], ratings: [], measures: [] });
  });
});

describe('the measure catalogue', () => {
  it('has unique ids and finds each', () => {
    expect(new Set(MEASURES.map((m) => m.id)).size).toBe(MEASURES.length);
    for (const m of MEASURES) expect(measureOf(m.id)).toBe(m);
    expect(measureOf('nothing')).toBeNull();
  });

  it('sees a pair from either side with the lead and the answers swapped', () => {
    const a = analyzePerformance([
      { name: 'x', events: notes([60], 60) },
      { name: 'y', events: notes([50], 60, 0.01) },
    ]);
    const fromX = pairFromClient(a, 'x', 'y');
    const fromY = pairFromClient(a, 'y', 'x');
    expect(fromX?.lead).toBeCloseTo(-(fromY?.lead ?? 0), 12);
    expect(fromX?.clientAnswers).toBe(fromY?.partnerAnswers);
    expect(pairFromClient(a, 'x', 'z')).toBeNull();
  });
});
