/**
 * The offline mixer: carries out voice commands into stereo Float32 blocks, frame-exactly, with
 * Web Audio's rules (sub-sample start, linear interpolation, automation curves, equal-power
 * panning), so an export sounds as the session did. Pure TypeScript; renders block by block so
 * an hour of music needs no hour-long buffer.
 */
import type { Seconds } from '@attune/engine';
import { type EnvelopePoint, envelopePoints } from '../envelope/index.ts';
import type { VoiceCommand } from '../planner/index.ts';
import { frameCount, type PcmBuffer } from '../sample/index.ts';

interface ActiveVoice {
  readonly buffer: PcmBuffer;
  /** Exact start in output frames (fractional). */
  readonly startFrame: number;
  readonly firstFrame: number;
  readonly stopFrame: number;
  /** Buffer frames advanced per output frame. */
  readonly step: number;
  readonly offsetFrames: number;
  readonly loopStart: number;
  readonly loopEnd: number;
  readonly points: readonly EnvelopePoint[];
  readonly pan: PanGains;
  readonly stereo: boolean;
}

/** Options of the mixer. */
export interface MixerOptions {
  /** Linear gain on the mix (headroom for many voices). */
  readonly masterGain?: number;
}

/** The master gain Attune uses live and offline. */
export const MASTER_GAIN = 0.5;

/** The gains of a Web Audio StereoPannerNode: outL = ll·inL + rl·inR, outR = lr·inL + rr·inR (mono: inR = 0). */
export interface PanGains {
  readonly ll: number;
  readonly rl: number;
  readonly lr: number;
  readonly rr: number;
}

/**
 * The gains of a Web Audio StereoPannerNode at `pan` for mono or stereo input (equal power).
 * @example panGains(0, false).ll // ≈ 0.7071
 */
export function panGains(pan: number, stereo: boolean): PanGains {
  const p = Math.max(-1, Math.min(1, pan));
  if (!stereo) {
    const x = ((p + 1) / 2) * (Math.PI / 2);
    return { ll: Math.cos(x), rl: 0, lr: 0, rr: Math.sin(x) };
  }
  if (p <= 0) {
    const x = (p + 1) * (Math.PI / 2);
    return { ll: 1, rl: Math.cos(x), lr: 0, rr: Math.sin(x) };
  }
  const x = p * (Math.PI / 2);
  return { ll: Math.cos(x), rl: 0, lr: Math.sin(x), rr: 1 };
}

/** Renders voice commands block after block into stereo output at a sample rate. */
export class OfflineMixer {
  private readonly voices: VoiceCommand[];
  private next = 0;
  private active: ActiveVoice[] = [];
  private frame = 0;
  private readonly gain: number;
  private scratch = new Float32Array(0);

  /** The last frame any voice sounds (exclusive), or 0 for no voices. */
  readonly endFrame: number;

  constructor(
    voices: readonly VoiceCommand[],
    private readonly buffers: (sample: string) => PcmBuffer | undefined,
    readonly sampleRate: number,
    options: MixerOptions = {},
  ) {
    if (!(Number.isInteger(sampleRate) && sampleRate >= 8000 && sampleRate <= 384000)) {
      throw new RangeError(`sampleRate must be a whole number from 8000 to 384000, got: ${sampleRate}`);
    }
    this.voices = [...voices].filter((v) => Number.isFinite(v.stop)).sort((a, b) => a.start - b.start);
    this.gain = options.masterGain ?? MASTER_GAIN;
    this.endFrame = Math.ceil(Math.max(0, ...this.voices.map((v) => v.stop)) * sampleRate);
  }

  /** The output frame the next block starts at. */
  get position(): number {
    return this.frame;
  }

  /** Renders the next `frames` frames into new left/right arrays. */
  render(frames: number): [Float32Array, Float32Array] {
    const left = new Float32Array(frames);
    const right = new Float32Array(frames);
    this.renderInto(left, right);
    return [left, right];
  }

  /** Adds the next `left.length` frames of the mix into `left` and `right`. */
  renderInto(left: Float32Array, right: Float32Array): void {
    const from = this.frame;
    const to = from + left.length;
    const sr = this.sampleRate;
    while (this.next < this.voices.length && this.voices[this.next]!.start * sr < to) {
      const voice = this.activate(this.voices[this.next++]!);
      if (voice) this.active.push(voice);
    }
    if (this.scratch.length < left.length) this.scratch = new Float32Array(left.length);
    this.active = this.active.filter((voice) => {
      this.mixVoice(voice, from, to, left, right);
      return voice.stopFrame > to;
    });
    this.frame = to;
  }

