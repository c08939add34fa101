/**
 * The loudness gate: what counts as someone's voice and what is the room. It keeps a noise floor
 * by minimum statistics (the quietest level of the last two seconds, Martin 2001) and opens when
 * the level stands clearly above it. Steady room noise (a fan, traffic, a heater) becomes the
 * floor within the memory; a whisper, which has gaps between syllables where the room shows
 * through, stands above it and counts. A pitched sound needs less margin than an unpitched one,
 * because noise is almost never periodic; and pitched frames never raise the floor, so a long
 * held note is not mistaken for the room.
 */
import type { Seconds } from '@attune/engine';

/** How far above the floor a sound must stand, in dB, and how long the floor remembers. */
export interface GateOptions {
  /** dB above the floor an unpitched sound (a whisper, a breath, a clap) needs to count. */
  readonly margin?: number;
  /** dB above the floor a pitched sound (a hum, a sung note) needs to count. */
  readonly pitchedMargin?: number;
  /** dB above the floor under which an open gate closes (below both margins: no flutter). */
  readonly closeMargin?: number;
  /** Nothing quieter than this (dB full scale) counts, however quiet the room. */
  readonly quietest?: number;
  /** How long the floor remembers its quietest level; steady noise becomes the floor after it. */
  readonly memory?: Seconds;
}

/** The gate's settings; docs/INPUTS.md says why each is what it is. */
export const GATE_DEFAULTS = {
  margin: 6,
  pitchedMargin: 3,
  closeMargin: 2,
  quietest: -70,
  memory: 2,
} as const satisfies Required<GateOptions>;

/** Sub-windows of the floor's memory: the floor is the least of their minima. */
const PARTS = 8;
/**
 * Levels below this (dB full scale) are digital silence, not a room: a microphone's first
 * buffers are often zeros, and a floor learnt from them would count the room as a voice.
 */
export const DIGITAL_SILENCE = -100;

/**
 * A level in dB full scale from a mean square (power), never below −120 dB.
 * @example levelDb(0.5) // ≈ −3.01
 */
export function levelDb(power: number): number {
  return 10 * Math.log10(Math.max(power, 1e-12));
}

/** Decides, level by level, whether a voice is sounding above the room. */
export class LoudnessGate {
  private readonly options: Required<GateOptions>;
  private readonly perPart: number;
  private readonly parts: number[] = [];
  private partMin = Number.POSITIVE_INFINITY;
  private partCount = 0;
  private current = Number.NaN;
  private silent = 0;
  private isOpen = false;

  constructor(
    /** Seconds between the levels given to {@link update}. */
    readonly step: Seconds,
    options: GateOptions = {},
  ) {
    if (!(step > 0 && Number.isFinite(step))) throw new RangeError(`gate step must be > 0 s, got: ${step}`);
    this.options = { ...GATE_DEFAULTS, ...options };
    const { margin, pitchedMargin, closeMargin, memory } = this.options;
    if (!(closeMargin <= pitchedMargin && pitchedMargin <= margin && closeMargin >= 0)) {
      throw new RangeError(
        `gate margins must satisfy 0 ≤ close ≤ pitched ≤ margin, got: ${closeMargin}, ${pitchedMargin}, ${margin}`,
      );
    }
    if (!(memory >= step * PARTS))
      throw new RangeError(`gate memory must be ≥ ${step * PARTS} s, got: ${memory}`);
    this.perPart = Math.round(memory / PARTS / step);
  }

  /** The room's level now (dB full scale); NaN before the first level. */
  get floor(): number {
    return this.current;
  }

  /** Whether the gate is open. */
  get open(): boolean {
    return this.isOpen;
  }

  /** Takes the next level (dB full scale) and whether it is pitched; returns whether it counts. */
  update(level: number, pitched: boolean): boolean {
    // A pitched level stays out of the floor: a held note is a voice, not the room.
    if (!pitched && level > DIGITAL_SILENCE) this.partMin = Math.min(this.partMin, level);
    this.partCount++;
    if (this.partCount >= this.perPart) {
      this.parts.push(this.partMin);
      if (this.parts.length > PARTS) this.parts.shift();
      this.partMin = Number.POSITIVE_INFINITY;
      this.partCount = 0;
    }
    const remembered = Math.min(this.partMin, ...this.parts);
    // Two seconds of nothing but pitched sound: the floor stays where it was.
    if (Number.isFinite(remembered)) this.current = remembered;
    else if (Number.isNaN(this.current) && level > DIGITAL_SILENCE) this.current = level;
    // A whole memory of digital silence (a line muted or unplugged): the room is unknown again.
    this.silent = level > DIGITAL_SILENCE ? 0 : this.silent + 1;
    if (this.silent >= this.perPart * PARTS) this.current = Number.NaN;
    // Nothing heard yet but silence: nothing counts until the room is known. On a perfectly
    // quiet line the first sound is taken as the room (a microphone always hears some).
    if (Number.isNaN(this.current)) {
      this.isOpen = false;
      return false;
    }
    const { margin, pitchedMargin, closeMargin, quietest } = this.options;
    const above = level - this.current;
    if (level < quietest) this.isOpen = false;
    else if (this.isOpen) this.isOpen = above >= closeMargin;
    else this.isOpen = above >= (pitched ? pitchedMargin : margin);
    return this.isOpen;
  }
}
