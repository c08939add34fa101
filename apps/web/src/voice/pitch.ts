/**
 * Pitch of a sung, hummed or spoken sound by YIN (de Cheveigné and Kawahara, 2002): the
 * cumulative-mean-normalised difference function of a window against itself shifted by each lag,
 * its first dip under a threshold taken as the period, refined by a parabola through the dip.
 * The difference function's cross term is an autocorrelation computed with an FFT, so an
 * estimate costs three FFTs instead of a window times every lag.
 */
import type { Midi } from '@attune/engine';
import { Fft } from './fft.ts';

/** What YIN found in one window. */
export interface PitchEstimate {
  /** Fundamental frequency in Hz, or null when the window has no periodic part at all. */
  readonly frequency: number | null;
  /** 1 − the normalised difference at the period: near 1 for a clean tone, low for noise. */
  readonly confidence: number;
}

/** The range and settings of the tracker. */
export interface PitchOptions {
  /** Lowest fundamental looked for (Hz); 65 Hz is C2, below a bass voice's low notes. */
  readonly minFrequency?: number;
  /** Highest fundamental looked for (Hz); 1100 Hz is above a child's or soprano's sung range. */
  readonly maxFrequency?: number;
  /** Length of the compared window (seconds); about two periods of the lowest pitch's half. */
  readonly window?: number;
  /** YIN's absolute threshold: the first dip under it is the period (avoids octave errors). */
  readonly threshold?: number;
}

const DEFAULTS = { minFrequency: 65, maxFrequency: 1100, window: 0.021, threshold: 0.15 } as const;

/**
 * The MIDI pitch of a frequency, fractional (A4 = 440 Hz = 69).
 * @example frequencyToMidi(261.63) // ≈ 60
 */
export function frequencyToMidi(frequency: number): Midi {
  return 69 + 12 * Math.log2(frequency / 440);
}

/**
 * The frequency of a MIDI pitch.
 * @example midiToFrequency(69) // 440
 */
export function midiToFrequency(pitch: Midi): number {
  return 440 * 2 ** ((pitch - 69) / 12);
}

/** A YIN pitch tracker for one sample rate, reusing its buffers from call to call. */
export class YinPitch {
  /** Samples each estimate reads: the window plus the longest lag. */
  readonly length: number;
  private readonly window: number;
  private readonly minLag: number;
  private readonly maxLag: number;
  private readonly threshold: number;
  private readonly fft: Fft;
  private readonly aRe: Float64Array;
  private readonly aIm: Float64Array;
  private readonly bRe: Float64Array;
  private readonly bIm: Float64Array;
  private readonly power: Float64Array;
  private readonly cmnd: Float64Array;
  private readonly diff: Float64Array;

  constructor(
    readonly sampleRate: number,
    options: PitchOptions = {},
  ) {
    if (!(Number.isFinite(sampleRate) && sampleRate >= 8000 && sampleRate <= 384_000)) {
      throw new RangeError(`sample rate must be 8000–384000 Hz, got: ${sampleRate}`);
    }
    const o = { ...DEFAULTS, ...options };
    if (!(o.minFrequency > 0 && o.maxFrequency > o.minFrequency && o.maxFrequency < sampleRate / 4)) {
      throw new RangeError(
        `pitch range must satisfy 0 < min < max < sampleRate/4, got: ${o.minFrequency}–${o.maxFrequency} Hz`,
      );
    }
    this.minLag = Math.max(2, Math.floor(sampleRate / o.maxFrequency));
    this.maxLag = Math.ceil(sampleRate / o.minFrequency);
    this.window = Math.max(this.maxLag, Math.round(o.window * sampleRate));
    this.threshold = o.threshold;
    this.length = this.window + this.maxLag + 1;
    let size = 2;
    while (size < this.length) size *= 2;
    this.fft = new Fft(size);
    this.aRe = new Float64Array(size);
    this.aIm = new Float64Array(size);
    this.bRe = new Float64Array(size);
    this.bIm = new Float64Array(size);
    this.power = new Float64Array(this.length + 1);
    this.cmnd = new Float64Array(this.maxLag + 2);
    this.diff = new Float64Array(this.maxLag + 2);
  }

