/**
 * Evaluates the causal pulse tracker on real performances with known beats: Groove MIDI (drums to
 * a click), ASAP Beethoven (expressive piano, hand-annotated beats) and POP909 (pop piano).
 * Prints, per set, the mean mir_eval scores (F-measure, Cemgil, P-score, CMLt, AMLt; beats before
 * 5 s ignored, ±70 ms window; a file that fails counts as zero) and the worst files.
 *
 *   node --import tsx scripts/eval-beats.ts /work/shared/data [--set groove|asap|pop909] [--limit N]
 *
 * `--limit N` evaluates N files spread evenly over each set (the same ones every run); `--worst N`
 * lists the N worst files (default 5); `--options '{"preferredBpm":100}'` tries other tracker
 * settings. Groove recordings of 5.5 s or less are skipped: nothing is scored before 5 s. Each
 * file's line also says which reading of the reference its beats match best (as annotated,
 * off-beat, double or half tempo), so level errors can be told from lost tracking, and each set
 * ends with what the tracked beats were, beat by beat, against the reference beat they fall in.
 */
import { readFileSync } from 'node:fs';
import {
  type BeatScores,
  beatFMeasure,
  beatScores,
  meanBeatScores,
  metricalVariations,
  trimBeats,
} from '../packages/engine/src/evaluation/index.ts';
import { atStart, type Onset, toOnset } from '../packages/engine/src/events/index.ts';
import { noteToPlayed, readPerformance } from '../packages/engine/src/midi/index.ts';
import { type PulseOptions, trackBeats } from '../packages/engine/src/pulse/index.ts';
import {
  grooveBeats,
  listAsap,
  listGroove,
  listPop909,
  readAsapAnnotations,
  readPop909Beats,
} from './data.ts';

interface Case {
  set: string;
  name: string;
  /** Subsets this file belongs to, for separate means (e.g. 'beat >10 s'). */
  groups: string[];
  midiPath: string;
  reference: () => number[];
}

interface Result {
  c: Case;
  scores: BeatScores;
  error?: string;
  bpm?: number;
  /** The metrical reading of the reference the beats match best. */
  level?: string;
  /** Share of the tracked beats in each of {@link READINGS}. */
  readings?: number[];
}

const LEVELS = ['annotated', 'off-beat', 'double', 'half', 'half'];

/** Which reading of the reference (annotated, off-beat, double, half) the beats match best, if any. */
function levelOf(reference: readonly number[], beats: readonly number[]): string {
  const est = trimBeats(beats);
  let best = 'none';
  let bestF = 0.5;
  metricalVariations(trimBeats(reference)).forEach((variant, i) => {
    const f = beatFMeasure(variant, est);
    if (f > bestF) {
      bestF = f;
      best = LEVELS[i] as string;
    }
  });
  return best;
}

/** What the tracked beats after 5 s are, read against the reference beat they fall within. */
const READINGS = ['on the beat', 'off-beat', 'other phase', 'double', 'half', 'triple', 'third', 'other'];

/**
 * The share of a file's tracked beats (after 5 s) in each reading: the interval from a tracked beat
 * to the next is compared with the reference interval it starts in (×1, ×½, ×2, ×⅓, ×3 within 15%),
 * and at the same tempo where in that interval it starts (within 70 ms of its ends: on the beat;
 * within 15% of its middle: off-beat). Tells whether F is lost to the level, to the phase, or to
 * tracking lost altogether.
 */
function readingsOf(reference: readonly number[], beats: readonly number[]): number[] {
  const shares = READINGS.map(() => 0);
  const late = beats.filter((b) => b >= 5);
  let j = 0;
  let n = 0;
  for (let i = 0; i + 1 < late.length; i++) {
    const b = late[i] as number;
    while (j + 1 < reference.length && (reference[j + 1] as number) <= b) j++;
    const from = reference[j];
    const to = reference[j + 1];
    if (from === undefined || to === undefined || from > b) continue;
    const period = to - from;
    const ratio = ((late[i + 1] as number) - b) / period;
    const near = (x: number): boolean => Math.abs(Math.log(ratio / x)) < 0.15;
    let k = 7;
    if (near(1)) {
      const offset = b - from;
      const phase = offset / period;
      k = offset <= 0.07 || period - offset <= 0.07 ? 0 : Math.abs(phase - 0.5) < 0.15 ? 1 : 2;
    } else if (near(0.5)) k = 3;
    else if (near(2)) k = 4;
    else if (near(1 / 3)) k = 5;
    else if (near(3)) k = 6;
    shares[k] = (shares[k] as number) + 1;
    n++;
  }
  return n === 0 ? shares : shares.map((x) => x / n);
}

