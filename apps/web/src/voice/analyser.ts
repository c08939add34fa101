/**
 * The voice analyser: samples in, voice events out. Every hop of 128 samples (one Web Audio
 * render quantum, 2.7 ms at 48 kHz) it measures the level, asks the onset detector and the gate,
 * and every fourth hop (about 10 ms) it estimates the pitch; the segmenter turns those readings
 * into onsets, contours and ends. Pure: the AudioWorklet feeds it the microphone, the tests feed
 * it synthesised voices.
 */
import type { Midi, Seconds } from '@attune/engine';
import { DIGITAL_SILENCE, type GateOptions, LoudnessGate, levelDb } from './gate.ts';
import { OnsetDetector, type OnsetOptions } from './onset.ts';
import { frequencyToMidi, type PitchOptions, YinPitch } from './pitch.ts';
import { VOICED, type VoiceEvent, VoiceSegmenter } from './segmenter.ts';

/** Samples per hop: one render quantum. */
export const HOP = 128;
/** Hops between pitch estimates. */
const PITCH_EVERY = 4;
/** Length of the short window the onset detector reads (samples): about 5 ms. */
const SHORT_WINDOW = 256;
/** Hops the gate's and loudness's level is averaged over: about 20 ms, so a note's end is not smeared. */
const LEVEL_HOPS = 8;
/** A pitch estimate stays current for the gate this long (seconds). */
const PITCH_FRESH: Seconds = 0.03;
/** The level (dB full scale) read as loudness 0; full scale is loudness 1. */
export const LOUDNESS_BOTTOM = -70;

/** The analyser's settings. */
export interface AnalyserOptions {
  readonly pitch?: PitchOptions;
  readonly gate?: GateOptions;
  readonly onset?: OnsetOptions;
}

/** What a level meter shows: the level, the room's floor, whether the voice counts, its pitch. */
export interface VoiceMeter {
  readonly t: Seconds;
  /** dB full scale. */
  readonly level: number;
  /** dB full scale. */
  readonly floor: number;
  readonly open: boolean;
  readonly pitch: Midi | null;
}

/**
 * Loudness 0–1 of a level in dB full scale: −70 dB is 0 and full scale is 1, evenly in dB.
 * @example loudnessOf(-35) // 0.5
 */
export function loudnessOf(level: number): number {
  return Math.max(0, Math.min(1, (level - LOUDNESS_BOTTOM) / -LOUDNESS_BOTTOM));
}

/** Hears a voice in a stream of samples. */
export class VoiceAnalyser {
  private readonly pitch: YinPitch;
  private readonly gate: LoudnessGate;
  private readonly onsets: OnsetDetector;
  private readonly segmenter = new VoiceSegmenter();
  private readonly history: Float32Array;
  /** Samples of the current hop received so far. */
  private filled = 0;
  private hops = 0;
  /** Mean square of each of the last hops, and their sum. */
  private readonly hopPowers = new Float64Array(LEVEL_HOPS);
  private powerSum = 0;
  /** Hops since the last one of digital silence. */
  private sounding = 0;
  private latestPitch: { t: Seconds; pitch: Midi | null; confidence: number } | null = null;
  private meterReading: VoiceMeter | null = null;

  constructor(
    readonly sampleRate: number,
    options: AnalyserOptions = {},
  ) {
    this.pitch = new YinPitch(sampleRate, options.pitch);
    const step = HOP / sampleRate;
    this.gate = new LoudnessGate(step, options.gate);
    this.onsets = new OnsetDetector(step, options.onset);
    this.history = new Float32Array(Math.max(this.pitch.length, SHORT_WINDOW) + HOP);
  }

  /** The latest meter reading, or null before the first hop. */
  meter(): VoiceMeter | null {
    return this.meterReading;
  }

  /**
   * Feeds samples whose first one was captured at time `t` (seconds); returns the voice events
   * they complete. Each hop is stamped from the samples that end it, so a dropped buffer shifts
   * nothing after it.
   */
  push(samples: ArrayLike<number>, t: Seconds): VoiceEvent[] {
    const out: VoiceEvent[] = [];
    const rate = this.sampleRate;
    const history = this.history;
    const tail = history.length - HOP;
    for (let i = 0; i < samples.length; i++) {
      const x = samples[i] as number;
      history[tail + this.filled] = Number.isFinite(x) ? x : 0;
      this.filled++;
      if (this.filled === HOP) {
        const end = t + (i + 1) / rate;
        for (const event of this.hop(end)) out.push(event);
        history.copyWithin(0, HOP);
        this.filled = 0;
      }
    }
    return out;
  }

  /** Ends a sounding voice at time `t` (the microphone switched off). */
  flush(t: Seconds): VoiceEvent[] {
    return this.segmenter.flush(t);
  }

  private hop(t: Seconds): VoiceEvent[] {
    const history = this.history;
    const n = history.length;
    let sum = 0;
    for (let i = n - SHORT_WINDOW; i < n; i++) sum += (history[i] as number) ** 2;
    const shortLevel = levelDb(sum / SHORT_WINDOW);
    let hopSum = 0;
    for (let i = n - HOP; i < n; i++) hopSum += (history[i] as number) ** 2;
    // The level starts from the first hop's, not from silence: the room is already there.
    const power = hopSum / HOP;
    if (this.hops === 0) this.hopPowers.fill(power);
    this.powerSum = 0;
    const slot = this.hops % LEVEL_HOPS;
    this.hopPowers[slot] = power;
    for (const p of this.hopPowers) this.powerSum += p;
    // A level window that still holds digital silence (a microphone starting, a dropout) is not
    // the room yet: the gate is told it is silence, so it learns no floor from the ramp up.
    this.sounding = levelDb(power) < DIGITAL_SILENCE ? 0 : this.sounding + 1;
    const level = this.sounding >= LEVEL_HOPS ? levelDb(this.powerSum / LEVEL_HOPS) : levelDb(0);

    this.hops++;
    let reading = null;
    if (this.hops % PITCH_EVERY === 0) {
      const estimate = this.pitch.estimate(history);
      const length = this.pitch.length / this.sampleRate;
      const pitch =
        estimate.frequency !== null && estimate.confidence >= VOICED
          ? frequencyToMidi(estimate.frequency)
          : null;
      reading = { pitch, confidence: estimate.confidence, from: t - length, t: t - length / 2 };
      this.latestPitch = { t, pitch, confidence: estimate.confidence };
    }
    const fresh =
      this.latestPitch !== null && t - this.latestPitch.t <= PITCH_FRESH ? this.latestPitch : null;
    const pitched = fresh !== null && fresh.pitch !== null;
    const open = this.gate.update(level, pitched);
    const onset = this.onsets.update(t, shortLevel);
    this.meterReading = { t, level, floor: this.gate.floor, open, pitch: fresh?.pitch ?? null };
    return this.segmenter.update({ t, loudness: open ? loudnessOf(level) : 0, open, onset, pitch: reading });
  }
}
