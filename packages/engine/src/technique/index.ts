/**
 * Techniques: what the companion does with what it hears, named as Nordoff Robbins therapists
 * name them. Each technique is a mapping from what perception reports about the client
 * ({@link Listening}) to how the companion plays the next beat ({@link Shaping}). Several combine:
 * each one overrides only the parts of the shaping it is about (match sets loudness and density,
 * reflect sets register, ground sets the bass and the beat, and so on), in the order of
 * {@link TECHNIQUES}, so `ground,match` is a steady bass at the client's loudness.
 */
import type { Midi, Seconds } from '../time/index.ts';

/** Every technique, in the order their mappings are applied. */
export const TECHNIQUES = [
  'synchronise',
  'match',
  'reflect',
  'ground',
  'frame',
  'dialogue',
  'lead',
  'calm',
  'intensify',
  'make-space',
] as const;

/** The name of a technique. */
export type TechniqueName = (typeof TECHNIQUES)[number];

/** One line per technique, for `attune techniques` and the console. */
export const TECHNIQUE_SUMMARIES: Readonly<Record<TechniqueName, string>> = {
  synchronise: "play on the client's beats, phase-locked to the predicted pulse",
  match: "companion loudness and density follow the client's",
  reflect: "mirror the client's register and brightness (mood)",
  ground: 'a steady pulse and bass the client can lean on (rock-steady with --tempo hold:BPM)',
  frame: "an introduction, phrase shapes and cadences around the client's phrases",
  dialogue: "call and response: answer in the client's silences, drop back when they play",
  lead: 'once together, guide dynamics (and tempo with --tempo guide:BPM) at a pace the client follows',
  calm: 'softer, sparser, lower and more legato, arriving gradually',
  intensify: 'louder, denser, higher and more accented, arriving gradually',
  'make-space': 'thin out to silence within two beats and stay silent',
};

/** Whether a string names a technique. */
export function isTechnique(name: string): name is TechniqueName {
  return (TECHNIQUES as readonly string[]).includes(name);
}

/**
 * Parses a comma-separated list of technique names; throws naming the first unknown one.
 * @example parseTechniques('ground,match') // ['ground', 'match']
 */
export function parseTechniques(list: string): TechniqueName[] {
  const names = list
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (names.length === 0) throw new RangeError(`a technique list needs at least one name, got: '${list}'`);
  for (const name of names) {
    if (!isTechnique(name)) {
      throw new RangeError(`unknown technique '${name}' (known: ${TECHNIQUES.join(', ')})`);
    }
  }
  return [...new Set(names as TechniqueName[])];
}

/** What perception reports about the client at the moment a beat is planned. */
export interface Listening {
  /** The session time of the report. */
  readonly now: Seconds;
  /** Whether the client has played at all yet. */
  readonly started: boolean;
  /** The client's pulse, or null when there is none to speak of. */
  readonly pulse: { readonly period: Seconds; readonly confidence: number } | null;
  /** The client's smoothed velocity, 0–127. */
  readonly loudness: number;
  /** The client's onsets per second, smoothed. */
  readonly density: number;
  /** The centre of the client's recent pitches, null for unpitched playing. */
  readonly register: Midi | null;
  /** How long the client has been silent (0 while their sound continues). */
  readonly silentFor: Seconds;
  /** When the client's current or last phrase began, null before they play. */
  readonly phraseStart: Seconds | null;
}

/** How the companion plays one beat. */
export interface Shaping {
  /** Share of the texture that sounds, 0 (silence) to 1. */
  readonly gate: number;
  /** Base velocity, 1–127. */
  readonly velocity: number;
  /** How lively the texture is, 0 (few, long notes) to 1 (many, short ones). */
  readonly energy: number;
  /** Onsets per beat in the moving voices: 1, 2, 3 or 4. */
  readonly notesPerBeat: number;
  /** Centre pitch of the melodic voices. */
  readonly register: Midi;
  /** Brightness 0 (close, dark voicing) to 1 (open, bright voicing). */
  readonly brightness: number;
  /** Note length as a share of the time to the next onset of the same voice, 0.2–1. */
  readonly legato: number;
  /** Whether every beat must sound (the pulse is audible). */
  readonly onBeats: boolean;
  /** Whether the bass sounds on every beat (a ground), rather than once per bar. */
  readonly steadyBass: boolean;
  /** Whether to play only as an answer in the client's silences (dialogue). */
  readonly answerOnly: boolean;
}