const ZERO: BeatScores = {
  fMeasure: 0,
  cemgil: 0,
  cemgilBest: 0,
  pScore: 0,
  cmlc: 0,
  cmlt: 0,
  amlc: 0,
  amlt: 0,
};

function usage(message: string): never {
  console.error(`eval-beats: ${message}`);
  console.error(
    'usage: node --import tsx scripts/eval-beats.ts <data folder> [--set groove|asap|pop909] [--limit N] [--worst N] [--options JSON]',
  );
  process.exit(2);
}

function parseArgs(argv: string[]): {
  dataDir: string;
  sets: string[];
  limit: number;
  worst: number;
  options: Partial<PulseOptions>;
} {
  let dataDir = '';
  const sets: string[] = [];
  let limit = 0;
  let worst = 5;
  let options: Partial<PulseOptions> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) usage(`${a} needs a value`);
      return v;
    };
    if (a === '--set') {
      const s = value();
      if (!['groove', 'asap', 'pop909'].includes(s)) usage(`unknown set '${s}'`);
      sets.push(s);
    } else if (a === '--limit') limit = Number(value());
    else if (a === '--worst') worst = Number(value());
    else if (a === '--options') options = JSON.parse(value()) as Partial<PulseOptions>;
    else if (a.startsWith('--')) usage(`unknown option ${a}`);
    else if (dataDir) usage(`unexpected argument ${a}`);
    else dataDir = a;
  }
  if (!dataDir) usage('no data folder given');
  if (!(Number.isInteger(limit) && limit >= 0)) usage(`--limit must be a whole number, got: ${limit}`);
  return { dataDir, sets: sets.length > 0 ? sets : ['groove', 'asap', 'pop909'], limit, worst, options };
}

/** N items spread evenly over a list (all when N is 0 or at least the length). */
function spread<T>(items: readonly T[], n: number): T[] {
  if (n <= 0 || n >= items.length) return [...items];
  return Array.from({ length: n }, (_, i) => items[Math.floor(((i + 0.5) * items.length) / n)] as T);
}

function cases(dataDir: string, set: string, limit: number): Case[] {
  if (set === 'groove') {
    const pieces = listGroove(dataDir).filter((p) => p.duration > 5.5);
    return spread(pieces, limit).map((p) => ({
      set,
      name: `${p.id} ${p.style} ${p.bpm} ${p.beatType} ${p.timeSignature}`,
      // The drum-position table was measured on the train split: the validation split is unseen.
      groups: [
        p.beatType === 'beat' && p.duration > 10 ? 'beat, >10 s' : `${p.beatType}, other`,
        p.beatType === 'beat' && p.duration > 10 ? `beat, >10 s, ${p.split}` : '',
      ].filter((g) => g !== ''),
      midiPath: p.midiPath,
      reference: () => grooveBeats(p).beats,
    }));
  }
  if (set === 'asap') {
    return spread(listAsap(dataDir), limit).map((p) => ({
      set,
      name: `${p.folder.replace('Beethoven/', '')} ${p.performance}`,
      groups: [],
      midiPath: p.midiPath,
      reference: () => readAsapAnnotations(p).beats,
    }));
  }
  return spread(listPop909(dataDir), limit).map((s) => ({
    set,
    name: s.id,
    groups: [],
    midiPath: s.midiPath,
    reference: () => readPop909Beats(s).beats,
  }));
}

/**
 * The onsets a performance makes, exactly as `attune beats` hears them: percussion-channel notes
 * become hits (keeping their General MIDI key), every other note stays a note.
 */
