import { describe, expect, it } from 'vitest';
import { suggestIap } from '../assessment/index.ts';
import { accompany } from '../companion/index.ts';
import { createRng } from '../random/index.ts';
import { simulatePlayer } from '../simulate/index.ts';
import type { LogEntry } from './log.ts';
import { reviewMeasures } from './measures.ts';
import { Replay } from './replay.ts';
import { buildTimeline } from './timeline.ts';

describe('a session accompanied by the companion, from its log to the suggestions', () => {
  it('reads the log the room writes, measures it and points the client toward leading the loudness, in time together', () => {
    const client = simulatePlayer({ bpm: 100, bars: 32 }, createRng(1)).events;
    const companion = accompany(client, {}, 1);
    let seq = 0;
    // As the room logs them: played events with their own time, companion notes at their start.
    const entries: LogEntry[] = [
      ...client.map((event) => ({
        seq: ++seq,
        participant: 'p1',
        t: event.t,
        type: 'play',
        payload: { event },
      })),
      ...companion.notes.map((n) => ({
        seq: ++seq,
        participant: 'companion',
        t: n.start,
        type: 'companion',
        payload: { pitch: n.pitch, velocity: n.velocity, duration: n.duration, voice: n.voice },
      })),
      {
        seq: ++seq,
        participant: 'therapist',
        t: 30,
        type: 'steer',
        payload: { control: { type: 'energy', energy: 0.7 } },
      },
      {
        seq: ++seq,
        participant: 'therapist',
        t: 40,
        type: 'mark',
        payload: { note: 'louder together', tags: ['played together'] },
      },
    ];
    const timeline = buildTimeline(entries);
    expect(timeline.problems).toEqual([]);
    expect(timeline.participants.map((l) => l.participant)).toEqual(['p1']);
    expect(timeline.companion.reduce((n, l) => n + l.notes.size, 0)).toBe(companion.notes.length);
    expect(timeline.steering.all().map((s) => s.label)).toEqual(['Energy: 70 %']);
    expect(new Replay(timeline).between(0, Number.MAX_VALUE)).toHaveLength(
      client.length + companion.notes.length,
    );

    const m = reviewMeasures(timeline);
    expect(m.analysis.tracks.map((t) => t.name)).toEqual(['p1', 'companion']);
    const suggestions = suggestIap(m.analysis, 'p1', { partners: ['companion'] });
    const toward = (item: string) => suggestions.find((s) => s.item === item)?.toward;
    // The companion matches the client's dynamics and plays on the client's beat.
    expect(toward('autonomy:volume')).toBe('leader');
    expect(toward('integration:rhythm')).toBe('integrated');
    expect(toward('variability:rhythm')).toBe('stable');
    // Synchrony over time: together in every window once both are playing.
    const windows = m.synchrony[0]?.windows ?? [];
    expect(windows.length).toBeGreaterThan(5);
    expect(windows.slice(1).every((w) => (w.coincidence ?? 0) > 0.8)).toBe(true);
  });
});