/** What the therapist's settings and the companion's own state add to what it hears. */
export interface ShapingContext {
  /** Energy 0..1 from the therapist. */
  readonly energy: number;
  /** A fixed register centre from the therapist, or null to use the default (or reflect). */
  readonly register: Midi | null;
  /** The companion's current beat period. */
  readonly period: Seconds;
  /** Beats since make-space took effect (counted from 0 on the first beat), or null when not active. */
  readonly spaceBeats: number | null;
  /** The dynamic level lead has reached, 0–127, or null when lead is not active. */
  readonly ledLoudness: number | null;
}

/** The middle register the companion plays around when nothing else decides. */
export const DEFAULT_REGISTER: Midi = 62;

const clamp = (x: number, lo: number, hi: number): number => Math.max(lo, Math.min(hi, x));

/** Velocity of the companion's playing at an energy, when it is not matching the client. */
export function energyVelocity(energy: number): number {
  return Math.round(32 + 72 * clamp(energy, 0, 1));
}

/** Onsets per beat at an energy, when the companion is not matching the client. */
export function energyDensity(energy: number): number {
  return clamp(1 + Math.round(clamp(energy, 0, 1) * 2.2), 1, 4);
}

/**
 * The texture energy that gives about the client's onsets per beat: one a beat is a moderate
 * texture (a chord on every beat), two a lively one, four or more an intense one.
 * @example densityEnergy(1) // 0.45
 */
export function densityEnergy(perBeat: number): number {
  return perBeat < 0.75 ? 0.25 : perBeat < 1.5 ? 0.45 : perBeat < 3 ? 0.65 : 0.85;
}

/**
 * Maps what the companion hears to how it plays the next beat, applying each active technique's
 * rule in turn.
 * @example shape(['match'], { ...listening, loudness: 100 }, context).velocity // 100
 */
