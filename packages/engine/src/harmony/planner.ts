/**
 * The harmonic-rhythm planner: which chord sounds when, in beats. Harmony moves in phrases drawn
 * from the idiom's motion, in periods of four: a phrase, the same phrase again, a contrasting
 * phrase (a vamp, a pedal point or another progression), and the first phrase closing with the
 * idiom's cadence. Familiar material repeats; change comes at phrase boundaries, never chord by
 * chord. Every choice draws on the seeded generator, so the same seed plans the same harmony.
 */
import { getIdiom, type Idiom, type IdiomRef, type Tonic, tonicPc } from '../idiom/index.ts';
import type { Rng } from '../random/index.ts';
import { type Beats, TIME_EPSILON } from '../time/index.ts';
import { type Chord, spellChord } from './chord.ts';
import { type Voicing, type VoicingOptions, voiceChord } from './voicing.ts';

/** One chord of the plan, voiced and placed in musical time. */
export interface HarmonyStep {
  readonly chord: Chord;
  readonly voicing: Voicing;
  readonly start: Beats;
  readonly duration: Beats;
  /** What kind of phrase the chord belongs to. */
  readonly section: 'progression' | 'vamp' | 'pedal' | 'cadence';
  /** Running number of the phrase, from 0. */
  readonly phrase: number;
  /** True on the last chord of a phrase. */
  readonly phraseEnd: boolean;
}

/** Metre and harmonic rhythm of a plan. */
export interface HarmonyOptions {
  /** Beats in a bar (default 4). */
  beatsPerBar: number;
  /** Beats each chord lasts: a whole bar by default, half a bar for faster harmony, two bars for slower. */
  beatsPerChord: Beats;
  /** The beat where the first bar starts (default 0). */
  start: Beats;
  voicing: Partial<VoicingOptions>;
}

/** A chord of a phrase before it is placed in time: a symbol, and a held bass degree for a pedal. */
export interface PhraseSlot {
  readonly symbol: string;
  readonly bassDegree?: number;
  /** How many chord lengths the chord lasts (default 1). */
  readonly hold?: number;
}

interface Material {
  readonly id: string;
  readonly section: 'progression' | 'vamp' | 'pedal';
  readonly slots: readonly PhraseSlot[];
}

/** The longest history of steps the planner keeps for {@link HarmonyPlanner.stepAt}. */
const HISTORY = 256;

/**
 * Plans chords lazily as they are asked for, phrase by phrase.
 * @example new HarmonyPlanner('major', 0, createRng(1)).stepAt(0).chord.symbol // the first chord, on beat 0
 */
export class HarmonyPlanner {
  private idiomNow: Idiom;
  private tonic: number;
  private readonly rng: Rng;
  private readonly options: HarmonyOptions;
  private steps: HarmonyStep[] = [];
  private end: Beats;
  private phraseCount = 0;
  private periodSlot = 0;
  private themeA: Material | null = null;
  private themeB: Material | null = null;

  constructor(idiom: IdiomRef, tonic: Tonic, rng: Rng, options: Partial<HarmonyOptions> = {}) {
    this.idiomNow = getIdiom(idiom);
    this.tonic = tonicPc(tonic);
    this.rng = rng;
    this.options = { beatsPerBar: 4, start: 0, voicing: {}, ...options, beatsPerChord: 0 };
    this.options.beatsPerChord = checkMetre(this.options.beatsPerBar, options.beatsPerChord);
    if (!Number.isFinite(this.options.start))
      throw new RangeError(`start must be finite, got: ${this.options.start}`);
    this.end = this.options.start;
  }

  /** The idiom chords are planned in from now on. */
  get idiom(): Idiom {
    return this.idiomNow;
  }

  /** The tonic pitch class chords are planned in from now on. */
  get tonicPc(): number {
    return this.tonic;
  }

