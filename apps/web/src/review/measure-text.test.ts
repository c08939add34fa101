import { buildTimeline, type LogEntry, reviewMeasures } from '@attune/engine';
import { describe, expect, it } from 'vitest';
import { laneName, laneOrder } from './layout.ts';
import { noteName, pairTexts, playerRows, togetherLines } from './measure-text.ts';

/** A pianist on a steady beat and a drummer with her, over a minute, as the room logs them. */
function session(): LogEntry[] {
  const entries: LogEntry[] = [];
  for (let i = 0; i < 120; i++) {
    const t = 1 + i * 0.5;
    entries.push({
      seq: entries.length + 1,
      participant: 'p1',
      t,
      type: 'play',
      payload: {
        event: { type: 'note', t, pitch: 60 + (i % 8), velocity: 50 + (i % 4) * 10, duration: 0.3 },
      },
    });
    if (i % 2 === 0)
      entries.push({
        seq: entries.length + 1,
        participant: 'p2',
        t: t + 0.02,
        type: 'play',
        payload: { event: { type: 'hit', t: t + 0.02, instrument: 38, velocity: 100 } },
      });
  }
  return entries;
}

describe('the measures in words', () => {
  const measures = reviewMeasures(buildTimeline(session()));

  it('gives each player a plain line per measure, with units, and says what the recording cannot tell', () => {
    const rows = playerRows(measures);
    const row = (label: string) => rows.find((r) => r.label === label)?.values;
    expect(row('Played')).toEqual(['120 onsets', '60 onsets']);
    expect(row('Tempo')?.[0]).toMatch(/^1[12]\d beats a minute$/);
    expect(row('Pitch range')).toEqual(['C4–G4', 'no pitched notes']);
    expect(row('Loudness')?.[0]).toMatch(/^\d+ \(\d+–\d+\)$/);
    expect(row('Silent')?.[0]).toMatch(/^\d+ %$/);
    for (const r of rows) expect(r.help.length).toBeGreaterThan(10);
  });

  it('says between a pair whether they played together, who led, and who answered whom', () => {
    const [pair] = pairTexts(measures, (t) => (t === 'p1' ? 'Sam' : 'Jo'));
    expect(pair?.lines.map((l) => l.label)).toEqual(['Together', 'Leading', 'Answers']);
    // Jo played half as many notes as Sam, each with one of Sam's, 20 ms after.
    expect(pair?.lines[0]?.value).toBe(
      "100 % of Jo's notes fell with Sam's, 20 ms apart on average (Sam a little ahead)",
    );
    expect(pair?.lines[2]?.value).toMatch(
      /^(neither answered the other's phrases|(Jo|Sam) answered \d+ of (Sam|Jo)'s phrases.*)$/,
    );
  });

  it('names notes, seats and lanes as a person reads them', () => {
    expect([noteName(60), noteName(61), noteName(21), noteName(108)]).toEqual(['C4', 'C♯4', 'A0', 'C8']);
    expect(laneName('p3')).toBe('Player 3');
    expect(laneName('erased-0a1b2c3d4e5f')).toBe('Erased player');
    expect(laneOrder(['p10', 'p2', 'therapist', 'p1', 'p2'])).toEqual(['therapist', 'p1', 'p2', 'p10']);
  });

  it('draws playing together over time as lines with a gap where the pair did not play together', () => {
    const windows = [
      { from: 0, to: 10, coincidence: 1 },
      { from: 10, to: 20, coincidence: 0.5 },
      { from: 20, to: 30, coincidence: null },
      { from: 30, to: 40, coincidence: 0 },
    ];
    expect(togetherLines(windows, 80, 10)).toEqual(['M0,0 L20,0 L20,5 L40,5', 'M60,10 L80,10']);
    expect(togetherLines([], 80, 10)).toEqual([]);
    const [curve] = measures.synchrony;
    expect(togetherLines(curve?.windows ?? [], 300, 40).length).toBeGreaterThan(0);
  });
});
