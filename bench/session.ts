/** A long simulated group session for benchmarks: four players, one hour, about 200k events. */
import type { HitEvent, NoteEvent } from '@attune/engine/events';
import { createRng } from '@attune/engine/random';
import { simulatePlayer } from '@attune/engine/simulate';

/** One simulated player's events. */
export interface BenchTrack {
  name: string;
  events: Array<NoteEvent | HitEvent>;
}

/**
 * Four players for `seconds` of session time: a pianist, a melody on sixteenths, a drummer (hi-hat
 * on sixteenths, a ghosted snare) and a hand drum, at a lively 170 BPM that drifts down over the
 * session, so the trackers have real work to do: about 200k events in an hour, the size the
 * speed target of `attune analyze` is set for.
 */
export function groupSession(seconds: number, seed = 1): BenchTrack[] {
  const rng = createRng(seed);
  const bpm = 170;
  const bars = Math.ceil((seconds * bpm) / 60 / 4);
  const sixteenths = Array.from({ length: 16 }, (_, i) => i / 4);
  // A slow drift down over the hour, so tempo following is exercised throughout.
  const tempo = [{ beats: bars * 4, to: bpm * 0.92, shape: 'linear' as const }];
  const common = { bpm, bars, tempo, rhythm: sixteenths };
  return [
    {
      name: 'piano',
      events: simulatePlayer({ ...common, style: 'piano', key: { tonic: 'D', mode: 'minor' } }, rng.fork())
        .events,
    },
    { name: 'melody', events: simulatePlayer(common, rng.fork()).events },
    {
      name: 'drums',
      events: simulatePlayer(
        {
          ...common,
          style: 'drums',
          groove: { kick: [0, 1.5, 2], snare: [1, 2.75, 3, 3.75], hat: sixteenths },
        },
        rng.fork(),
      ).events,
    },
    { name: 'hand drum', events: simulatePlayer({ ...common, style: 'hits' }, rng.fork()).events },
  ];
}