  private activate(v: VoiceCommand): ActiveVoice | null {
    const buffer = this.buffers(v.sample);
    if (!buffer || frameCount(buffer) === 0 || !(v.rate > 0)) return null;
    const sr = this.sampleRate;
    const startFrame = v.start * sr;
    const stereo = buffer.channels.length > 1;
    const gain = this.gain;
    const { points } = envelopePoints(v.envelope, v.envelopeStart, v.peak * gain, v.release);
    return {
      buffer,
      startFrame,
      firstFrame: Math.ceil(startFrame - 1e-7),
      stopFrame: Math.ceil(v.stop * sr - 1e-7),
      step: (v.rate * buffer.sampleRate) / sr,
      offsetFrames: v.offset * buffer.sampleRate,
      loopStart: v.loop ? v.loop.start * buffer.sampleRate : 0,
      loopEnd: v.loop ? Math.min(v.loop.end * buffer.sampleRate, frameCount(buffer)) : 0,
      points,
      pan: panGains(v.pan, stereo),
      stereo,
    };
  }

  private mixVoice(v: ActiveVoice, from: number, to: number, left: Float32Array, right: Float32Array): void {
    const begin = Math.max(from, v.firstFrame);
    const end = Math.min(to, v.stopFrame);
    if (end <= begin) return;
    const count = end - begin;
    const env = this.scratch;
    fillEnvelope(v.points, begin / this.sampleRate, 1 / this.sampleRate, env, count);
    const a = v.buffer.channels[0]!;
    const b = v.stereo ? v.buffer.channels[1]! : a;
    const length = a.length;
    const looping = v.loopEnd > v.loopStart + 1;
    const loopLength = v.loopEnd - v.loopStart;
    const pan = v.pan;
    let pos = v.offsetFrames + (begin - v.startFrame) * v.step;
    const base = begin - from;
    for (let i = 0; i < count; i++, pos += v.step) {
      if (looping && pos >= v.loopEnd) pos = v.loopStart + ((pos - v.loopStart) % loopLength);
      // A start a hair past this frame (rounding) reads nothing yet.
      if (pos < 0) continue;
      const index = Math.floor(pos);
      if (index >= length) break;
      const frac = pos - index;
      let nextIndex = index + 1;
      if (looping && nextIndex >= v.loopEnd) nextIndex = Math.floor(v.loopStart);
      const a0 = a[index]!;
      const a1 = nextIndex < length ? a[nextIndex]! : 0;
      const xa = a0 + (a1 - a0) * frac;
      const g = env[i]!;
      if (v.stereo) {
        const b0 = b[index]!;
        const b1 = nextIndex < length ? b[nextIndex]! : 0;
        const xb = b0 + (b1 - b0) * frac;
        left[base + i]! += g * (xa * pan.ll + xb * pan.rl);
        right[base + i]! += g * (xa * pan.lr + xb * pan.rr);
      } else {
        left[base + i]! += g * xa * pan.ll;
        right[base + i]! += g * xa * pan.rr;
      }
    }
  }
}

/**
 * Fills `out[0..count)` with an automation curve sampled at `t0 + i·dt`, walking its segments
 * with one multiplication or addition per frame.
 */
export function fillEnvelope(
  points: readonly EnvelopePoint[],
  t0: Seconds,
  dt: Seconds,
  out: Float32Array,
  count: number,
): void {
  let i = 0;
  let segment = 0;
  // The first frame at or after time t.
  const frameAt = (t: Seconds) => Math.min(count, Math.max(i + 1, Math.ceil((t - t0) / dt - 1e-9)));
  while (i < count) {
    const t = t0 + i * dt;
    while (segment < points.length && points[segment]!.t <= t) segment++;
    const prev = points[segment - 1];
    const next = points[segment];
    const until = next ? frameAt(next.t) : count;
    if (!prev) {
      // Before the first point the curve holds the first point's value.
      for (; i < until; i++) out[i] = next ? next.v : 0;
      continue;
    }
    const span = next ? next.t - prev.t : 0;
    if (!next || next.ramp === 'set' || !(span > 0)) {
      for (; i < until; i++) out[i] = prev.v;
    } else if (next.ramp === 'linear' || prev.v <= 0 || next.v <= 0) {
      const slope = next.ramp === 'linear' ? (next.v - prev.v) / span : 0;
      for (; i < until; i++) out[i] = prev.v + slope * (t0 + i * dt - prev.t);
    } else {
      const ratio = next.v / prev.v;
      let v = prev.v * ratio ** ((t - prev.t) / span);
      const k = ratio ** (dt / span);
      for (; i < until; i++, v *= k) out[i] = v;
    }
  }
}
