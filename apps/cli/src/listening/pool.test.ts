import { analyzePerformance, finishAnalysis, prepareAnalysis } from '@attune/engine/analysis';
import type { HitEvent } from '@attune/engine/events';
import { createRng } from '@attune/engine/random';
import { simulatePlayer } from '@attune/engine/simulate';
import { describe, expect, it } from 'vitest';
import { packOnsets, unpackOnsets } from './pack.ts';
import { startListeners } from './pool.ts';

/** Four players of a short session: notes, drum strokes, and a player who comes in late. */
function quartet() {
  const drums: HitEvent[] = [];
  for (let t = 0; t < 30; t += 0.25)
    drums.push({ type: 'hit', t, instrument: t % 1 === 0 ? 36 : 42, velocity: 90 });
  return [
    {
      name: 'piano',
      events: simulatePlayer(
        { bpm: 100, bars: 12, style: 'piano', key: { tonic: 'F', mode: 'major' } },
        createRng(1),
      ).events,
    },
    { name: 'melody', events: simulatePlayer({ bpm: 100, bars: 12 }, createRng(2)).events },
    { name: 'drums', events: drums },
    {
      name: 'hand drum',
      events: simulatePlayer({ bpm: 100, bars: 8, style: 'hits', start: 6 }, createRng(3)).events,
    },
  ];
}

describe('listening on worker threads', () => {
  it('makes the same analysis as one thread, every track listened to on the workers', async () => {
    const tracks = quartet();
    const prepared = prepareAnalysis(tracks);
    const listeners = startListeners(2);
    try {
      const listenings = await listeners.listen(prepared, { here: false });
      expect(listeners.failures).toEqual([]);
      expect(finishAnalysis(prepared, listenings)).toEqual(analyzePerformance(tracks));
    } finally {
      await listeners.close();
    }
  });

  it('shares the tracks between this thread and a worker, with the same analysis', async () => {
    const tracks = quartet();
    const prepared = prepareAnalysis(tracks);
    const listeners = startListeners(1);
    try {
      expect(finishAnalysis(prepared, await listeners.listen(prepared))).toEqual(analyzePerformance(tracks));
    } finally {
      await listeners.close();
    }
  });

  it('listens here to the tracks of a worker that has stopped', async () => {
    const tracks = quartet();
    const prepared = prepareAnalysis(tracks);
    const listeners = startListeners(1);
    await listeners.close();
    const listenings = await listeners.listen(prepared, { here: false });
    expect(finishAnalysis(prepared, listenings)).toEqual(analyzePerformance(tracks));
  });

  it('packs onsets into a shared buffer and unpacks the same onsets, field for field', () => {
    const onsets = [
      { t: 0, velocity: 80, pitch: 60, duration: 0.5 },
      { t: 0.25, velocity: 90, pitch: 38, percussive: true },
      { t: 0.5, velocity: 1 },
      { t: 0.75, velocity: 64, pitch: 61, percussive: false },
    ];
    const packed = packOnsets(onsets);
    expect(packed.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(unpackOnsets(packed)).toStrictEqual(onsets);
  });
});
