/**
 * Suggestions: where a measure of the recording bears on an IAP profile, it is shown beside the
 * rating with what it is, its value, a plain sentence and the gradient it points toward. A
 * suggestion is evidence for the rater to weigh, never a rating: the measures hear the notes, not
 * the person, and three of the six profiles (tension, congruence, salience) have no measure here
 * at all. Thresholds and their reasons are in docs/ASSESSMENT.md.
 */
import type { PairAnalysis, PerformanceAnalysis, TrackAnalysis } from '../analysis/index.ts';
import { type IapElement, type IapProfile, iapItemId, iapProfileOf } from './scales.ts';

/** One measure offered beside an IAP item. */
export interface Suggestion {
  readonly profile: IapProfile['id'];
  readonly element: IapElement;
  /** The IAP item it sits beside ('autonomy:rhythm'). */
  readonly item: string;
  /** Which measure ('lead.tempo', 'tempo.periodCv', …; names as in docs/MEASURES.md). */
  readonly measure: string;
  /** The measure's plain name. */
  readonly label: string;
  readonly value: number;
  readonly unit: string;
  /** The other player for a measure between two players, else null. */
  readonly partner: string | null;
  /** What the measure says, in a sentence a therapist reads at a glance. */
  readonly sentence: string;
  /** The gradient it points toward, or null where it points nowhere in particular. */
  readonly toward: string | null;
  /** That gradient's level (1–5), or null. */
  readonly towardValue: number | null;
  /** How much the measure stands on (0–1). */
  readonly confidence: number;
  /** What the measure cannot tell. */
  readonly caveat: string;
}

/** Options of {@link suggestIap}. */
export interface SuggestOptions {
  /** The players whose relation to the client counts (therapist, companion); by default all others. */
  readonly partners?: readonly string[];
}

/** Below this leader-index confidence the evidence of who leads is too thin to point anywhere. */
export const MIN_LEAD_CONFIDENCE = 0.15;
/** A leader index beyond ±this names a leader; inside it, both adapt (with enough confidence). */
export const LEAD_INDEX = 0.33;
/** Period variation (sd/mean of the beat period) below this is steady, from it up to the next varied. */
export const STEADY_PERIOD_CV = 0.04;
/** Period variation from this on is a tempo that changes a lot (0.10 wanders; docs/MEASURES.md). */
export const CHANGING_PERIOD_CV = 0.1;
/** A steady pulse must be heard at least this share of the playing time to judge tempo variation. */
export const MIN_PULSE_SHARE = 0.3;
/** Dynamic range (5th–95th percentile, velocity units) below this is even, from it up to the next varied. */
export const EVEN_DYNAMICS = 20;
/** Dynamic range from this on is strongly contrasting. */
export const CONTRASTING_DYNAMICS = 45;
/**
 * Onsets that line up: coincidence and mean |asynchrony| of playing in time together. Two
 * unrelated players still pair about 40 % of their onsets by chance within the 120 ms window,
 * 50–60 ms apart on average; players keeping one beat pair nearly all, 10–20 ms apart.
 */
export const TOGETHER = { coincidence: 0.7, meanAbsolute: 35 } as const;
export const APART = { coincidence: 0.5, meanAbsolute: 50 } as const;
/** Fewest paired onsets for a synchrony suggestion. */
export const MIN_SYNC_PAIRS = 10;

const NOT_A_PERSON =
  'A measure of the notes only: it cannot hear intention, feeling, the room or the therapist’s own playing choices.';

function suggestion(
  profileId: IapProfile['id'],
  element: IapElement,
  fields: Omit<Suggestion, 'profile' | 'element' | 'item' | 'towardValue'>,
): Suggestion {
  const profile = iapProfileOf(profileId) as IapProfile;
  const k = fields.toward === null ? -1 : profile.gradients.indexOf(fields.toward);
  return {
    profile: profileId,
    element,
    item: iapItemId(profileId, element),
    towardValue: k < 0 ? null : k + 1,
    ...fields,
  };
}

/** A pair seen from the client's side: the lead index positive when the client leads. */
function fromClient(pair: PairAnalysis, client: string): { partner: string; sign: 1 | -1 } {
  return pair.a === client ? { partner: pair.b, sign: 1 } : { partner: pair.a, sign: -1 };
}

function autonomy(pair: PairAnalysis, client: string, aspect: 'tempo' | 'dynamics'): Suggestion {
  const { partner, sign } = fromClient(pair, client);
  const lead = pair.lead[aspect];
  const index = sign * lead.index;
  const what = aspect === 'tempo' ? 'tempo' : 'loudness';
  let toward: string | null = null;
  let sentence: string;
  if (lead.confidence < MIN_LEAD_CONFIDENCE) {
    sentence = `Not enough evidence of who leads the ${what} between the client and ${partner}.`;
  } else if (index >= LEAD_INDEX) {
    toward = 'leader';
    sentence = `Changes of ${what} went from the client to ${partner}: ${partner} followed.`;
  } else if (index <= -LEAD_INDEX) {
    toward = 'follower';
    sentence = `The client followed ${partner}'s changes of ${what}.`;
  } else {
    toward = 'partner';
    sentence = `The client and ${partner} each adapted their ${what} to the other.`;
  }
  return suggestion('autonomy', aspect === 'tempo' ? 'rhythm' : 'volume', {
    measure: `lead.${aspect}`,
    label: `Who leads the ${what}`,
    value: index,
    unit: 'index, −1 the partner leads to +1 the client leads',
    partner,
    sentence,
    toward,
    confidence: lead.confidence,
    caveat: `${NOT_A_PERSON} It sees who changes first, not whether the client chose to lead, resisted, or needed the partner (the dependent and resister ends are not suggested).`,
  });
}

