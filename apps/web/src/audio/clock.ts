/**
 * The session clock on this device: AudioContext time minus an origin. Session times and audio
 * times differ only by that origin, so a note planned at session time t sounds at t + origin.
 * Offline solo play sets the origin when the session starts; a live session will set it from the
 * clock exchange with the server.
 */
import type { Seconds } from '@attune/engine';

/** Anything with an audio clock (an AudioContext, or a stand-in in tests). */
export interface AudioClock {
  readonly currentTime: Seconds;
}

/** Converts between session time and audio time. */
export class SessionClock {
  constructor(
    private readonly audio: AudioClock,
    /** The audio time at session time 0. */
    public origin: Seconds = audio.currentTime,
  ) {
    if (!Number.isFinite(origin))
      throw new RangeError(`clock origin must be a finite number, got: ${origin}`);
  }

  /** The session time now. */
  now(): Seconds {
    return this.audio.currentTime - this.origin;
  }

  /** The audio time of a session time. */
  toAudio(t: Seconds): Seconds {
    return t + this.origin;
  }

  /** The session time of an audio time. */
  fromAudio(audioTime: Seconds): Seconds {
    return audioTime - this.origin;
  }
}
