/**
 * The measures a therapist follows across sessions and reads beside a review, each with a plain
 * name and unit, taken from an analysis (docs/MEASURES.md defines them). Per player measures come
 * from the player's track; measures between two players are seen from the client's side.
 */
import type { PairAnalysis, PerformanceAnalysis, TrackAnalysis } from '../analysis/index.ts';

/** One measure of the catalogue. */
export interface MeasureDefinition {
  /** Id as in docs/MEASURES.md ('tempo.median', 'synchrony.coincidence'). */
  readonly id: string;
  readonly label: string;
  readonly unit: string;
  /** Whether it is measured between the client and a partner. */
  readonly between: boolean;
  /** The value for a track (and the pair with a partner, seen from the track), or null where unknown. */
  readonly of: (track: TrackAnalysis, pair: PairFromClient | null) => number | null;
}

/** A pair seen from the client's side: the client's lead positive, answers by role. */
export interface PairFromClient {
  readonly partner: string;
  /** Positive when the client leads. */
  readonly lead: number;
  readonly leadConfidence: number;
  readonly synchrony: PairAnalysis['synchrony'];
  /** Times the client answered the partner's phrases, and the partner the client's. */
  readonly clientAnswers: number;
  readonly partnerAnswers: number;
}

/** The pair of `client` and `partner` in an analysis, seen from the client, or null. */
export function pairFromClient(
  analysis: PerformanceAnalysis,
  client: string,
  partner: string,
): PairFromClient | null {
  const pair = analysis.pairs.find(
    (p) => (p.a === client && p.b === partner) || (p.a === partner && p.b === client),
  );
  if (!pair) return null;
  const clientIsA = pair.a === client;
  return {
    partner,
    lead: clientIsA ? pair.lead.index : -pair.lead.index,
    leadConfidence: pair.lead.confidence,
    synchrony: pair.synchrony,
    clientAnswers: clientIsA ? pair.aAnswersB.count : pair.bAnswersA.count,
    partnerAnswers: clientIsA ? pair.bAnswersA.count : pair.aAnswersB.count,
  };
}

const own = (
  id: string,
  label: string,
  unit: string,
  of: (t: TrackAnalysis) => number | null,
): MeasureDefinition => ({ id, label, unit, between: false, of: (t) => of(t) });
const between = (
  id: string,
  label: string,
  unit: string,
  of: (p: PairFromClient) => number | null,
): MeasureDefinition => ({ id, label, unit, between: true, of: (_t, p) => (p === null ? null : of(p)) });

/** The catalogue, in the order a screen lists it. */
export const MEASURES: readonly MeasureDefinition[] = [
  own('tempo.median', 'Usual tempo', 'BPM', (t) => t.tempo.median),
  own('tempo.confidentShare', 'Time with a steady beat', 'share 0–1', (t) =>
    t.onsets > 0 ? t.tempo.confidentShare : null,
  ),
  own('tempo.periodCv', 'How much the tempo varied', 'sd / mean of the beat period', (t) => t.tempo.periodCv),
  own('dynamics.mean', 'Average loudness', 'velocity 1–127', (t) => t.dynamics.mean),
  own(
    'dynamics.range',
    'How wide the dynamics were',
    'velocity, 5th to 95th percentile',
    (t) => t.dynamics.range,
  ),
  own('density.playing', 'Notes per second while playing', 'onsets per second', (t) => t.density.playing),
  own('pitch.range', 'Pitch range', 'semitones', (t) => t.pitch?.range ?? null),
  own('silence.share', 'Time silent', 'share 0–1', (t) => (t.onsets > 0 ? t.silence.share : null)),
  own('phrases.meanLength', 'Phrase length', 'seconds', (t) => t.phrases.meanLength),
  own('tonal.clarity', 'How clearly in one key', 'key confidence 0–1', (t) => t.tonal?.clarity ?? null),
  between('lead.index', 'Who leads (+ the client, − the partner)', 'index −1 to +1', (p) =>
    p.leadConfidence > 0 ? p.lead : null,
  ),
  between('synchrony.coincidence', 'Playing in time together', 'share of onsets 0–1', (p) =>
    p.synchrony.pairs > 0 ? p.synchrony.coincidence : null,
  ),
  between('synchrony.meanAbsolute', 'How far apart in time', 'ms', (p) =>
    p.synchrony.pairs > 0 ? p.synchrony.meanAbsolute : null,
  ),
  between('answers.client', "Answers to the partner's phrases", 'count', (p) => p.clientAnswers),
  between('answers.partner', "The partner's answers to the client", 'count', (p) => p.partnerAnswers),
];

/** The catalogue entry with this id, or null. */
export function measureOf(id: string): MeasureDefinition | null {
  return MEASURES.find((m) => m.id === id) ?? null;
}