function tempoVariability(track: TrackAnalysis): Suggestion | null {
  const cv = track.tempo.periodCv;
  if (cv === null) return null;
  const pulse = track.tempo.confidentShare;
  let toward: string | null;
  let sentence: string;
  if (pulse < MIN_PULSE_SHARE) {
    toward = null;
    sentence = `A steady beat was heard only ${Math.round(pulse * 100)} % of the playing time: too little to judge how the tempo changed.`;
  } else if (cv < STEADY_PERIOD_CV) {
    toward = 'stable';
    sentence = 'The tempo stayed steady.';
  } else if (cv < CHANGING_PERIOD_CV) {
    toward = 'variable';
    sentence = 'The tempo moved a little over the session.';
  } else {
    toward = 'contrasting';
    sentence = 'The tempo changed a lot over the session.';
  }
  return suggestion('variability', 'rhythm', {
    measure: 'tempo.periodCv',
    label: 'How much the tempo varied',
    value: cv,
    unit: 'sd / mean of the beat period',
    partner: null,
    sentence,
    toward,
    confidence: Math.min(1, pulse),
    caveat: `${NOT_A_PERSON} Steady is not rigid, and change is not randomness: whether a change is purposeful is for the rater to hear (the extremes are not suggested).`,
  });
}

function dynamicsVariability(track: TrackAnalysis): Suggestion | null {
  const range = track.dynamics.range;
  if (range === null) return null;
  let toward: string;
  let sentence: string;
  if (range < EVEN_DYNAMICS) {
    toward = 'stable';
    sentence = 'The loudness stayed within a narrow range.';
  } else if (range < CONTRASTING_DYNAMICS) {
    toward = 'variable';
    sentence = 'The loudness varied within a moderate range.';
  } else {
    toward = 'contrasting';
    sentence = 'The loudness ranged widely, from soft to loud.';
  }
  return suggestion('variability', 'volume', {
    measure: 'dynamics.range',
    label: 'How wide the dynamics were',
    value: range,
    unit: 'velocity, 5th to 95th percentile',
    partner: null,
    sentence,
    toward,
    confidence: 1 - Math.exp(-track.onsets / 30),
    caveat: `${NOT_A_PERSON} Touch-pad and keyboard velocities depend on the instrument's sensitivity setting.`,
  });
}

function integration(pair: PairAnalysis, client: string): Suggestion | null {
  const { partner } = fromClient(pair, client);
  const s = pair.synchrony;
  if (s.pairs < MIN_SYNC_PAIRS) return null;
  let toward: string | null = null;
  let sentence: string;
  const ms = Math.round(s.meanAbsolute);
  const share = Math.round(s.coincidence * 100);
  if (s.coincidence >= TOGETHER.coincidence && s.meanAbsolute <= TOGETHER.meanAbsolute) {
    toward = 'integrated';
    sentence = `The client played in time with ${partner}: ${share} % of onsets together, ${ms} ms apart on average.`;
  } else if (s.coincidence < APART.coincidence || s.meanAbsolute >= APART.meanAbsolute) {
    toward = 'differentiated';
    sentence = `The client's rhythm went its own way from ${partner}'s: onsets met about as often as chance gives (${share} %, ${ms} ms apart).`;
  } else {
    sentence = `The client was partly in time with ${partner}: ${share} % of onsets together, ${ms} ms apart on average.`;
  }
  return suggestion('integration', 'rhythm', {
    measure: 'synchrony.coincidence',
    label: 'Playing in time together',
    value: s.coincidence,
    unit: 'share of onsets together (0–1)',
    partner,
    sentence,
    toward,
    confidence: s.confidence,
    caveat: `${NOT_A_PERSON} Onsets together cannot tell fused from integrated playing (the same rhythm, or distinct parts that fit), nor chosen independence from not listening.`,
  });
}

/**
 * The measures of a recording that bear on the IAPs of one client, with the gradient each points
 * toward: autonomy from who leads tempo and loudness, variability from tempo and dynamics,
 * integration from synchrony with each partner.
 * @param client the client's track name in the analysis
 * @example suggestIap(analysis, 'p1', { partners: ['therapist'] })[0]?.toward // 'leader'
 */
export function suggestIap(
  analysis: PerformanceAnalysis,
  client: string,
  options: SuggestOptions = {},
): Suggestion[] {
  const track = analysis.tracks.find((t) => t.name === client);
  if (!track)
    throw new RangeError(
      `no track '${client}' in the analysis (tracks: ${analysis.tracks.map((t) => t.name).join(', ')})`,
    );
  const partners = options.partners ? new Set(options.partners) : null;
  for (const p of partners ?? []) {
    if (!analysis.tracks.some((t) => t.name === p))
      throw new RangeError(`no partner track '${p}' in the analysis`);
  }
  const out: Suggestion[] = [];
  if (track.onsets === 0) return out;
  for (const pair of analysis.pairs) {
    if (pair.a !== client && pair.b !== client) continue;
    const { partner } = fromClient(pair, client);
    if (partners && !partners.has(partner)) continue;
    const other = analysis.tracks.find((t) => t.name === partner);
    if (!other || other.onsets === 0) continue;
    out.push(autonomy(pair, client, 'tempo'), autonomy(pair, client, 'dynamics'));
    const sync = integration(pair, client);
    if (sync) out.push(sync);
  }
  for (const s of [tempoVariability(track), dynamicsVariability(track)]) if (s) out.push(s);
  return out;
}
