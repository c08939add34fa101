/** A session log as a MIDI file: one track per participant and companion voice, channels apart. */
import {
  accompany,
  createRng,
  expandLog,
  type LogEntry,
  readLog,
  readPerformance,
  simulatePlayer,
  summarise,
} from '@attune/engine';
import { describe, expect, it } from 'vitest';
import { checkBirthDate, RecordsError } from './checks.ts';
import { logMidi, sessionMidi, sessionTracks } from './session-midi.ts';

const play = (participant: string, event: Record<string, unknown>) => ({
  participant,
  t: event.t as number,
  type: 'play',
  payload: { event },
});

describe('sessionMidi', () => {
  const log = [
    play('p10', { type: 'note', t: 3, pitch: 70, velocity: 90, duration: 0.25 }),
    play('p2', { type: 'note', t: 1, pitch: 62, velocity: 80, duration: 0.5 }),
    play('therapist', { type: 'note', t: 0, pitch: 48, velocity: 60, duration: 2 }),
    play('p2', { type: 'hit', t: 1.25, instrument: 42, velocity: 100 }),
    {
      participant: 'companion',
      t: 0.5,
      type: 'companion',
      payload: { pitch: 36, velocity: 70.6, duration: 1, voice: 'bass' },
    },
    {
      participant: 'therapist',
      t: 0.2,
      type: 'steer',
      payload: { control: { type: 'energy', energy: 0.5 } },
    },
    { participant: 'p2', t: 1, type: 'play', payload: { event: { type: 'note', t: 1, pitch: 999 } } },
  ];

  it('writes the therapist, clients in number order, then companion voices, each on its own channel', () => {
    const midi = sessionMidi(log, { names: new Map([['p2', 'Mia']]) });
    expect(midi?.tracks).toEqual(['therapist', 'Mia', 'p10', 'companion: bass']);
    const performance = readPerformance(midi?.bytes ?? new Uint8Array());
    expect(performance.tracks.map((t) => t.name)).toEqual(['therapist', 'Mia', 'p10', 'companion: bass']);
    expect(performance.tracks.map((t) => t.notes.map((n) => [n.t, n.pitch, n.velocity, n.channel]))).toEqual([
      [[0, 48, 60, 0]],
      [
        [1, 62, 80, 1],
        [1.25, 42, 100, 9],
      ],
      [[3, 70, 90, 2]],
      [[0.5, 36, 71, 3]],
    ]);
  });

  it('leaves out lanes not kept and skips the percussion channel when handing out channels', () => {
    expect(sessionTracks(readLog(log), { keep: (p) => p !== 'p10' }).map((t) => t.name)).toEqual([
      'therapist',
      'p2',
      'companion: bass',
    ]);
    const many = Array.from({ length: 12 }, (_, i) =>
      play(`p${i + 1}`, { type: 'note', t: i, pitch: 60, velocity: 80, duration: 0.1 }),
    );
    const channels = sessionTracks(readLog(many)).map((t) => t.notes[0]?.channel);
    expect(channels).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 10, 11, 12]);
  });

  it('gives no file for a session where nothing was played', () => {
    expect(sessionMidi([])).toBeNull();
    expect(
      sessionMidi([
        { participant: 'therapist', t: 0, type: 'steer', payload: { control: { type: 'start' } } },
      ]),
    ).toBeNull();
  });
});

describe('logMidi', () => {
  it('writes from a kept summary’s lanes the very bytes it writes from the log’s entries', () => {
    const rng = createRng(11);
    const piano = simulatePlayer({ bpm: 92, bars: 16, style: 'piano' }, rng.fork()).events;
    const drums = simulatePlayer({ bpm: 92, bars: 16, style: 'hits' }, rng.fork()).events;
    const played = [
      ...piano.map((event) => play('therapist', event as unknown as Record<string, unknown>)),
      ...drums.map((event) => play('p1', event as unknown as Record<string, unknown>)),
      ...accompany(piano, {}, 5).notes.map((n) => ({
        participant: 'companion',
        t: n.start,
        type: 'companion',
        payload: { pitch: n.pitch, velocity: n.velocity, duration: n.duration, voice: n.voice },
      })),
      ...Array.from({ length: 300 }, (_, i) =>
        play('p2', {
          type: 'voice',
          t: 1 + i * 0.02,
          pitch: i % 60 < 12 ? null : 57 + (i % 5),
          loudness: 0.3 + (i % 10) / 20,
          onset: i % 60 === 12,
        }),
      ),
    ];
    const entries: LogEntry[] = played.sort((a, b) => a.t - b.t).map((e, i) => ({ ...e, seq: i + 1 }));
    // The summary as kept: through JSON, as the studio stores it.
    const kept = JSON.parse(JSON.stringify(summarise(entries))) as ReturnType<typeof summarise>;
    const names = new Map([['p1', 'Mia']]);
    const fromEntries = sessionMidi(entries, { names });
    const fromSummary = logMidi(expandLog(kept.log), { names });
    expect(fromEntries?.tracks.length).toBeGreaterThanOrEqual(4);
    expect(fromSummary?.tracks).toEqual(fromEntries?.tracks);
    expect(Buffer.from(fromSummary?.bytes ?? []).equals(Buffer.from(fromEntries?.bytes ?? []))).toBe(true);
  });
});

describe('checkBirthDate', () => {
  const refusal = (value: string) => {
    try {
      checkBirthDate(value, '2026-11-25T10:00:00Z');
      return 'taken';
    } catch (e) {
      return e instanceof RecordsError ? e.message : String(e);
    }
  };
  it('takes a real day from 1900 to today', () => {
    expect(checkBirthDate('2016-02-29', '2026-11-25T10:00:00Z')).toBe('2016-02-29');
    expect(checkBirthDate('2026-11-25', '2026-11-25T10:00:00Z')).toBe('2026-11-25');
  });
  it('refuses other text, a day not in the calendar, the future and before 1900, naming what was sent', () => {
    expect(refusal('2015-02-29')).toBe('Birth date is not a day of the calendar: "2015-02-29".');
    expect(refusal('2016-04-31')).toBe('Birth date is not a day of the calendar: "2016-04-31".');
    expect(refusal('29/02/2016')).toBe('Birth date must be a date written YYYY-MM-DD, got: "29/02/2016".');
    expect(refusal('2016-2-9')).toMatch(/written YYYY-MM-DD/);
    expect(refusal('2026-11-26')).toBe('Birth date must not be in the future, got: "2026-11-26".');
    expect(refusal('1899-12-31')).toBe('Birth date must be in 1900 or later, got: "1899-12-31".');
  });
});
