import type { LogEntry } from '@attune/engine';
import { describe, expect, it } from 'vitest';
import { csvField, measuresCsv, PARTICIPANT_COLUMNS, sessionMeasures, toCsv } from './measures.ts';

const played = (participant: string, t: number, pitch: number): LogEntry => ({
  participant,
  t,
  type: 'play',
  payload: { event: { type: 'note', t, pitch, velocity: 80, duration: 0.3 } },
});

describe('csvField', () => {
  it('quotes commas, quotes and line breaks, and keeps formulas as text', () => {
    expect(csvField('T.R.')).toBe('T.R.');
    expect(csvField('Berg, Anna')).toBe('"Berg, Anna"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('=HYPERLINK("x")')).toBe('"\'=HYPERLINK(""x"")"');
    expect(csvField('-1+1')).toBe("'-1+1");
    expect(csvField(-0.25)).toBe('-0.25');
    expect(csvField(null)).toBe('');
  });

  it('a table is a header and one line per row, CRLF-ended', () => {
    expect(toCsv([{ name: 'a', value: (r: number) => r }], [1, 2])).toBe('a\r\n1\r\n2\r\n');
  });
});

describe('sessionMeasures', () => {
  it('a participant per lane, named from the record, with pairs between them', () => {
    const log = [0, 0.5, 1, 1.5, 2].flatMap((t) => [played('p1', t, 60), played('therapist', t + 0.01, 48)]);
    const m = sessionMeasures(
      log,
      { id: 's', title: 'x', startedAt: '2026-11-25T10:00:00Z' },
      new Map([['p1', 'Sam']]),
    );
    expect(m.participants.map((p) => [p.participant, p.name, p.events])).toEqual([
      ['therapist', 'therapist', 5],
      ['p1', 'Sam', 5],
    ]);
    expect(m.pairs).toHaveLength(1);
    const csv = measuresCsv(m, 'participants').trimEnd().split('\r\n');
    expect(csv[0]).toBe(PARTICIPANT_COLUMNS.map((c) => c.name).join(','));
    expect(csv.slice(1).map((l) => l.split(',').slice(0, 2))).toEqual([
      ['therapist', 'therapist'],
      ['p1', 'Sam'],
    ]);
    // Synchrony between the two is about 10 ms, the therapist behind.
    const pair = measuresCsv(m, 'pairs').trimEnd().split('\r\n');
    const header = (pair[0] as string).split(',');
    const row = (pair[1] as string).split(',');
    expect(Math.abs(Number(row[header.indexOf('asynchrony_mean_absolute_ms')]))).toBeCloseTo(10, 0);
  });

  it('an empty session has no participants and no pairs', () => {
    const m = sessionMeasures([], { id: 's', title: 'x', startedAt: '2026-11-25T10:00:00Z' });
    expect(m.participants).toEqual([]);
    expect(measuresCsv(m, 'participants').split('\r\n')).toHaveLength(2);
  });
});