  /**
   * The pitch of the last {@link length} samples of `samples` (fewer samples: no pitch).
   * @example new YinPitch(48000).estimate(sine(440, 48000, 0.05)).frequency // ≈ 440
   */
  estimate(samples: ArrayLike<number>): PitchEstimate {
    const n = this.length;
    if (samples.length < n) return { frequency: null, confidence: 0 };
    const offset = samples.length - n;
    const { aRe, aIm, bRe, bIm, power, cmnd, diff, window: w, maxLag } = this;
    aRe.fill(0);
    aIm.fill(0);
    bRe.fill(0);
    bIm.fill(0);
    // The mean is removed so a DC offset from the microphone does not read as a long period.
    let mean = 0;
    for (let i = 0; i < n; i++) mean += samples[offset + i] as number;
    mean /= n;
    power[0] = 0;
    for (let i = 0; i < n; i++) {
      const x = (samples[offset + i] as number) - mean;
      bRe[i] = x;
      if (i < w) aRe[i] = x;
      power[i + 1] = (power[i] as number) + x * x;
    }
    // r(τ) = Σ_{j<w} x_j·x_{j+τ} = IFFT(conj(A)·B); no wrap-around since w + maxLag < size.
    this.fft.transform(aRe, aIm);
    this.fft.transform(bRe, bIm);
    for (let k = 0; k < aRe.length; k++) {
      const ar = aRe[k] as number;
      const ai = -(aIm[k] as number);
      const br = bRe[k] as number;
      const bi = bIm[k] as number;
      aRe[k] = ar * br - ai * bi;
      aIm[k] = ar * bi + ai * br;
    }
    this.fft.transform(aRe, aIm, true);
    const scale = 1 / aRe.length;
    const e0 = power[w] as number;
    if (e0 <= 1e-20) return { frequency: null, confidence: 0 };
    // d(τ) = Σ (x_j − x_{j+τ})², normalised by its running mean so d'(τ) ≈ 1 for noise.
    cmnd[0] = 1;
    let running = 0;
    for (let lag = 1; lag <= maxLag + 1 && lag + w <= n; lag++) {
      const energy = (power[lag + w] as number) - (power[lag] as number);
      const d = Math.max(0, e0 + energy - 2 * (aRe[lag] as number) * scale);
      diff[lag] = d;
      running += d;
      cmnd[lag] = running > 0 ? (d * lag) / running : 1;
    }
    const last = Math.min(maxLag + 1, n - w);
    let best = -1;
    for (let lag = this.minLag; lag < last; lag++) {
      if ((cmnd[lag] as number) < this.threshold) {
        // The deepest point of the whole dip: noise makes its slopes bumpy, and the first local
        // minimum on the way down would read sharp.
        best = lag;
        for (; lag < last && (cmnd[lag] as number) < this.threshold; lag++) {
          if ((cmnd[lag] as number) < (cmnd[best] as number)) best = lag;
        }
        break;
      }
    }
    if (best < 0) {
      // No dip under the threshold: the deepest one, with the low confidence it deserves.
      let lowest = Number.POSITIVE_INFINITY;
      for (let lag = this.minLag; lag < last; lag++) {
        if ((cmnd[lag] as number) < lowest) {
          lowest = cmnd[lag] as number;
          best = lag;
        }
      }
    }
    if (best <= 0 || best >= last - 1 || best < this.minLag) {
      return { frequency: null, confidence: 0 };
    }
    // The parabola goes through the raw difference, which the normalisation would bias.
    const before = diff[best - 1] as number;
    const at = diff[best] as number;
    const after = diff[best + 1] as number;
    const curve = before - 2 * at + after;
    const shift = curve > 0 ? (0.5 * (before - after)) / curve : 0;
    const period = best + Math.max(-1, Math.min(1, shift));
    const confidence = Math.max(0, Math.min(1, 1 - (cmnd[best] as number)));
    return { frequency: this.sampleRate / period, confidence };
  }
}
