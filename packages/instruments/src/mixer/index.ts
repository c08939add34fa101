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
export const MASTER_GAIN = 0.4;

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

  /** The last frame any voice sounds (exclusive), or 0 for no voices. */
  readonly endFrame: number;

  constructor(
    voices: readonly VoiceCommand[],
    private readonly buffers: (sample: string) => PcmBuffer | undefined,
    readonly sampleRate: number,
    options: MixerOptions = {},
  ) {
    if (!(Number.isInteger(sampleRate) && sampleRate >= 1000 && sampleRate <= 384000)) {
      throw new RangeError(`sampleRate must be a whole number from 1000 to 384000, got: ${sampleRate}`);
    }
    this.voices = [...voices].filter((v) => Number.isFinite(v.stop)).sort((a, b) => a.start - b.start);
    this.gain = options.masterGain ?? MASTER_GAIN;
    this.endFrame = Math.ceil(this.voices.reduce((end, v) => Math.max(end, v.stop), 0) * sampleRate);
  }

  /** Skips ahead to output frame `frame` without rendering (to render a stretch of a long mix). */
  seek(frame: number): void {
    if (!(Number.isInteger(frame) && frame >= this.frame)) {
      throw new RangeError(`frame must be a whole number from the position ${this.frame} on, got: ${frame}`);
    }
    this.frame = frame;
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
    const dt = 1 / this.sampleRate;
    // The envelope is walked segment by segment: within one, the gain follows g ← g·k + d.
    let i = begin;
    let pos = v.offsetFrames + (begin - v.startFrame) * v.step;
    while (i < end) {
      const run = envelopeRun(v.points, i * dt, dt, end - i);
      pos = mixRun(v, pos, i - from, run.frames, run.gain, run.k, run.d, left, right);
      if (pos < 0) return;
      i += run.frames;
    }
  }
}

/** A stretch of frames over which an envelope's gain follows g ← g·k + d from `gain`. */
interface EnvelopeRun {
  readonly frames: number;
  readonly gain: number;
  readonly k: number;
  readonly d: number;
}

/** The envelope's stretch starting at time `t`, at most `max` frames long. */
export function envelopeRun(
  points: readonly EnvelopePoint[],
  t: Seconds,
  dt: Seconds,
  max: number,
): EnvelopeRun {
  let segment = 0;
  while (segment < points.length && points[segment]!.t <= t) segment++;
  const prev = points[segment - 1];
  const next = points[segment];
  const frames = next ? Math.min(max, Math.max(1, Math.ceil((next.t - t) / dt - 1e-9))) : max;
  if (!prev) return { frames, gain: next ? next.v : 0, k: 1, d: 0 };
  const span = next ? next.t - prev.t : 0;
  if (!next || next.ramp === 'set' || !(span > 0)) return { frames, gain: prev.v, k: 1, d: 0 };
  if (next.ramp === 'linear' || prev.v <= 0 || next.v <= 0) {
    const slope = next.ramp === 'linear' ? (next.v - prev.v) / span : 0;
    return { frames, gain: prev.v + slope * (t - prev.t), k: 1, d: slope * dt };
  }
  const ratio = next.v / prev.v;
  return { frames, gain: prev.v * ratio ** ((t - prev.t) / span), k: ratio ** (dt / span), d: 0 };
}

/** Scratch for {@link mixSpan}'s second result, to avoid an allocation per span. */
let spanGain = 0;

/**
 * Mixes `count` frames reading from `pos` on, every frame's next frame inside the buffer
 * (no wrap, no end); leaves the gain after the span in `spanGain`.
 */
function mixSpan(
  v: ActiveVoice,
  pos: number,
  at: number,
  count: number,
  gain: number,
  k: number,
  d: number,
  left: Float32Array,
  right: Float32Array,
): void {
  const a = v.buffer.channels[0]!;
  const step = v.step;
  const { ll, rl, lr, rr } = v.pan;
  let g = gain;
  let p = pos;
  const last = at + count;
  if (v.stereo) {
    const b = v.buffer.channels[1]!;
    for (let o = at; o < last; o++, p += step, g = g * k + d) {
      const j = p | 0;
      const f = p - j;
      const xa = a[j]! + (a[j + 1]! - a[j]!) * f;
      const xb = b[j]! + (b[j + 1]! - b[j]!) * f;
      left[o]! += g * (xa * ll + xb * rl);
      right[o]! += g * (xa * lr + xb * rr);
    }
  } else {
    for (let o = at; o < last; o++, p += step, g = g * k + d) {
      const j = p | 0;
      const x = g * (a[j]! + (a[j + 1]! - a[j]!) * (p - j));
      left[o]! += x * ll;
      right[o]! += x * rr;
    }
  }
  spanGain = g;
}

/** Mixes one frame at `pos`, interpolating toward frame `next` (the loop's start at its end). */
function mixFrame(
  v: ActiveVoice,
  pos: number,
  next: number,
  o: number,
  g: number,
  left: Float32Array,
  right: Float32Array,
): void {
  const a = v.buffer.channels[0]!;
  const j = pos | 0;
  const f = pos - j;
  const xa = a[j]! + ((a[next] ?? 0) - a[j]!) * f;
  const { ll, rl, lr, rr } = v.pan;
  if (v.stereo) {
    const b = v.buffer.channels[1]!;
    const xb = b[j]! + ((b[next] ?? 0) - b[j]!) * f;
    left[o]! += g * (xa * ll + xb * rl);
    right[o]! += g * (xa * lr + xb * rr);
  } else {
    left[o]! += g * xa * ll;
    right[o]! += g * xa * rr;
  }
}

/**
 * Mixes `count` frames of a voice from buffer position `pos` into the output at `at`, its gain
 * following g ← g·k + d; returns the next position, or -1 once the buffer has ended.
 */
function mixRun(
  v: ActiveVoice,
  start: number,
  at: number,
  count: number,
  gain: number,
  k: number,
  d: number,
  left: Float32Array,
  right: Float32Array,
): number {
  const length = v.buffer.channels[0]!.length;
  const step = v.step;
  let pos = start;
  let g = gain;
  let i = 0;
  // A start a hair past this frame (rounding) reads nothing yet.
  while (i < count && pos < 0) {
    i++;
    pos += step;
    g = g * k + d;
  }
  const loopStart = v.loopStart;
  const loopEnd = v.loopEnd;
  if (!(loopEnd > loopStart + 1)) {
    // Frames past the last one that can be interpolated are silent: the buffer has ended.
    const n = Math.min(count - i, Math.max(0, Math.ceil((length - 1 - pos) / step)));
    mixSpan(v, pos, at + i, n, g, k, d, left, right);
    return i + n < count ? -1 : pos + n * step;
  }
  const loopLength = loopEnd - loopStart;
  const wrapTo = loopStart | 0;
  while (i < count) {
    if (pos >= loopEnd) pos = loopStart + ((pos - loopStart) % loopLength);
    if ((pos | 0) >= length) return -1;
    // Straight frames: those whose next frame still lies before the loop's end.
    const n = Math.min(count - i, Math.max(0, Math.ceil((loopEnd - 1 - pos) / step)));
    if (n > 0) {
      mixSpan(v, pos, at + i, n, g, k, d, left, right);
      g = spanGain;
      pos += n * step;
      i += n;
      continue;
    }
    const j = pos | 0;
    mixFrame(v, pos, j + 1 >= loopEnd ? wrapTo : j + 1, at + i, g, left, right);
    pos += step;
    g = g * k + d;
    i++;
  }
  return pos;
}
