/**
 * A session's measures as a researcher takes them away: per participant (and the companion) and
 * between each pair, from the engine's analysis of the session log, the same code as
 * `attune analyze` and the review's curves (docs/MEASURES.md defines every measure). JSON keeps
 * the analysis whole; CSV gives one row per participant, or one per pair, with plain column names
 * that carry their unit (`_s` seconds, `_ms` milliseconds, `_bpm`, `_midi` MIDI note numbers,
 * `_velocity` MIDI velocity 1–127, `_share` 0–1).
 */
import {
  buildTimeline,
  type LogEntry,
  type PairAnalysis,
  type PerformanceAnalysis,
  reviewMeasures,
  type TrackAnalysis,
} from '@attune/engine';

/** The JSON document's format name and version. */
export const MEASURES_FORMAT = 'attune-session-measures';
export const MEASURES_VERSION = 1;

/** A participant's measures with who they are. */
export type ParticipantMeasures = TrackAnalysis & {
  /** The lane: therapist, p1, p2, …, or companion. */
  readonly participant: string;
  /** How the session's record names them (a client's display name), else the lane. */
  readonly name: string;
};

/** The measures of one session. */
export interface SessionMeasures {
  readonly format: typeof MEASURES_FORMAT;
  readonly version: typeof MEASURES_VERSION;
  readonly session: { readonly id: string; readonly title: string; readonly startedAt: string };
  /** First onset, end of the last sound, and the length between (seconds of session time). */
  readonly start: number | null;
  readonly end: number | null;
  readonly duration: number;
  readonly participants: ParticipantMeasures[];
  readonly pairs: PairAnalysis[];
  readonly group: PerformanceAnalysis['group'];
}

/** The measures of a session log; `names` gives participants' names by lane. */
export function sessionMeasures(
  entries: readonly LogEntry[],
  session: SessionMeasures['session'],
  names: ReadonlyMap<string, string> = new Map(),
): SessionMeasures {
  const { analysis } = reviewMeasures(buildTimeline(entries));
  return {
    format: MEASURES_FORMAT,
    version: MEASURES_VERSION,
    session,
    start: analysis.start,
    end: analysis.end,
    duration: analysis.duration,
    participants: analysis.tracks.map((t) => ({
      ...t,
      participant: t.name,
      name: names.get(t.name) ?? t.name,
    })),
    pairs: analysis.pairs,
    group: analysis.group,
  };
}

/** A CSV column: its name (with its unit) and its value in a row. */
export interface Column<Row> {
  readonly name: string;
  readonly value: (row: Row) => string | number | null;
}

const round = (x: number | null | undefined, digits = 4): number | null =>
  x === null || x === undefined ? null : Number(x.toFixed(digits));

