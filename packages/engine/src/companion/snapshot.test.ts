/**
 * The companion's notes for fixed seeds and inputs. A change here is a musical change: read the
 * diff as a score (time in seconds, voice, pitch, velocity, length) before accepting it. The ear
 * is scripted with the simulated client's true pulse, so these scores change with the companion
 * and its material, not with the perception trackers (whose own tests hold them).
 */
import { describe, expect, it } from 'vitest';
import { createRng } from '../random/index.ts';
import { simulatePlayer } from '../simulate/index.ts';
import type { PlannedNote } from './index.ts';
import { accompany } from './offline.ts';
import { ScriptedEar } from './test-support/fakes.ts';

const NAMES = ['C', 'C#', 'D', 'Eb', 'E', 'F', 'F#', 'G', 'Ab', 'A', 'Bb', 'B'];

/** One line per onset: time, then each voice's notes as name+octave:velocity/length in ms. */
function score(notes: readonly PlannedNote[], from: number, count: number): string {
  const byTime = new Map<string, PlannedNote[]>();
  for (const n of notes
    .filter((n) => n.start >= from)
    .sort((a, b) => a.start - b.start || a.pitch - b.pitch)) {
    const key = n.start.toFixed(3);
    byTime.set(key, [...(byTime.get(key) ?? []), n]);
  }
  return [...byTime]
    .slice(0, count)
    .map(([t, ns]) => {
      const parts = ns.map((n) => {
        const name =
          n.voice === 'percussion'
            ? `drum${n.pitch}`
            : `${NAMES[n.pitch % 12]}${Math.floor(n.pitch / 12) - 1}`;
        return `${n.voice}:${name}:${n.velocity}/${Math.round(n.duration * 1000)}`;
      });
      return `${t} ${parts.join(' ')}`;
    })
    .join('\n');
}