function onsetsOf(path: string): Onset[] {
  const performance = readPerformance(new Uint8Array(readFileSync(path)));
  return performance.tracks
    .flatMap((track) => track.notes)
    .sort((a, b) => a.t - b.t)
    .flatMap((n) => {
      const onset = toOnset(noteToPlayed(n));
      return onset === null ? [] : [atStart(onset)];
    });
}

function evaluate(c: Case, options: Partial<PulseOptions>): Result {
  try {
    const reference = c.reference();
    const beats = trackBeats(onsetsOf(c.midiPath), options);
    const late = beats.filter((b) => b >= 5);
    const bpm =
      late.length > 1 ? (60 * (late.length - 1)) / ((late.at(-1) as number) - (late[0] as number)) : 0;
    return {
      c,
      scores: beatScores(reference, beats),
      bpm,
      level: levelOf(reference, beats),
      readings: readingsOf(reference, beats),
    };
  } catch (e) {
    return { c, scores: ZERO, error: e instanceof Error ? e.message : String(e) };
  }
}

const fmt = (x: number): string => x.toFixed(3);

function line(label: string, results: readonly Result[]): string {
  const m = meanBeatScores(results.map((r) => r.scores));
  return `${label.padEnd(22)} n=${String(results.length).padStart(4)}  F ${fmt(m.fMeasure)}  Cemgil ${fmt(m.cemgil)}  P ${fmt(m.pScore)}  CMLt ${fmt(m.cmlt)}  AMLt ${fmt(m.amlt)}`;
}

/** The mean share per file of each reading of the tracked beats. */
function readingLine(label: string, results: readonly Result[]): string {
  const shares = READINGS.map(
    (name, k) =>
      `${name} ${fmt(results.reduce((sum, r) => sum + (r.readings?.[k] ?? 0), 0) / Math.max(1, results.length))}`,
  );
  return `  ${label.padEnd(22)} ${shares.join(', ')}`;
}

function main(): void {
  const args = parseArgs(process.argv.slice(2));
  for (const set of args.sets) {
    let list: Case[];
    try {
      list = cases(args.dataDir, set, args.limit);
    } catch (e) {
      console.error(`eval-beats: ${e instanceof Error ? e.message : String(e)}`);
      process.exit(1);
    }
    const started = process.hrtime.bigint();
    const results = list.map((c) => evaluate(c, args.options));
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    console.log(`\n## ${set} (${results.length} files, ${seconds.toFixed(1)} s)`);
    console.log(line('all', results));
    const groups = [...new Set(results.flatMap((r) => r.c.groups))].sort();
    for (const g of groups)
      console.log(
        line(
          g,
          results.filter((r) => r.c.groups.includes(g)),
        ),
      );
    const levels = new Map<string, number>();
    for (const r of results) levels.set(r.level ?? 'failed', (levels.get(r.level ?? 'failed') ?? 0) + 1);
    console.log(`best-matching level: ${[...levels].map(([k, v]) => `${k} ${v}`).join(', ')}`);
    console.log('tracked beats after 5 s, mean share per file:');
    console.log(readingLine('all', results));
    for (const g of groups)
      console.log(
        readingLine(
          g,
          results.filter((r) => r.c.groups.includes(g)),
        ),
      );
    const failed = results.filter((r) => r.error);
    if (failed.length > 0) console.log(`failures (scored 0): ${failed.length}`);
    for (const r of failed.slice(0, 3)) console.log(`  ${r.c.name}: ${r.error}`);
    const worst = [...results].sort((a, b) => a.scores.fMeasure - b.scores.fMeasure).slice(0, args.worst);
    console.log('worst:');
    for (const r of worst) {
      console.log(
        `  F ${fmt(r.scores.fMeasure)} AMLt ${fmt(r.scores.amlt)} ~${(r.bpm ?? 0).toFixed(0)} bpm ${(r.level ?? '').padEnd(9)} ${r.c.name} [${r.c.groups[0] ?? ''}]`,
      );
    }
  }
}

main();
