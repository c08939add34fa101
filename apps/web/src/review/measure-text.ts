/**
 * The review's measures as a therapist reads them: each number with a plain label and unit, per
 * player (and the companion) and per pair, from the analysis the studio made once for the
 * session. A measure the recording cannot tell (no steady pulse, no pitched notes) says so in
 * words instead of showing a zero.
 */
import type { ReviewMeasures } from '@attune/engine';

/** One line of the per-player table: its label, a sentence on what it means, and a value per column. */
export interface MeasureRow {
  readonly label: string;
  readonly help: string;
  readonly values: readonly string[];
}

/** One pair of players and what was measured between them, as sentences. */
export interface PairText {
  readonly a: string;
  readonly b: string;
  readonly lines: readonly { readonly label: string; readonly value: string }[];
}

const NOTE_NAMES = ['C', 'C♯', 'D', 'E♭', 'E', 'F', 'F♯', 'G', 'A♭', 'A', 'B♭', 'B'];

/**
 * A MIDI note number as a note name with its octave.
 * @example noteName(60) // 'C4'
 */
export function noteName(midi: number): string {
  const n = Math.round(midi);
  return `${NOTE_NAMES[((n % 12) + 12) % 12]}${Math.floor(n / 12) - 1}`;
}

const percent = (share: number) => `${Math.round(share * 100)} %`;
const seconds = (s: number) => (s < 10 ? `${s.toFixed(1)} s` : `${Math.round(s)} s`);

/** The per-player table: one column per track of the analysis, in its order. */
export function playerRows(m: ReviewMeasures): MeasureRow[] {
  const tracks = m.analysis.tracks;
  const row = (label: string, help: string, value: (t: (typeof tracks)[number]) => string): MeasureRow => ({
    label,
    help,
    values: tracks.map((t) => (t.kind === 'empty' ? '—' : value(t))),
  });
  return [
    row(
      'Played',
      'Notes and drum strokes, chords counted once',
      (t) => `${t.onsets.toLocaleString('en')} onsets`,
    ),
    row('Tempo', 'Usual speed of the beat while the pulse was clear', (t) =>
      t.tempo.median === null ? 'no steady pulse' : `${Math.round(t.tempo.median)} beats a minute`,
    ),
    row('Steady pulse', 'Share of their playing time with a beat one could tap along to', (t) =>
      percent(t.tempo.confidentShare),
    ),
    row('Loudness', 'Typical strength of a note (1 soft – 127 loud), and the range of most notes', (t) => {
      const { mean, low, high } = t.dynamics;
      if (mean === null) return '—';
      const range = low !== null && high !== null && Math.round(high) > Math.round(low);
      return `${Math.round(mean)}${range ? ` (${Math.round(low)}–${Math.round(high)})` : ''}`;
    }),
    row('Activity', 'Notes a second while playing', (t) =>
      t.density.playing === null ? '—' : `${t.density.playing.toFixed(1)} a second`,
    ),
    row('Pitch range', 'Lowest to highest note played', (t) =>
      t.pitch === null ? 'no pitched notes' : `${noteName(t.pitch.lowest)}–${noteName(t.pitch.highest)}`,
    ),
    row('Silent', 'Share of the session in which they did not play', (t) => percent(t.silence.share)),
    row('Phrases', 'Stretches of playing between pauses, and their usual length', (t) =>
      t.phrases.count === 0
        ? 'none'
        : `${t.phrases.count}${t.phrases.medianLength === null ? '' : `, about ${seconds(t.phrases.medianLength)}`}`,
    ),
    row('Key', 'The key heard longest, and how clearly a key was heard (0–100 %)', (t) =>
      t.tonal === null || t.tonal.key === null
        ? 'no clear key'
        : `${t.tonal.key}, ${percent(t.tonal.clarity)} clear`,
    ),
  ];
}

/** Between each pair: playing together, who leads, answers. `name` names a track. */
export function pairTexts(m: ReviewMeasures, name: (track: string) => string): PairText[] {
  return m.analysis.pairs.map((p) => {
    const a = name(p.a);
    const b = name(p.b);
    const s = p.synchrony;
    // The share is of the notes of the one who played fewer: how many of theirs met the other's.
    const onsets = (track: string) => m.analysis.tracks.find((t) => t.name === track)?.onsets ?? 0;
    const [fewer, more] = onsets(p.a) <= onsets(p.b) ? [a, b] : [b, a];
    const together =
      s.pairs === 0
        ? 'never played a note together'
        : `${percent(s.coincidence)} of ${fewer}'s notes fell with ${more}'s, ${Math.round(s.meanAbsolute)} ms apart on average${
            Math.abs(s.meanSigned) >= 10 ? ` (${s.meanSigned < 0 ? a : b} a little ahead)` : ''
          }`;
    const leads =
      p.lead.confidence < 0.3 || Math.abs(p.lead.index) < 0.15
        ? 'neither clearly led'
        : `${p.lead.index > 0 ? a : b} tended to lead, the other following in tempo and loudness`;
    const answers = (count: number, latency: number | null, who: string, whom: string) =>
      `${who} answered ${count} of ${whom}'s phrases${latency === null ? '' : `, after ${seconds(latency)}`}`;
    const answered =
      p.bAnswersA.count === 0 && p.aAnswersB.count === 0
        ? "neither answered the other's phrases"
        : [
            ...(p.bAnswersA.count > 0 ? [answers(p.bAnswersA.count, p.bAnswersA.medianLatency, b, a)] : []),
            ...(p.aAnswersB.count > 0 ? [answers(p.aAnswersB.count, p.aAnswersB.medianLatency, a, b)] : []),
          ].join('; ');
    return {
      a: p.a,
      b: p.b,
      lines: [
        { label: 'Together', value: together },
        { label: 'Leading', value: leads },
        { label: 'Answers', value: answered },
      ],
    };
  });
}

/** A stretch of a pair's synchrony curve: its share of notes together (0–1), or null when they did not play together. */
export interface TogetherWindow {
  readonly from: number;
  readonly to: number;
  readonly coincidence: number | null;
}

/**
 * The lines of a "playing together" plot `width` × `height`: one SVG path per run of windows in
 * which the pair played together (a window without is a gap), 100 % at the top.
 * @example togetherLines([{ from: 0, to: 10, coincidence: 1 }, { from: 10, to: 20, coincidence: 0.5 }], 100, 10) // ['M0,0 L50,0 L50,5 L100,5']
 */
export function togetherLines(windows: readonly TogetherWindow[], width: number, height: number): string[] {
  const first = windows[0];
  const last = windows[windows.length - 1];
  if (!first || !last || !(last.to > first.from)) return [];
  const x = (t: number) => Math.round(((t - first.from) / (last.to - first.from)) * width * 10) / 10;
  const y = (share: number) => Math.round((1 - share) * height * 10) / 10;
  const lines: string[] = [];
  let run: string[] = [];
  for (const w of windows) {
    if (w.coincidence === null) {
      if (run.length > 0) lines.push(run.join(' '));
      run = [];
      continue;
    }
    run.push(
      `${run.length === 0 ? 'M' : 'L'}${x(w.from)},${y(w.coincidence)}`,
      `L${x(w.to)},${y(w.coincidence)}`,
    );
  }
  if (run.length > 0) lines.push(run.join(' '));
  return lines;
}
