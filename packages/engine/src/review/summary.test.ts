import { describe, expect, it } from 'vitest';
import { accompany } from '../companion/index.ts';
import { createRng } from '../random/index.ts';
import { simulatePlayer } from '../simulate/index.ts';
import type { LogEntry } from './log.ts';
import { reviewMeasures } from './measures.ts';
import { expandSummary, SUMMARY_VERSION, summarise } from './summary.ts';
import { buildTimeline, type Timeline } from './timeline.ts';

/** A session as the room logs it: a pianist, a drummer, a singer, the companion, steering and a live mark, and one broken entry. */
function session(): LogEntry[] {
  const rng = createRng(7);
  const piano = simulatePlayer({ bpm: 96, bars: 12, style: 'piano' }, rng.fork()).events;
  const drums = simulatePlayer({ bpm: 96, bars: 12, style: 'hits' }, rng.fork()).events;
  const companion = accompany(piano, {}, 3);
  const entries: Omit<LogEntry, 'seq'>[] = [
    ...piano.map((event) => ({ participant: 'p1', t: event.t, type: 'play', payload: { event } })),
    ...drums.map((event) => ({ participant: 'p2', t: event.t, type: 'play', payload: { event } })),
    ...companion.notes.map((n) => ({
      participant: 'companion',
      t: n.start,
      type: 'companion',
      payload: { pitch: n.pitch, velocity: n.velocity, duration: n.duration, voice: n.voice },
    })),
    ...Array.from({ length: 200 }, (_, i) => ({
      participant: 'p3',
      t: 2 + i * 0.02,
      type: 'play',
      payload: {
        event: {
          type: 'voice',
          t: 2 + i * 0.02,
          pitch: i % 50 < 10 ? null : 60 + (i % 7),
          loudness: 0.4,
          onset: i % 50 === 10,
        },
      },
    })),
    { participant: 'therapist', t: 5, type: 'steer', payload: { control: { type: 'energy', energy: 0.7 } } },
    {
      participant: 'therapist',
      t: 9,
      type: 'mark',
      payload: { note: 'looked up', tags: ['first eye contact'] },
    },
    { participant: 'p2', t: 3, type: 'play', payload: { event: { type: 'hit', t: 3, instrument: 'loud' } } },
    { participant: 'therapist', t: 1, type: 'chat', payload: {} },
  ];
  return entries.sort((a, b) => a.t - b.t).map((e, i) => ({ ...e, seq: i + 1 }));
}

/** What a timeline shows, as plain data to compare. */
function shown(t: Timeline) {
  return {
    start: t.start,
    end: t.end,
    participants: t.participants.map((l) => ({
      participant: l.participant,
      name: l.name,
      kind: l.kind,
      notes: l.notes.all(),
      hits: l.hits.all(),
      voice: l.voice.all(),
    })),
    companion: t.companion.map((l) => ({ voice: l.voice, notes: l.notes.all() })),
    steering: t.steering.all(),
    marks: t.marks,
    problems: t.problems,
    ignored: [...t.ignored],
  };
}

describe('a session summary', () => {
  it('expands to the timeline and measures the engine computes from the log, through JSON', () => {
    const entries = session();
    const summary = JSON.parse(JSON.stringify(summarise(entries)));
    expect(summary.version).toBe(SUMMARY_VERSION);
    expect(summary.events).toBe(entries.length);
    const options = {
      participants: [{ id: 'p2', name: 'Jo' }],
      marks: [{ id: 'r-1', t: 4, end: 6, note: 'span', tags: [], source: 'review' as const, author: null }],
      deletedMarks: new Set(['live-0']),
    };
    const { timeline, measures } = expandSummary(summary, options);
    const fromLog = buildTimeline(entries, options);
    expect(shown(timeline)).toEqual(shown(fromLog));
    expect(timeline.problems).toHaveLength(1);
    expect(
      timeline
        .lane('p3')
        ?.voice.all()
        .some((f) => f.pitch === null),
    ).toBe(true);
    expect(measures).toEqual(JSON.parse(JSON.stringify(reviewMeasures(buildTimeline(entries)))));
    expect(measures.curves.map((c) => c.participant)).toEqual(['p1', 'p2', 'p3', 'companion']);
    expect(measures.curves[0]?.tempo.length).toBeGreaterThan(10);
  });

  it('keeps entries without a sequence number as such', () => {
    const entries = session().map(({ seq: _, ...e }) => e);
    const { timeline } = expandSummary(JSON.parse(JSON.stringify(summarise(entries))));
    expect(shown(timeline)).toEqual(shown(buildTimeline(entries)));
    expect(timeline.lane('p1')?.notes.first()?.seq).toBeNull();
  });

  it('of an empty log is an empty timeline', () => {
    const { timeline, measures } = expandSummary(summarise([]));
    expect(timeline.participants).toEqual([]);
    expect(timeline.start).toBeNull();
    expect(measures.curves).toEqual([]);
  });

  it('of another version is refused with the version named', () => {
    const summary = { ...summarise([]), version: 99 } as unknown as Parameters<typeof expandSummary>[0];
    expect(() => expandSummary(summary)).toThrow('got: 99');
  });
});
