/**
 * Which scale the console's piano marks: the companion's idiom and key as set, or, where they are
 * set to follow the client, what Attune hears the clients play in (the most confident key
 * heard); major on C until something is heard.
 */
import { idiomNames } from '@attune/engine';
import type { CompanionSettings } from '@attune/protocol';
import type { PerceptionSummary } from './words.ts';

const IDIOMS = new Set<string>(idiomNames());
/** Modes the key tracker names that an idiom of another name plays. */
const MODE_IDIOM: Readonly<Record<string, string>> = { 'major-pentatonic': 'pentatonic' };

/**
 * The idiom and tonic to mark on the piano.
 * @example scaleToShow({ idiom: 'auto', key: 'auto' }, [{ key: { tonic: 'D', mode: 'dorian', confidence: 0.7 } }]) // { idiom: 'dorian', key: 'D' }
 */
export function scaleToShow(
  settings: Pick<CompanionSettings, 'idiom' | 'key'> | null,
  heard: readonly Pick<PerceptionSummary, 'key'>[],
): { idiom: string; key: string } {
  let best: { tonic: string; mode: string; confidence: number } | null = null;
  for (const h of heard) if (h.key && (best === null || h.key.confidence > best.confidence)) best = h.key;
  const heardIdiom = best ? (MODE_IDIOM[best.mode] ?? best.mode) : null;
  const idiom =
    settings && settings.idiom !== 'auto'
      ? settings.idiom
      : heardIdiom !== null && IDIOMS.has(heardIdiom)
        ? heardIdiom
        : 'major';
  const key = settings && settings.key !== 'auto' ? settings.key : (best?.tonic ?? 'C');
  return { idiom, key };
}
