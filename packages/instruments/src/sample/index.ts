/**
 * Sample buffers as plain PCM, and their preparation: where a recorded note's attack is, how
 * much quiet lead-in to keep before it, and how long to keep it ringing.
 */
import type { Seconds } from '@attune/engine';

/** Decoded audio: one Float32Array per channel, all of one length. */
export interface PcmBuffer {
  readonly channels: readonly Float32Array[];
  readonly sampleRate: number;
}

/** A buffer ready to play, with the time of its attack from the buffer's start. */
export interface PreparedSample extends PcmBuffer {
  /** Seconds from the buffer's first frame to its attack: the instant placed on a note's time. */
  readonly onset: Seconds;
}

/** How a recorded note is trimmed. */
export interface PrepareOptions {
  /** Level, relative to the sample's peak, that marks the attack (0.1 = -20 dB). */
  readonly attackLevel: number;
  /** Level, relative to the peak, below which the lead-in counts as silence and is cut. */
  readonly silenceLevel: number;
  /** Longest lead-in kept before the attack. */
  readonly maxLeadIn: Seconds;
  /** Longest sample kept; longer ones fade out over `fadeOut` before this. */
  readonly maxLength: Seconds;
  readonly fadeOut: Seconds;
}

/** The trimming Attune applies to the piano recordings. */
export const PIANO_PREPARE: PrepareOptions = {
  attackLevel: 0.1,
  silenceLevel: 0.003,
  maxLeadIn: 0.02,
  maxLength: 10,
  fadeOut: 1,
};

/** Frames of fade-in over the first frames kept, so a cut never clicks. */
const FADE_IN_FRAMES = 16;

/** The number of frames of a buffer (0 for a buffer without channels). */
export function frameCount(buffer: PcmBuffer): number {
  return buffer.channels[0]?.length ?? 0;
}

/** The first frame at which any channel reaches `level` (absolute), or -1. */
function firstAbove(buffer: PcmBuffer, level: number): number {
  let first = -1;
  for (const channel of buffer.channels) {
    const end = first < 0 ? channel.length : first;
    for (let i = 0; i < end; i++) {
      const x = channel[i]!;
      if (x >= level || -x >= level) {
        first = i;
        break;
      }
    }
  }
  return first;
}

/** The largest absolute sample value over all channels. */
export function peakOf(buffer: PcmBuffer): number {
  let peak = 0;
  for (const channel of buffer.channels) {
    for (let i = 0; i < channel.length; i++) {
      const x = channel[i]!;
      if (x > peak) peak = x;
      else if (-x > peak) peak = -x;
    }
  }
  return peak;
}

/**
 * Trims a recorded note: cuts the silence before it (a decoder's delay, the room before the
 * hammer), keeps at most `maxLeadIn` before its attack, fades in over a few frames, caps its
 * length with a fade-out, and reports where the attack now is.
 * @example prepareSample(note, PIANO_PREPARE).onset // ≈ 0.009: the attack 9 ms into the buffer
 */
export function prepareSample(buffer: PcmBuffer, options: PrepareOptions = PIANO_PREPARE): PreparedSample {
  const peak = peakOf(buffer);
  const rate = buffer.sampleRate;
  if (peak === 0) return { channels: buffer.channels, sampleRate: rate, onset: 0 };
  const attack = Math.max(0, firstAbove(buffer, peak * options.attackLevel));
  const audible = Math.max(0, firstAbove(buffer, peak * options.silenceLevel));
  const begin = Math.max(audible, attack - Math.round(options.maxLeadIn * rate), 0);
  const end = Math.min(frameCount(buffer), begin + Math.round(options.maxLength * rate));
  const fadeOutFrames =
    end - begin >= Math.round(options.maxLength * rate) ? Math.round(options.fadeOut * rate) : 0;
  const channels = buffer.channels.map((source) => {
    const out = source.slice(begin, end);
    const fadeIn = Math.min(FADE_IN_FRAMES, attack - begin, out.length);
    for (let i = 0; i < fadeIn; i++) out[i]! *= i / fadeIn;
    for (let i = 0; i < fadeOutFrames; i++) out[out.length - 1 - i]! *= i / fadeOutFrames;
    return out;
  });
  return { channels, sampleRate: rate, onset: (attack - begin) / rate };
}

/** The longest attack delay a SoundFont sample is allowed; slower swells count from their first frame. */
export const MAX_FONT_ONSET: Seconds = 0.01;

/**
 * A SoundFont sample used as it is (its loop points count from its first frame): its attack is
 * where it first reaches `attackLevel` of its peak, when that is within {@link MAX_FONT_ONSET}.
 * @example asPrepared(kick).onset // 0.0004: the beater lands 0.4 ms in
 */
export function asPrepared(buffer: PcmBuffer, attackLevel = PIANO_PREPARE.attackLevel): PreparedSample {
  const peak = peakOf(buffer);
  const attack = peak > 0 ? Math.max(0, firstAbove(buffer, peak * attackLevel)) / buffer.sampleRate : 0;
  return {
    channels: buffer.channels,
    sampleRate: buffer.sampleRate,
    onset: attack <= MAX_FONT_ONSET ? attack : 0,
  };
}

/** Converts 16-bit PCM to a mono float buffer. */
export function fromPcm16(pcm: Int16Array, sampleRate: number): PcmBuffer {
  const out = new Float32Array(pcm.length);
  for (let i = 0; i < pcm.length; i++) out[i] = pcm[i]! / 32768;
  return { channels: [out], sampleRate };
}