  /** The chord sounding at a beat, planning ahead as needed; null before the start or too far in the past. */
  stepAt(beat: Beats): HarmonyStep | null {
    if (!Number.isFinite(beat)) throw new RangeError(`beat must be finite, got: ${beat}`);
    this.planUntil(beat + TIME_EPSILON);
    const first = this.steps[0];
    if (!first || beat < first.start - TIME_EPSILON) return null;
    let lo = 0;
    let hi = this.steps.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.steps[mid] as HarmonyStep).start <= beat + TIME_EPSILON) lo = mid;
      else hi = mid - 1;
    }
    return this.steps[lo] ?? null;
  }

  /** Every chord sounding in [from, to), planning ahead as needed. */
  stepsIn(from: Beats, to: Beats): HarmonyStep[] {
    if (!(Number.isFinite(from) && Number.isFinite(to)))
      throw new RangeError(`window must be finite, got: ${from}–${to}`);
    if (to <= from) return [];
    this.planUntil(to);
    return this.steps.filter(
      (s) => s.start < to - TIME_EPSILON && s.start + s.duration > from + TIME_EPSILON,
    );
  }

  /**
   * Changes idiom, key or harmonic rhythm from the first bar line at or after `from`; chords
   * already planned from there on are planned again. A new period begins there.
   */
  change(from: Beats, to: { idiom?: IdiomRef; tonicPc?: Tonic; beatsPerChord?: Beats }): void {
    const idiom = to.idiom === undefined ? this.idiomNow : getIdiom(to.idiom);
    const tonic = to.tonicPc === undefined ? this.tonic : tonicPc(to.tonicPc);
    const beatsPerChord =
      to.beatsPerChord === undefined
        ? this.options.beatsPerChord
        : checkMetre(this.options.beatsPerBar, to.beatsPerChord);
    this.cutAt(this.barLineAtOrAfter(from));
    if (idiom !== this.idiomNow) {
      this.themeA = null;
      this.themeB = null;
    }
    this.idiomNow = idiom;
    this.tonic = tonic;
    this.options.beatsPerChord = beatsPerChord;
    this.periodSlot = 0;
  }

  /**
   * Closes the music with the idiom's cadence from the first bar line at or after `from`, the
   * tonic on a downbeat; returns the cadence's steps. Planning goes on after it with a new period.
   */
  cadence(from: Beats): HarmonyStep[] {
    this.cutAt(this.barLineAtOrAfter(from));
    const slots = this.idiomNow.motion.cadence.map((symbol) => ({ symbol }));
    const added = this.append(slots, 'cadence', slots.length);
    this.periodSlot = 0;
    return added;
  }

  /** Drops planned steps that end before a beat (memory for long sessions). */
  forget(before: Beats): void {
    this.steps = this.steps.filter((s) => s.start + s.duration > before);
  }

  private planUntil(beat: Beats): void {
    while (this.end <= beat) this.planPhrase();
    if (this.steps.length > HISTORY) this.steps = this.steps.slice(this.steps.length - HISTORY);
  }

  /** Plans the next phrase of the period: A, A, B, A with cadence. */
  private planPhrase(): void {
    const idiom = this.idiomNow;
    if (this.periodSlot === 0) {
      // A familiar theme often returns for the next period; otherwise a new one is chosen.
      const keep = this.themeA !== null && this.rng.chance(0.4);
      this.themeA = keep ? this.themeA : this.chooseMaterial(idiom, this.themeA, true);
      this.themeB = this.chooseMaterial(idiom, this.themeA, false);
    }
    const a = this.themeA as Material;
    const b = this.themeB as Material;
    const slot = this.periodSlot;
    this.periodSlot = (slot + 1) % 4;
    if (slot === 2) this.append(b.slots, b.section);
    else if (slot === 3)
      this.append(withCadence(a.slots, idiom.motion.cadence), a.section, idiom.motion.cadence.length);
    else this.append(a.slots, a.section);
  }

  /** A theme (progressions twice as likely as vamps) or a contrast (any other material). */
  private chooseMaterial(idiom: Idiom, avoid: Material | null, theme: boolean): Material {
    const all = materialsOf(idiom);
    const candidates = all.filter((m) => m.id !== avoid?.id && (!theme || m.section !== 'pedal'));
    const weighted = candidates.flatMap((m) => (theme && m.section === 'progression' ? [m, m] : [m]));
    return this.rng.pick(weighted.length > 0 ? weighted : all);
  }

  /**
   * Times and voices slots from the end of the plan. A phrase ends on a bar line; its last
   * `closing` slots are a cadence, whose tonic falls on a downbeat and lasts at least a bar.
   */
  private append(slots: readonly PhraseSlot[], section: HarmonyStep['section'], closing = 0): HarmonyStep[] {
    const { beatsPerBar, beatsPerChord } = this.options;
    const added: HarmonyStep[] = [];
    let previous = this.steps[this.steps.length - 1]?.voicing ?? null;
    let at = this.end;
    slots.forEach((slot, i) => {
      const isLast = i === slots.length - 1;
      const inCadence = i >= slots.length - closing;
      const length = beatsPerChord * (slot.hold ?? 1);
      let duration = length;
      if (isLast) {
        const minimum = inCadence ? Math.max(beatsPerBar, length) : length;
        duration = this.barLineAtOrAfter(at + minimum) - at;
      } else if (inCadence && i === slots.length - 2) {
        // The chord before the tonic stretches so that the tonic falls on a downbeat.
        duration = this.barLineAtOrAfter(at + beatsPerChord) - at;
      }
      const chord = spellChord(
        this.idiomNow,
        slot.symbol,
        this.tonic,
        slot.bassDegree === undefined ? {} : { bassDegree: slot.bassDegree },
      );
      const voicing = voiceChord(chord, previous, this.options.voicing);
      const step: HarmonyStep = {
        chord,
        voicing,
        start: at,
        duration,
        section: inCadence ? 'cadence' : section,
        phrase: this.phraseCount,
        phraseEnd: isLast,
      };
      added.push(step);
      this.steps.push(step);
      previous = voicing;
      at += duration;
    });
    this.end = at;
    this.phraseCount++;
    return added;
  }

  /** Drops steps from a beat on and shortens the one sounding across it. */
  private cutAt(beat: Beats): void {
    this.planUntil(beat - TIME_EPSILON);
    this.steps = this.steps
      .filter((s) => s.start < beat - TIME_EPSILON)
      .map((s) => (s.start + s.duration > beat + TIME_EPSILON ? { ...s, duration: beat - s.start } : s));
    this.end = beat;
  }

  private barLineAtOrAfter(beat: Beats): Beats {
    const { beatsPerBar, start } = this.options;
    const bars = Math.ceil((beat - start) / beatsPerBar - TIME_EPSILON);
    return start + Math.max(0, bars) * beatsPerBar;
  }
}

