/**
 * What the console exposes on `window.__attuneConsole` so browser tests can see what it sounded
 * (the companion's notes, the clients', the therapist's own keys) without listening to the audio.
 */
import type { Seconds } from '@attune/engine';
import type { LiveSoundEntry } from '../live/sound.ts';

/** The console's test hook. */
export interface ConsoleHook {
  /** Every note the console's device handled, oldest first (empty until the sounds are loaded). */
  readonly log: readonly LiveSoundEntry[];
  /** The session time now on the console's clock estimate (null before joining). */
  sessionNow(): Seconds | null;
}

declare global {
  interface Window {
    __attuneConsole?: ConsoleHook;
  }
}