export function shape(
  techniques: readonly TechniqueName[],
  heard: Listening,
  context: ShapingContext,
): Shaping {
  const active = new Set(techniques);
  let s: Shaping = {
    gate: 1,
    velocity: energyVelocity(context.energy),
    energy: clamp(context.energy, 0, 1),
    notesPerBeat: energyDensity(context.energy),
    register: context.register ?? DEFAULT_REGISTER,
    brightness: 0.3 + 0.4 * clamp(context.energy, 0, 1),
    legato: 0.9,
    onBeats: false,
    steadyBass: false,
    answerOnly: false,
  };
  if (active.has('synchronise')) {
    // The client hears the companion with them: something sounds on every beat.
    s = { ...s, onBeats: true };
  }
  if (active.has('match')) {
    // Loudness follows the client's smoothed velocity one for one; density follows their onsets
    // per beat, so a client who plays every beat hears one onset a beat back.
    const perBeat = heard.density * context.period;
    s = {
      ...s,
      velocity: heard.started ? clamp(Math.round(heard.loudness), 12, 124) : s.velocity,
      notesPerBeat: heard.started ? clamp(Math.round(perBeat), 1, 4) : s.notesPerBeat,
      energy: heard.started ? densityEnergy(perBeat) : s.energy,
    };
  }
  if (active.has('reflect') && heard.register !== null) {
    // Mirror the client's register; a high register is bright, a low one dark.
    s = {
      ...s,
      register: clamp(Math.round(heard.register), 40, 88),
      brightness: clamp((heard.register - 48) / 36, 0, 1),
    };
  }
  if (active.has('ground')) {
    // A ground is plain and steady: a bass on every beat, the beat always audible, no busy
    // figuration that would pull the client's attention from the pulse.
    s = {
      ...s,
      onBeats: true,
      steadyBass: true,
      notesPerBeat: Math.min(s.notesPerBeat, 2),
      energy: Math.min(s.energy, 0.65),
    };
  }
  if (active.has('dialogue')) {
    // Call and response: short, detached notes so an answer never smears into the next call.
    s = { ...s, answerOnly: true, legato: Math.min(s.legato, 0.5), onBeats: false };
  }
  if (active.has('lead') && context.ledLoudness !== null) {
    s = { ...s, velocity: clamp(Math.round(context.ledLoudness), 12, 124) };
  }
  if (active.has('calm')) {
    s = {
      ...s,
      velocity: Math.round(s.velocity * 0.7),
      notesPerBeat: Math.min(s.notesPerBeat, 1),
      energy: s.energy * 0.5,
      register: s.register - 5,
      brightness: s.brightness * 0.5,
      legato: 1,
    };
  }
  if (active.has('intensify')) {
    s = {
      ...s,
      velocity: clamp(Math.round(s.velocity * 1.25 + 6), 1, 127),
      notesPerBeat: clamp(s.notesPerBeat + 1, 2, 4),
      energy: clamp(s.energy + 0.3, 0, 1),
      register: s.register + 3,
      brightness: clamp(s.brightness + 0.3, 0, 1),
      legato: Math.min(s.legato, 0.7),
      onBeats: true,
    };
  }
  if (active.has('make-space') && context.spaceBeats !== null) {
    // Thin out to silence within two beats: the first beat at half the texture with short notes,
    // the second a single soft note, then nothing.
    const b = context.spaceBeats;
    s =
      b <= 0
        ? {
            ...s,
            gate: 0.5,
            notesPerBeat: Math.min(s.notesPerBeat, 2),
            legato: Math.min(s.legato, 0.5),
            energy: Math.min(s.energy, 0.4),
          }
        : b === 1
          ? { ...s, gate: 0.2, notesPerBeat: 1, velocity: Math.round(s.velocity * 0.6), legato: 0.4 }
          : { ...s, gate: 0 };
  }
  return s;
}

/**
 * One step of leading a level (loudness, or a tempo in BPM) from where the client is toward a
 * target: move by at most `rate` per step, and only while the client has followed to within
 * `tolerance` of where the companion already is; otherwise hold and wait for them.
 * @example leadStep(80, 80, 100, 4, 6) // 84
 * @example leadStep(84, 70, 100, 4, 6) // 84 (the client has not followed: wait)
 */
export function leadStep(
  current: number,
  client: number,
  target: number,
  rate: number,
  tolerance: number,
): number {
  if (Math.abs(client - current) > tolerance) return current;
  const gap = target - current;
  return current + Math.sign(gap) * Math.min(Math.abs(gap), rate);
}

/**
 * Lead's loudness for the next beat: from the client's level toward `target` (the energy's), 1.5
 * velocity a beat, waiting while the client is more than 14 away. It starts once the pair is
 * together and goes on from where it is; null before the client has played.
 * @example leadLoudness(80, { ...heard, started: true, loudness: 78 }, true, 100) // 81.5
 */
export function leadLoudness(
  current: number | null,
  heard: Listening,
  together: boolean,
  target: number,
): number | null {
  if (!heard.started) return null;
  const from = current ?? heard.loudness;
  return together || current !== null ? leadStep(from, heard.loudness, target, 1.5, 14) : from;
}

/**
 * Which notes a partial gate keeps: at half, those on beats and half-beats; below, one note on
 * the beat in the first voice.
 * @example gateKeeps(0.5, 0.25, true) // false
 */
export function gateKeeps(gate: number, offset: number, firstVoice: boolean): boolean {
  if (gate >= 1) return true;
  if (gate >= 0.5) return Math.abs(offset * 2 - Math.round(offset * 2)) < 1e-6;
  return offset === 0 && firstVoice;
}
