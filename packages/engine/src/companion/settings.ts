/**
 * The therapist's settings for the companion and the steering controls that change them during a
 * session. Settings are plain data; `resolveSettings` fills defaults and throws a one-line reason
 * (with the bad value) for anything it cannot use.
 */
import { parseTechniques, type TechniqueName } from '../technique/index.ts';
import { VOICES, type Voice } from '../texture/index.ts';
import type { Bpm, Midi, Seconds } from '../time/index.ts';

export { VOICES, type Voice } from '../texture/index.ts';

/** How the companion keeps time: follow the client, hold a tempo, or guide toward one. */
export type TempoPolicy =
  | { readonly kind: 'follow' }
  | { readonly kind: 'hold'; readonly bpm: Bpm }
  | { readonly kind: 'guide'; readonly bpm: Bpm };

/** Named registers a therapist can pick, as centre pitches. */
export const NAMED_REGISTERS: Readonly<Record<string, Midi>> = { low: 50, middle: 62, high: 74 };

/** The companion's settings, all fields filled. */
export interface CompanionSettings {
  /** An idiom name, or 'auto' to take the mode from the client's key. */
  readonly idiom: string;
  /** A tonic ('C', 'F#', 'Bb'), or 'auto' to take it from the client via the key tracker. */
  readonly key: string;
  readonly techniques: readonly TechniqueName[];
  readonly tempo: TempoPolicy;
  /** 0 (quiet, sparse) to 1 (loud, busy). */
  readonly energy: number;
  /** A fixed register centre, or null for the middle (or the client's, with reflect). */
  readonly register: Midi | null;
  readonly voices: readonly Voice[];
  /** Beats to a bar. */
  readonly beatsPerBar: number;
  /** The tempo the companion plays at before it has heard a pulse. */
  readonly startTempo: Bpm;
  /** Whether the companion starts by itself when the client first plays (else it waits for a start control). */
  readonly autoStart: boolean;
}

/** The defaults: follow the client, in their key, synchronising and matching at the piano. */
export const DEFAULT_SETTINGS: CompanionSettings = {
  idiom: 'auto',
  key: 'auto',
  techniques: ['synchronise', 'match'],
  tempo: { kind: 'follow' },
  energy: 0.5,
  register: null,
  voices: ['piano-left', 'piano-right'],
  beatsPerBar: 4,
  startTempo: 90,
  autoStart: true,
};

/** A steering control from the therapist. */
export type SteeringControl =
  | { readonly type: 'idiom'; readonly idiom: string }
  | { readonly type: 'key'; readonly key: string }
  | { readonly type: 'techniques'; readonly techniques: readonly TechniqueName[] }
  | { readonly type: 'tempo'; readonly tempo: TempoPolicy }
  | { readonly type: 'energy'; readonly energy: number }
  | { readonly type: 'register'; readonly register: Midi | null }
  | { readonly type: 'voices'; readonly voices: readonly Voice[] }
  | { readonly type: 'start' }
  | { readonly type: 'fade-out'; readonly bars: number }
  | { readonly type: 'end'; readonly cadence: boolean };

/** A steering control as recorded in the session log: when it was given and when it took effect. */
export interface ControlEvent {
  readonly type: 'control';
  /** When the therapist gave it. */
  readonly t: Seconds;
  readonly participant: 'companion';
  readonly control: SteeringControl;
  /** When it took effect musically (the next beat or bar), filled once the companion reaches it. */
  readonly effective: Seconds | null;
}

/** Whether a control waits for the next bar (harmonic and formal changes) rather than the next beat. */
export function waitsForBar(control: SteeringControl): boolean {
  return (
    control.type === 'idiom' ||
    control.type === 'key' ||
    control.type === 'fade-out' ||
    control.type === 'end'
  );
}