/** The materials of an idiom's motion: progressions, vamps (played twice through) and pedal points. */
function materialsOf(idiom: Idiom): Material[] {
  const { progressions, vamps, pedals } = idiom.motion;
  return [
    ...progressions.map((p, i) => ({
      id: `progression ${i}`,
      section: 'progression' as const,
      slots: p.map((symbol) => ({ symbol })),
    })),
    ...vamps.map((v, i) => ({
      id: `vamp ${i}`,
      section: 'vamp' as const,
      slots: [...v, ...v].map((symbol) => ({ symbol })),
    })),
    ...pedals.map((p, i) => ({
      id: `pedal ${i}`,
      section: 'pedal' as const,
      slots: p.chords.map((symbol) => ({ symbol, bassDegree: p.degree })),
    })),
  ];
}

/**
 * A phrase closed by a cadence: where the phrase already holds the cadence formula it closes there
 * and holds the tonic; otherwise the formula replaces the phrase's last chords.
 * @example withCadence([{ symbol: 'I' }, { symbol: 'vi' }, { symbol: 'IV' }, { symbol: 'V' }], ['IV', 'V7', 'I']) // I IV V7 I
 */
export function withCadence(slots: readonly PhraseSlot[], cadence: readonly string[]): PhraseSlot[] {
  const k = cadence.length;
  const tonic = cadence[k - 1] as string;
  for (let p = slots.length - k; p >= 0; p--) {
    if (
      cadence.every((symbol, j) => slots[p + j]?.symbol === symbol && slots[p + j]?.bassDegree === undefined)
    ) {
      // The tonic is held for the rest of the phrase, so the phrase keeps its length.
      return [...slots.slice(0, p + k - 1), { symbol: tonic, hold: 1 + slots.length - (p + k) }];
    }
  }
  return [...slots.slice(0, Math.max(0, slots.length - k)), ...cadence.map((symbol) => ({ symbol }))];
}

/** Checks a metre, returning the chord length (a bar when not given). */
function checkMetre(beatsPerBar: number, beatsPerChord: Beats | undefined): Beats {
  if (!(Number.isInteger(beatsPerBar) && beatsPerBar >= 1 && beatsPerBar <= 16)) {
    throw new RangeError(`beatsPerBar must be a whole number 1–16, got: ${beatsPerBar}`);
  }
  const length = beatsPerChord ?? beatsPerBar;
  const ratio = length >= beatsPerBar ? length / beatsPerBar : beatsPerBar / length;
  if (!(Number.isFinite(length) && length > 0 && Math.abs(ratio - Math.round(ratio)) < 1e-9)) {
    throw new RangeError(
      `beatsPerChord must divide a bar of ${beatsPerBar} or be whole bars, got: ${length}`,
    );
  }
  return length;
}

/**
 * The idiom's cadence in a key as planned steps: the formula's chords from `start`, the chord
 * before the tonic stretched so that the tonic, with the tonic in the bass, falls on a downbeat.
 * @example cadence('major', 0).map((s) => s.chord.symbol) // ['IV', 'V7', 'I']
 */
export function cadence(
  idiom: IdiomRef,
  key: Tonic,
  options: Partial<HarmonyOptions> & { previous?: Voicing | null } = {},
): HarmonyStep[] {
  const frame = getIdiom(idiom);
  const beatsPerBar = options.beatsPerBar ?? 4;
  const beatsPerChord = checkMetre(beatsPerBar, options.beatsPerChord);
  const origin = options.start ?? 0;
  const barLine = (beat: Beats): Beats =>
    origin + Math.max(0, Math.ceil((beat - origin) / beatsPerBar - TIME_EPSILON)) * beatsPerBar;
  const steps: HarmonyStep[] = [];
  let previous = options.previous ?? null;
  let at = origin;
  frame.motion.cadence.forEach((symbol, i, all) => {
    const isTonic = i === all.length - 1;
    const duration = isTonic
      ? Math.max(beatsPerBar, beatsPerChord)
      : i === all.length - 2
        ? barLine(at + beatsPerChord) - at
        : beatsPerChord;
    const chord = spellChord(frame, symbol, key);
    const voicing = voiceChord(chord, previous, options.voicing ?? {});
    steps.push({ chord, voicing, start: at, duration, section: 'cadence', phrase: 0, phraseEnd: isTonic });
    previous = voicing;
    at += duration;
  });
  return steps;
}