/** The columns of the participants' table, in order. */
export const PARTICIPANT_COLUMNS: readonly Column<ParticipantMeasures>[] = [
  { name: 'participant', value: (r) => r.participant },
  { name: 'name', value: (r) => r.name },
  { name: 'kind', value: (r) => r.kind },
  { name: 'events', value: (r) => r.events },
  { name: 'onsets', value: (r) => r.onsets },
  { name: 'start_s', value: (r) => round(r.start, 3) },
  { name: 'end_s', value: (r) => round(r.end, 3) },
  { name: 'tempo_median_bpm', value: (r) => round(r.tempo.median, 2) },
  { name: 'tempo_period_variation', value: (r) => round(r.tempo.periodCv) },
  { name: 'tempo_beat_to_beat_variation', value: (r) => round(r.tempo.beatToBeat) },
  { name: 'steady_pulse_share', value: (r) => round(r.tempo.confidentShare) },
  { name: 'beats', value: (r) => r.tempo.beats },
  { name: 'loudness_mean_velocity', value: (r) => round(r.dynamics.mean, 2) },
  { name: 'loudness_sd_velocity', value: (r) => round(r.dynamics.sd, 2) },
  { name: 'loudness_low_velocity', value: (r) => round(r.dynamics.low, 2) },
  { name: 'loudness_high_velocity', value: (r) => round(r.dynamics.high, 2) },
  { name: 'dynamic_range_velocity', value: (r) => round(r.dynamics.range, 2) },
  { name: 'accents', value: (r) => r.dynamics.accents },
  { name: 'accents_per_minute', value: (r) => round(r.dynamics.accentsPerMinute, 2) },
  { name: 'density_onsets_per_s', value: (r) => round(r.density.overall) },
  { name: 'density_while_playing_onsets_per_s', value: (r) => round(r.density.playing) },
  { name: 'pitch_lowest_midi', value: (r) => r.pitch?.lowest ?? null },
  { name: 'pitch_highest_midi', value: (r) => r.pitch?.highest ?? null },
  { name: 'pitch_range_semitones', value: (r) => r.pitch?.range ?? null },
  { name: 'pitch_mean_midi', value: (r) => round(r.pitch?.mean, 2) },
  { name: 'silence_share', value: (r) => round(r.silence.share) },
  { name: 'silences', value: (r) => r.silence.count },
  { name: 'longest_silence_s', value: (r) => round(r.silence.longest, 3) },
  { name: 'phrases', value: (r) => r.phrases.count },
  { name: 'phrase_mean_length_s', value: (r) => round(r.phrases.meanLength, 3) },
  { name: 'phrase_median_length_s', value: (r) => round(r.phrases.medianLength, 3) },
  { name: 'tonal_clarity', value: (r) => round(r.tonal?.clarity) },
  { name: 'key', value: (r) => r.tonal?.key ?? null },
  { name: 'key_share', value: (r) => round(r.tonal?.keyShare) },
];

/** The columns of the pairs' table, in order. */
export const PAIR_COLUMNS: readonly Column<PairAnalysis>[] = [
  { name: 'a', value: (r) => r.a },
  { name: 'b', value: (r) => r.b },
  { name: 'synchrony_pairs', value: (r) => r.synchrony.pairs },
  { name: 'asynchrony_mean_ms', value: (r) => round(r.synchrony.meanSigned, 2) },
  { name: 'asynchrony_mean_absolute_ms', value: (r) => round(r.synchrony.meanAbsolute, 2) },
  { name: 'asynchrony_sd_ms', value: (r) => round(r.synchrony.sd, 2) },
  { name: 'coincidence_share', value: (r) => round(r.synchrony.coincidence) },
  { name: 'synchrony_confidence', value: (r) => round(r.synchrony.confidence) },
  { name: 'a_leads_index', value: (r) => round(r.lead.index) },
  { name: 'lead_confidence', value: (r) => round(r.lead.confidence) },
  { name: 'lead_evidence_s', value: (r) => round(r.lead.evidence, 2) },
  { name: 'b_answers_a', value: (r) => r.bAnswersA.count },
  { name: 'b_answer_latency_median_s', value: (r) => round(r.bAnswersA.medianLatency, 3) },
  { name: 'a_answers_b', value: (r) => r.aAnswersB.count },
  { name: 'a_answer_latency_median_s', value: (r) => round(r.aAnswersB.medianLatency, 3) },
];

/**
 * One CSV field: quoted when it holds a comma, quote or line break; text a spreadsheet would take
 * for a formula (=, +, -, @ first) is kept as text with a leading apostrophe. Empty for null.
 */
export function csvField(value: string | number | null): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** Rows as CSV text with a header line, lines ended by CRLF (RFC 4180). */
export function toCsv<Row>(columns: readonly Column<Row>[], rows: readonly Row[]): string {
  const lines = [columns.map((c) => c.name).join(',')];
  for (const row of rows) lines.push(columns.map((c) => csvField(c.value(row))).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

/** Which table a CSV holds. */
export type MeasuresTable = 'participants' | 'pairs';

/** The measures as CSV: one row per participant, or one per pair. */
export function measuresCsv(measures: SessionMeasures, table: MeasuresTable): string {
  return table === 'pairs'
    ? toCsv(PAIR_COLUMNS, measures.pairs)
    : toCsv(PARTICIPANT_COLUMNS, measures.participants);
}