const TONIC = /^[A-G](#|b)?$/;

/** Whether a string is a tonic name the companion understands ('C', 'F#', 'Bb'). */
export function isTonic(key: string): boolean {
  return TONIC.test(key);
}

/**
 * Parses a tempo policy as the command line writes it.
 * @example parseTempo('hold:90') // { kind: 'hold', bpm: 90 }
 */
export function parseTempo(text: string): TempoPolicy {
  if (text === 'follow') return { kind: 'follow' };
  const m = /^(hold|guide):(\d+(?:\.\d+)?)$/.exec(text.trim());
  if (!m) throw new RangeError(`tempo must be follow, hold:BPM or guide:BPM, got: '${text}'`);
  const bpm = Number(m[2]);
  checkBpm(bpm);
  return { kind: m[1] as 'hold' | 'guide', bpm };
}

function checkBpm(bpm: number): void {
  if (!(Number.isFinite(bpm) && bpm >= 30 && bpm <= 240)) {
    throw new RangeError(`tempo must be between 30 and 240 BPM, got: ${bpm}`);
  }
}

/** Throws a one-line reason when a voice list names an unknown voice or none. */
export function checkVoices(voices: readonly string[]): Voice[] {
  if (voices.length === 0) throw new RangeError('voices needs at least one voice, got: []');
  for (const v of voices) {
    if (!(VOICES as readonly string[]).includes(v)) {
      throw new RangeError(`unknown voice '${v}' (known: ${VOICES.join(', ')})`);
    }
  }
  return [...new Set(voices as Voice[])];
}

/**
 * Fills defaults and checks every field; `isIdiom` says which idiom names exist.
 * @example resolveSettings({ energy: 0.8 }, () => true).energy // 0.8
 */
export function resolveSettings(
  partial: Partial<CompanionSettings>,
  isIdiom: (name: string) => boolean,
): CompanionSettings {
  const s: CompanionSettings = { ...DEFAULT_SETTINGS, ...partial };
  if (s.idiom !== 'auto' && !isIdiom(s.idiom)) throw new RangeError(`unknown idiom '${s.idiom}'`);
  if (s.key !== 'auto' && !isTonic(s.key)) {
    throw new RangeError(`key must be auto or a tonic such as C, F# or Bb, got: '${s.key}'`);
  }
  if (s.techniques.length === 0) throw new RangeError('techniques needs at least one technique, got: []');
  parseTechniques(s.techniques.join(','));
  if (s.tempo.kind !== 'follow') checkBpm(s.tempo.bpm);
  if (!(Number.isFinite(s.energy) && s.energy >= 0 && s.energy <= 1)) {
    throw new RangeError(`energy must be between 0 and 1, got: ${s.energy}`);
  }
  if (s.register !== null && !(Number.isFinite(s.register) && s.register >= 24 && s.register <= 108)) {
    throw new RangeError(`register must be a MIDI pitch from 24 to 108, got: ${s.register}`);
  }
  checkVoices(s.voices);
  if (!(Number.isInteger(s.beatsPerBar) && s.beatsPerBar >= 2 && s.beatsPerBar <= 12)) {
    throw new RangeError(`beatsPerBar must be a whole number from 2 to 12, got: ${s.beatsPerBar}`);
  }
  checkBpm(s.startTempo);
  return s;
}

/** Checks one steering control, throwing a one-line reason for a bad value. */
export function checkControl(control: SteeringControl, isIdiom: (name: string) => boolean): void {
  switch (control.type) {
    case 'idiom':
    case 'key':
    case 'techniques':
    case 'tempo':
    case 'energy':
    case 'register':
    case 'voices':
      resolveSettings({ [control.type]: control[control.type as keyof typeof control] }, isIdiom);
      return;
    case 'start':
      return;
    case 'fade-out':
      if (!(Number.isFinite(control.bars) && control.bars > 0 && control.bars <= 64)) {
        throw new RangeError(`fade-out needs a number of bars from 1 to 64, got: ${control.bars}`);
      }
      return;
    case 'end':
      return;
    default:
      throw new RangeError(`unknown steering control, got: ${JSON.stringify(control)}`);
  }
}

/** The settings after a control that changes them (start, fade and end change the companion's course instead). */
export function applyControl(settings: CompanionSettings, control: SteeringControl): CompanionSettings {
  switch (control.type) {
    case 'idiom':
      return { ...settings, idiom: control.idiom };
    case 'key':
      return { ...settings, key: control.key };
    case 'techniques':
      return { ...settings, techniques: [...control.techniques] };
    case 'tempo':
      return { ...settings, tempo: control.tempo };
    case 'energy':
      return { ...settings, energy: control.energy };
    case 'register':
      return { ...settings, register: control.register };
    case 'voices':
      return { ...settings, voices: [...control.voices] };
    default:
      return settings;
  }
}
