/**
 * What the page exposes on `window.__attune` so browser tests can see what was sounded and when,
 * without listening to the audio output.
 */
import type { Seconds } from '@attune/engine';
import type { CompanionState, SoundEntry } from './solo/session.ts';

/** The page's test hook. */
export interface AttuneHook {
  /** Every sound the session started, oldest first. */
  readonly log: readonly SoundEntry[];
  audioNow(): Seconds;
  sessionNow(): Seconds;
  companionState(): CompanionState;
  /** The pitches of the pads shown. */
  pads(): number[];
  /** The pad lit by switch scanning, if any. */
  lit(): number | null;
  outputDelay(): Seconds;
}

declare global {
  interface Window {
    __attune?: AttuneHook;
  }
}
