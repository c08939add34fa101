/**
 * What Attune hears of a player, in the calm plain words a therapist can take in at a glance
 * while their attention stays on the person: the pulse and how sure Attune is of it, how loud,
 * how much they play, and who leads whom. Numbers stay available beside the words (tempo in
 * beats a minute); the words never claim more than the estimate's confidence allows.
 */
import type { ServerMessageOf } from '@attune/protocol';

/** One player's perception summary as the room sends it. */
export type PerceptionSummary = ServerMessageOf<'perception'>;

/** A perception summary as lines for the console. */
export interface HeardWords {
  /** The pulse and tempo: 'A steady pulse, about 96 a minute'. */
  readonly pulse: string;
  /** How sure the pulse is, in two or three words: 'Steady pulse', 'Pulse forming', 'No clear pulse yet'. */
  readonly sureness: string;
  /** The tempo alone, rounded, when a pulse is heard with some confidence (for a large figure). */
  readonly bpm: number | null;
  /** 0–1: how sure Attune is of the pulse. */
  readonly confidence: number;
  /** 'Quiet', 'Moderate', ... */
  readonly loudness: string;
  /** 'Playing steadily', 'Resting', ... */
  readonly activity: string;
  /** 'Around D Dorian' when a key is heard with some confidence, else null. */
  readonly key: string | null;
}

/** Below this confidence no pulse is claimed. */
export const PULSE_HEARD = 0.3;
/** From this confidence the pulse is called steady. */
export const PULSE_STEADY = 0.6;
/** Below this confidence no key is claimed. */
const KEY_HEARD = 0.4;

/**
 * The pulse in words.
 * @example pulseWords({ bpm: 96.4, confidence: 0.72 }) // 'A steady pulse, about 96 a minute'
 */
export function pulseWords(pulse: PerceptionSummary['pulse']): string {
  if (pulse === null || pulse.confidence < PULSE_HEARD || pulse.bpm <= 0) return 'No clear pulse yet';
  const bpm = Math.round(pulse.bpm);
  if (pulse.confidence >= PULSE_STEADY) return `A steady pulse, about ${bpm} a minute`;
  return `A pulse is forming, about ${bpm} a minute`;
}

/**
 * Loudness (the velocity scale, 0–127) in words.
 * @example loudnessWords(81) // 'Strong'
 */
export function loudnessWords(loudness: number): string {
  if (loudness < 35) return 'Very quiet';
  if (loudness < 60) return 'Quiet';
  if (loudness < 80) return 'Moderate';
  if (loudness < 100) return 'Strong';
  return 'Very loud';
}

/**
 * How much a player plays (notes a second), or that they rest.
 * @example activityWords(2.4, false) // 'Playing busily'
 */
export function activityWords(density: number, silent: boolean): string {
  if (silent) return 'Resting';
  if (density < 0.5) return 'A note now and then';
  if (density < 2) return 'Playing steadily';
  if (density < 4) return 'Playing busily';
  return 'Playing very busily';
}

/** A mode name for people: 'dorian' → 'Dorian', 'major' → 'major'. */
function modeLabel(mode: string): string {
  const lower = mode.toLowerCase();
  if (lower === 'major' || lower === 'minor') return lower;
  return lower.charAt(0).toUpperCase() + lower.slice(1);
}

/** The whole summary in words. */
export function heardWords(p: PerceptionSummary): HeardWords {
  const heard = p.pulse !== null && p.pulse.confidence >= PULSE_HEARD && p.pulse.bpm > 0;
  const key =
    p.key !== null && p.key.confidence >= KEY_HEARD && !p.silent
      ? `Around ${p.key.tonic.replace('#', '♯').replace(/(?<=[A-G])b/, '♭')} ${modeLabel(p.key.mode)}`
      : null;
  const sure = heard && p.pulse ? p.pulse.confidence : 0;
  return {
    pulse: pulseWords(p.pulse),
    sureness:
      sure >= PULSE_STEADY ? 'Steady pulse' : sure >= PULSE_HEARD ? 'Pulse forming' : 'No clear pulse yet',
    bpm: heard && p.pulse ? Math.round(p.pulse.bpm) : null,
    confidence: p.pulse?.confidence ?? 0,
    loudness: p.silent ? 'Silent' : loudnessWords(p.loudness),
    activity: activityWords(p.density, p.silent),
    key,
  };
}

/** Who leads a pair: the engine's leader index (+1 the first leads, −1 the second) and its confidence. */
export interface PairLeadView {
  readonly a: string;
  readonly b: string;
  readonly index: number;
  readonly confidence: number;
}

/** Below this confidence nobody is said to lead. */
export const LEAD_SURE = 0.3;
/** An index nearer zero than this is called playing together. */
const LEAD_CLEAR = 0.25;

/**
 * Who leads, in words, from the pairs heard: the clearest pair's leader, or that nobody clearly
 * leads. `name` turns a participant id into how the console shows them.
 * @example leadWords([{ a: 'p1', b: 'companion', index: 0.6, confidence: 0.5 }], (id) => id === 'p1' ? 'JB' : 'the companion')
 * // 'JB leads; the companion follows'
 */
export function leadWords(pairs: readonly PairLeadView[], name: (participant: string) => string): string {
  let best: PairLeadView | null = null;
  for (const pair of pairs) {
    if (pair.confidence < LEAD_SURE || Math.abs(pair.index) < LEAD_CLEAR) continue;
    if (best === null || pair.confidence * Math.abs(pair.index) > best.confidence * Math.abs(best.index))
      best = pair;
  }
  if (best === null) return pairs.length === 0 ? 'Not enough heard yet' : 'Nobody clearly leads';
  const [leader, follower] = best.index > 0 ? [best.a, best.b] : [best.b, best.a];
  const text = `${name(leader)} leads; ${name(follower)} follows`;
  return text.charAt(0).toUpperCase() + text.slice(1);
}