describe('companion snapshots', () => {
  it('synchronise and match with a pianist in D major', () => {
    const perf = simulatePlayer(
      { style: 'piano', bpm: 96, bars: 8, key: { tonic: 'D', mode: 'major' } },
      createRng(1),
    );
    const { notes } = accompany(
      perf.events,
      { techniques: ['synchronise', 'match'], key: 'D', idiom: 'major' },
      1,
      undefined,
      { ear: new ScriptedEar(60 / 96, 0.5) },
    );
    expect(score(notes, 6, 12)).toMatchInlineSnapshot(`
      "6.125 piano-left:D2:63/503 piano-left:D3:63/503 piano-left:A3:63/503 piano-right:D4:67/503 piano-right:F#4:67/503 piano-right:C#5:67/503
      6.750 piano-left:D2:59/233 piano-left:D3:59/233 piano-left:A3:59/233 piano-right:D4:62/233 piano-right:F#4:62/233 piano-right:C#5:62/233
      7.063 piano-left:D2:55/233 piano-left:D3:55/233 piano-left:A3:55/233 piano-right:D4:58/233 piano-right:F#4:58/233 piano-right:C#5:58/233
      7.375 piano-left:D2:59/503 piano-left:D3:59/503 piano-left:A3:59/503 piano-right:D4:63/503 piano-right:F#4:63/503 piano-right:C#5:63/503
      8.000 piano-left:D2:59/233 piano-left:D3:59/233 piano-left:A3:59/233 piano-right:D4:62/233 piano-right:F#4:62/233 piano-right:C#5:62/233
      8.313 piano-left:D2:55/233 piano-left:D3:55/233 piano-left:A3:55/233 piano-right:D4:58/233 piano-right:F#4:58/233 piano-right:C#5:58/233
      8.625 piano-left:G2:66/503 piano-left:D3:66/503 piano-left:G3:66/503 piano-right:D4:69/503 piano-right:F#4:69/503 piano-right:B4:69/503
      9.250 piano-left:G2:59/233 piano-left:D3:59/233 piano-left:G3:59/233 piano-right:D4:62/233 piano-right:F#4:62/233 piano-right:B4:62/233
      9.563 piano-left:G2:55/233 piano-left:D3:55/233 piano-left:G3:55/233 piano-right:D4:58/233 piano-right:F#4:58/233 piano-right:B4:58/233
      9.875 piano-left:G2:58/503 piano-left:D3:58/503 piano-left:G3:58/503 piano-right:D4:61/503 piano-right:F#4:61/503 piano-right:B4:61/503
      10.500 piano-left:G2:56/233 piano-left:D3:56/233 piano-left:G3:56/233 piano-right:D4:59/233 piano-right:F#4:59/233 piano-right:B4:59/233
      10.813 piano-left:G2:52/233 piano-left:D3:52/233 piano-left:G3:52/233 piano-right:D4:55/233 piano-right:F#4:55/233 piano-right:B4:55/233"
    `);
  });

  it('ground at a held 90 BPM under a drummer, with bass and percussion', () => {
    const perf = simulatePlayer({ style: 'drums', bpm: 104, bars: 8 }, createRng(2));
    const { notes } = accompany(
      perf.events,
      {
        techniques: ['ground'],
        tempo: { kind: 'hold', bpm: 90 },
        voices: ['bass', 'piano-left', 'percussion'],
        key: 'A',
        idiom: 'dorian',
      },
      2,
      undefined,
      { ear: new ScriptedEar(60 / 104, 0.5) },
    );
    expect(score(notes, 4, 12)).toMatchInlineSnapshot(`
      "4.575 percussion:drum36:40/167 bass:D2:56/547 piano-left:D2:48/1133 piano-left:D3:48/1133 piano-left:A3:48/1133 percussion:drum70:34/167
      5.242 percussion:drum37:34/167 bass:D2:53/547 percussion:drum70:32/167
      5.908 percussion:drum36:48/167 bass:A2:61/547 piano-left:A2:51/1133 piano-left:E3:51/1133 piano-left:A3:51/1133 percussion:drum70:36/167
      6.575 percussion:drum37:34/167 bass:A2:53/547 percussion:drum70:32/167
      7.242 percussion:drum36:40/167 bass:A2:56/547 piano-left:A2:48/1133 piano-left:E3:48/1133 piano-left:A3:48/1133 percussion:drum70:34/167
      7.908 percussion:drum37:34/167 bass:A2:53/547 percussion:drum70:32/167
      8.575 percussion:drum36:48/167 bass:G2:61/547 piano-left:G2:51/1133 piano-left:D3:51/1133 piano-left:G3:51/1133 percussion:drum70:36/167
      9.242 percussion:drum37:34/167 bass:G2:53/547 percussion:drum70:32/167
      9.908 percussion:drum36:40/167 bass:G2:56/547 piano-left:G2:48/1133 piano-left:D3:48/1133 piano-left:G3:48/1133 percussion:drum70:34/167
      10.575 percussion:drum37:34/167 bass:G2:53/547 percussion:drum70:32/167
      11.242 percussion:drum36:48/167 bass:A2:61/547 piano-left:A2:51/1133 piano-left:E3:51/1133 piano-left:A3:51/1133 percussion:drum70:36/167
      11.908 percussion:drum37:34/167 bass:A2:53/547 percussion:drum70:32/167"
    `);
  });

  it('dialogue with a melody that rests between phrases, in pentatonic', () => {
    const perf = simulatePlayer(
      { style: 'melody', bpm: 88, bars: 8, rhythm: 'eighths', phrase: { bars: 2, breath: 4 } },
      createRng(3),
    );
    const { notes } = accompany(
      perf.events,
      { techniques: ['dialogue'], key: 'C', idiom: 'pentatonic' },
      3,
      undefined,
      {
        ear: new ScriptedEar(60 / 88, 0.5),
      },
    );
    expect(score(notes, 0, 12)).toMatchInlineSnapshot(`
      "3.432 piano-right:C4:68/307
      3.772 piano-right:C4:68/307
      4.113 piano-right:C4:68/307
      4.454 piano-right:C4:68/307
      4.795 piano-right:E4:68/307
      5.136 piano-right:D4:68/307
      5.477 piano-right:E4:68/307
      5.818 piano-right:C5:68/276
      8.898 piano-right:D4:68/307
      9.239 piano-right:E4:68/307
      9.580 piano-right:D4:68/307
      9.921 piano-right:E4:68/307"
    `);
  });

  it('a sustained pad under a melody: a held chord rings at most three beats, then is struck again softly', () => {
    const perf = simulatePlayer({ style: 'melody', bpm: 80, bars: 8 }, createRng(4));
    const { notes } = accompany(
      perf.events,
      { techniques: ['synchronise', 'calm'], voices: ['pad', 'bass'], key: 'F', idiom: 'major', energy: 0.2 },
      4,
      undefined,
      { ear: new ScriptedEar(60 / 80, 0.5) },
    );
    expect(score(notes, 4, 10)).toMatchInlineSnapshot(`
      "4.250 bass:C2:21/2175 pad:C3:16/2175 pad:C4:16/2175 pad:E4:16/2175 pad:G4:16/2175 pad:C5:16/2175
      5.000 pad:E4:26/375
      5.750 pad:E4:26/375
      6.500 bass:C2:17/660 pad:C3:13/750 pad:C4:13/750 pad:E4:13/750 pad:E4:26/375 pad:G4:13/750 pad:C5:13/750
      7.250 bass:D2:21/2175 pad:D3:16/2175 pad:D4:16/2175 pad:F4:16/2175 pad:A4:16/2175 pad:D5:16/2175
      8.000 pad:F4:26/375
      8.750 pad:F4:26/375
      9.500 bass:D2:17/660 pad:D3:13/750 pad:D4:13/750 pad:F4:13/750 pad:F4:26/375 pad:A4:13/750 pad:D5:13/750
      10.250 bass:Bb2:21/2175 pad:D3:16/2175 pad:Bb3:16/2175 pad:F4:16/2175 pad:Bb4:16/2175 pad:D5:16/2175
      11.000 pad:F4:26/375"
    `);
  });
});
