/** The plain-text report of `attune analyze`: one block per track, one per pair, plain words. */
import type { PairAnalysis, PerformanceAnalysis, TrackAnalysis } from './index.ts';

const NAMES = ['C', 'C#', 'D', 'Eb', 'E', 'F', 'F#', 'G', 'Ab', 'A', 'Bb', 'B'];

/** A MIDI pitch as a note name with octave (middle C is C4). */
function noteName(pitch: number): string {
  const p = Math.round(pitch);
  return `${NAMES[((p % 12) + 12) % 12]}${Math.floor(p / 12) - 1}`;
}

function clock(seconds: number): string {
  const m = Math.floor(seconds / 60);
  const s = seconds - 60 * m;
  return `${m}:${s.toFixed(1).padStart(4, '0')}`;
}

const pct = (x: number): string => `${Math.round(100 * x)}%`;
const num = (x: number | null, digits = 0, unit = ''): string =>
  x === null ? '–' : `${x.toFixed(digits)}${unit}`;
const line = (label: string, text: string): string => `  ${label.padEnd(11)}${text}`;

function trackBlock(t: TrackAnalysis): string[] {
  const out = [`Track "${t.name}": ${t.kind}, ${t.events} events (${t.onsets} onsets, chords once)`];
  if (t.events === 0) return out;
  out.push(
    line(
      'tempo',
      t.tempo.median === null
        ? `no steady pulse (confident ${pct(t.tempo.confidentShare)} of playing time)`
        : `median ${num(t.tempo.median)} BPM, period varies ${num(t.tempo.periodCv === null ? null : 100 * t.tempo.periodCv, 1, '%')}` +
            ` (beat to beat ${num(t.tempo.beatToBeat === null ? null : 100 * t.tempo.beatToBeat, 1, '%')}),` +
            ` steady pulse ${pct(t.tempo.confidentShare)} of playing time`,
    ),
  );
  const d = t.dynamics;
  out.push(
    line(
      'dynamics',
      `mean ${num(d.mean)}, range ${num(d.low)}–${num(d.high)} (5th–95th percentile), ${d.accents} accents (${num(d.accentsPerMinute, 1)}/min)`,
    ),
  );
  out.push(
    line(
      'density',
      `${num(t.density.playing, 1)} onsets/s while playing, ${num(t.density.overall, 1)} overall`,
    ),
  );
  if (t.pitch !== null) {
    out.push(
      line(
        'pitch',
        `${noteName(t.pitch.lowest)}–${noteName(t.pitch.highest)} (${Math.round(t.pitch.range)} semitones), mostly ${noteName(t.pitch.low)}–${noteName(t.pitch.high)}, mean ${noteName(t.pitch.mean)}`,
      ),
    );
  }
  out.push(
    line(
      'silence',
      `${pct(t.silence.share)} of the recording, ${t.silence.count} silences, longest ${num(t.silence.longest, 1)} s`,
    ),
  );
  out.push(
    line(
      'phrases',
      `${t.phrases.count}, mean ${num(t.phrases.meanLength, 1)} s (median ${num(t.phrases.medianLength, 1)} s), ${num(t.phrases.meanOnsets, 1)} onsets each`,
    ),
  );
  if (t.tonal !== null) {
    out.push(
      line(
        'tonality',
        `clarity ${num(t.tonal.clarity, 2)}${t.tonal.key === null ? '' : `, mostly ${t.tonal.key} (${pct(t.tonal.keyShare)} of the time)`}`,
      ),
    );
  }
  return out;
}

const signed = (x: number): string => `${x >= 0 ? '+' : ''}${x.toFixed(2)}`;
/** A lead with no confidence has no meaningful direction. */
const part = (l: { index: number; confidence: number }): string =>
  l.confidence > 0 ? `${signed(l.index)} at ${l.confidence.toFixed(2)}` : 'none';

function pairBlock(p: PairAnalysis): string[] {
  const out = [`Pair "${p.a}" and "${p.b}"`];
  const s = p.synchrony;
  if (s.pairs === 0) out.push(line('together', 'no near-coincident onsets'));
  else {
    const ahead = s.meanSigned < 0 ? p.a : p.b;
    out.push(
      line(
        'together',
        `${s.pairs} near-coincident onsets (${pct(s.coincidence)}); "${ahead}" ahead by ${num(Math.abs(s.meanSigned))} ms on average, mean gap ${num(s.meanAbsolute)} ms, sd ${num(s.sd)} ms`,
      ),
    );
  }
  const l = p.lead;
  const who =
    l.confidence < 0.2 || Math.abs(l.index) < 0.2 ? 'no clear leader' : `"${l.index > 0 ? p.a : p.b}" leads`;
  out.push(
    line(
      'leads',
      `${who} (index ${signed(l.index)}, confidence ${num(l.confidence, 2)}; tempo ${part(l.tempo)}, dynamics ${part(l.dynamics)})`,
    ),
  );
  out.push(
    line(
      'turns',
      `"${p.b}" answered "${p.a}" ${p.bAnswersA.count}× (median ${num(p.bAnswersA.medianLatency, 1)} s), "${p.a}" answered "${p.b}" ${p.aAnswersB.count}× (median ${num(p.aAnswersB.medianLatency, 1)} s)`,
    ),
  );
  return out;
}

/**
 * The analysis as plain text for the terminal.
 * @example formatAnalysis(analyzePerformance(tracks)) // 'Recording 0:00.5–3:12.0 (3.2 min), 2 tracks\n…'
 */
export function formatAnalysis(analysis: PerformanceAnalysis): string {
  const { start, end, duration, tracks, pairs, group } = analysis;
  const lines: string[] = [];
  lines.push(
    start === null || end === null
      ? `Recording with no notes, ${tracks.length} track${tracks.length === 1 ? '' : 's'}`
      : `Recording ${clock(start)}–${clock(end)} (${(duration / 60).toFixed(1)} min), ${tracks.length} track${tracks.length === 1 ? '' : 's'}`,
  );
  if (tracks.length > 1) {
    lines.push(
      `Someone plays ${clock(group.anyone)}, two or more together ${pct(group.overlapShare)} of that; ${group.turns} turns (${group.turnsPerMinute.toFixed(1)} per minute)`,
    );
  }
  for (const t of tracks) lines.push('', ...trackBlock(t));
  for (const p of pairs) lines.push('', ...pairBlock(p));
  return `${lines.join('\n')}\n`;
}
