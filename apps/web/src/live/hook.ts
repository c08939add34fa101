/**
 * What a live page exposes on `window.__attuneLive` so browser tests can see what was sounded and
 * when, the connection's status and what is still kept, without listening to the audio output.
 */
import type { Seconds } from '@attune/engine';
import type { CompanionSettings } from '@attune/protocol';
import type { LiveStatus } from './connection.ts';
import type { KeptEvent } from './kept.ts';
import type { LiveSoundEntry } from './sound.ts';

/** The live page's test hook. */
export interface LiveHook {
  /** Every note this device handled, oldest first. */
  readonly log: readonly LiveSoundEntry[];
  status(): LiveStatus;
  /** Events kept until acknowledged. */
  pending(): KeptEvent[];
  settings(): CompanionSettings | null;
  /** The pitches of the pads shown. */
  pads(): number[];
  /** The pad lit by switch scanning, if any. */
  lit(): number | null;
  audioNow(): Seconds;
  /** The session time now on this device's clock estimate (null before joining). */
  sessionNow(): Seconds | null;
  /**
   * The wall-clock moment (seconds since 1970, from the page's time origin) this device takes a
   * session time to be: two devices in step agree on it within their clock errors.
   */
  wallOf(sessionTime: Seconds): Seconds | null;
  /** Whether the instruments are loaded and touches sound. */
  ready(): boolean;
}

declare global {
  interface Window {
    __attuneLive?: LiveHook;
  }
}
