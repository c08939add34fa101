/**
 * Evaluates the causal key tracker: the key in force 5 s and 10 s after the first note (right
 * when tonic and mode both match; a modal label counts as wrong), the MIREX weighted score at
 * those times, and, where the truth covers the whole piece, the time-weighted accuracy.
 *
 *   node --import tsx scripts/eval-key.ts /work/shared/data [--limit N] [--baseline] [--misses]
 *     [--set synthetic|asap|pop909] [--options JSON]
 *
 * Sets: synthetic Baroque-style openings in all 24 keys (a fugue exposition, a broken-chord
 * prelude and a two-part invention each, made here with a fixed seed); ASAP Beethoven, scored
 * against each movement's key (its opening key where the movement opens away from it, e.g. Op.
 * 110's recitative in Bb minor) and, over the whole performance, for agreement with the
 * annotated key signature; POP909 against its key regions. `--baseline` also runs a textbook
 * causal Krumhansl–Schmuckler (Temperley's profiles, 10 s half-life, nothing else) for
 * comparison. `--limit N` evaluates N files spread evenly over each real set; `--misses` lists
 * the pieces whose key at 10 s was wrong; `--set` runs one set only; `--options` passes tracker
 * options, e.g. '{"halfLife":10}'.
 */
import { existsSync, readFileSync } from 'node:fs';
import { keyScore } from '../packages/engine/src/evaluation/index.ts';
import type { Onset } from '../packages/engine/src/events/index.ts';
import { type KeyEstimate, type KeyOptions, KeyTracker } from '../packages/engine/src/key/index.ts';
import { readPerformance } from '../packages/engine/src/midi/index.ts';
import { createRng, type Rng } from '../packages/engine/src/random/index.ts';
import { keyAt, listAsap, listPop909, parseKeyLabel, readAsapAnnotations, readPop909Keys } from './data.ts';

type TonalMode = 'major' | 'minor';
interface Truth {
  tonicPc: number;
  mode: TonalMode;
}
interface Case {
  name: string;
  onsets: Onset[];
  /** The key at a time, or null where there is none to score against. */
  truthAt: (t: number) => Truth | null;
  /** Scored over the whole duration from the first note to this time (0 = not scored). */
  end: number;
  /** Key-signature agreement instead of tonic and mode over the whole duration. */
  signatureAt?: (t: number) => number | null;
}

/** Key of each ASAP Beethoven movement (the folder name), from the sonatas' titles and scores. */
const BEETHOVEN_KEYS: Record<string, string> = {
  '1-1': 'F:min',
  '2-1': 'A:maj',
  '3-1': 'C:maj',
  '3-2': 'E:maj',
  '4-1': 'Eb:maj',
  '5-1': 'C:min',
  '7-1': 'D:maj',
  '7-2': 'D:min',
  '7-3': 'D:maj',
  '7-4': 'D:maj',
  '8-1': 'C:min',
  '8-2': 'Ab:maj',
  '8-3': 'C:min',
  '9-1': 'E:maj',
  '9-2': 'E:min',
  '9-3': 'E:maj',
  '10-1': 'G:maj',
  '11-1': 'Bb:maj',
  '11-2': 'Eb:maj',
  '11-3': 'Bb:maj',
  '12-1': 'Ab:maj',
  '13-4': 'Eb:maj',
  '14-3': 'C#:min',
  '15-1': 'D:maj',
  '15-4': 'D:maj',
  '16-1': 'G:maj',
  '16-2': 'C:maj',
  '17-1': 'D:min',
  '17-2': 'Bb:maj',
  '17-3': 'D:min',
  '18-1': 'Eb:maj',
  '18-2': 'Ab:maj',
  '18-3': 'Eb:maj',
  '18-4': 'Eb:maj',
  '21-1': 'C:maj',
  '21-2': 'F:maj',
  '21-3': 'C:maj',
  '22-1': 'F:maj',
  '22-2': 'F:maj',
  '23-1': 'F:min',
  '24-1': 'F#:maj',
  '24-2': 'F#:maj',
  '26-1': 'Eb:maj',
  '26-2': 'C:min',
  '26-3': 'Eb:maj',
  '27-1': 'E:min',
  '27-2': 'E:maj',
  '28-1': 'A:maj',
  '28-2': 'F:maj',
  '29-2': 'Bb:maj',
  '29-3': 'F#:min',
  '29-4': 'Bb:maj',
  '30-1': 'E:maj',
  '31-1': 'Ab:maj',
  '31-2': 'F:min',
  '31-3': 'Bb:min',
  '32-1': 'C:min',
};

function usage(message: string): never {
  console.error(
    `${message}\nusage: node --import tsx scripts/eval-key.ts DATA_DIR [--limit N] [--baseline] [--misses] [--set synthetic|asap|pop909] [--options JSON]`,
  );
  process.exit(2);
}

const args = process.argv.slice(2);
const dataDir = args[0];
if (dataDir === undefined || dataDir.startsWith('--')) usage('missing the data folder');
if (!existsSync(dataDir)) usage(`data folder not found: ${dataDir}`);
const limitAt = args.indexOf('--limit');
const limit = limitAt >= 0 ? Number(args[limitAt + 1]) : Number.POSITIVE_INFINITY;
if (!(limit > 0)) usage(`--limit needs a positive number, got: ${args[limitAt + 1]}`);

/** N items spread evenly over a list (the same ones every run). */
function spread<T>(items: readonly T[], n: number): T[] {
  if (n >= items.length) return [...items];
  return Array.from({ length: n }, (_, i) => items[Math.floor((i * items.length) / n)]!);
}

function onsetsOf(path: string): Onset[] {
  const performance = readPerformance(new Uint8Array(readFileSync(path)));
  const onsets: Onset[] = [];
  for (const track of performance.tracks) {
    for (const note of track.notes) {
      if (note.channel === 9) continue;
      // As `attune key` hears it: each note at its start, its length not yet known.
      onsets.push({ t: note.t, pitch: note.pitch, velocity: note.velocity });
    }
  }
  return onsets.sort((a, b) => a.t - b.t);
}

// ---- Synthetic Baroque-style openings --------------------------------------------------------

const MAJOR_STEPS = [0, 2, 4, 5, 7, 9, 11];
const MINOR_STEPS = [0, 2, 3, 5, 7, 8, 10];

/** Pitch of scale degree d (0 = tonic, any octave); minor raises its seventh, and its sixth when asked (melodic minor rising). */
function degreePitch(tonic: number, mode: TonalMode, d: number, raiseSixth = false): number {
  const i = ((d % 7) + 7) % 7;
  let step = (mode === 'major' ? MAJOR_STEPS : MINOR_STEPS)[i]!;
  if (mode === 'minor' && i === 6) step = 11;
  if (mode === 'minor' && i === 5 && raiseSixth) step = 9;
  return tonic + 12 * Math.floor(d / 7) + step;
}

/**
 * Fugue subjects as [scale degree, beats]: tonic and dominant outlined, scale runs, the leading
 * tone; some start on the tonic, some on the dominant above or below it.
 */
const SUBJECTS: Array<Array<[number, number]>> = [
  [
    [0, 0.5],
    [1, 0.25],
    [2, 0.25],
    [3, 0.75],
    [4, 0.25],
    [3, 0.25],
    [2, 0.25],
    [5, 0.5],
    [1, 0.5],
    [4, 0.5],
    [5, 0.25],
    [4, 0.25],
    [3, 0.25],
    [2, 0.25],
  ],
  [
    [0, 0.25],
    [-1, 0.25],
    [0, 0.5],
    [-3, 0.5],
    [-2, 0.5],
    [0, 0.25],
    [-1, 0.25],
    [0, 0.5],
    [1, 0.5],
    [-3, 0.5],
    [0, 0.25],
    [-1, 0.25],
    [0, 0.5],
    [2, 0.5],
    [3, 0.5],
  ],
  [
    [4, 0.5],
    [2, 0.5],
    [0, 0.5],
    [-1, 0.25],
    [0, 0.25],
    [1, 0.5],
    [-3, 0.5],
    [-1, 0.5],
    [0, 1],
  ],
  [
    [0, 1],
    [4, 1],
    [5, 0.5],
    [4, 0.25],
    [3, 0.25],
    [2, 0.5],
    [1, 0.5],
    [0, 0.5],
    [-1, 0.5],
    [0, 1],
  ],
  [
    [4, 0.25],
    [3, 0.25],
    [2, 0.25],
    [1, 0.25],
    [0, 0.5],
    [4, 0.5],
    [2, 0.25],
    [0, 0.25],
    [-1, 0.25],
    [0, 0.25],
    [1, 0.5],
    [-3, 0.5],
  ],
  // Subjects that start on the dominant below the tonic and climb to it, as many fugues do.
  [
    [-3, 0.5],
    [-2, 0.25],
    [-1, 0.25],
    [0, 0.5],
    [2, 0.5],
    [1, 0.25],
    [0, 0.25],
    [-1, 0.5],
    [0, 1],
    [4, 0.5],
    [3, 0.5],
    [2, 1],
  ],
  [
    [-3, 1],
    [0, 0.5],
    [1, 0.5],
    [2, 0.75],
    [1, 0.25],
    [0, 0.5],
    [-1, 0.5],
    [0, 0.5],
    [4, 0.5],
    [2, 0.5],
    [-1, 0.5],
    [0, 1],
  ],
];
/** Chord roots (scale degrees) of prelude progressions, one chord a bar. */
const PROGRESSIONS = [
  [0, 3, 4, 0, 5, 1, 4, 0],
  [0, 4, 0, 3, 1, 4, 0, 4],
  [0, 0, 3, 4, 4, 0, 1, 4],
  // Tonic, then the dominant made a key of its own by its own dominant (V/V, marked 8).
  [0, 3, 8, 4, 8, 4, 0, 4],
];

class Writer {
  readonly onsets: Onset[] = [];
  constructor(
    private readonly rng: Rng,
    private readonly beat: number,
    /** Chance that a note of half a beat or more is led into by a chromatic neighbour. */
    private readonly chromatic: number,
  ) {}
  /**
   * A note at a time in beats, with a performer's timing and loudness noise; now and then a
   * short chromatic lower neighbour leads into it, as ornaments and passing notes do.
   */
  note(beats: number, pitch: number, lengthBeats: number, velocity: number): void {
    if (lengthBeats >= 0.5 && this.rng.chance(this.chromatic)) {
      this.push(beats, pitch - 1, lengthBeats / 4, velocity - 10);
      this.push(beats + lengthBeats / 4, pitch, (3 * lengthBeats) / 4, velocity);
      return;
    }
    this.push(beats, pitch, lengthBeats, velocity);
  }

  private push(beats: number, pitch: number, lengthBeats: number, velocity: number): void {
    const t = Math.max(0, beats * this.beat + this.rng.normal(0, 0.012));
    const v = Math.max(20, Math.min(120, Math.round(velocity + this.rng.normal(0, 8))));
    this.onsets.push({
      t,
      pitch,
      velocity: v,
      duration: lengthBeats * this.beat * this.rng.uniform(0.6, 0.95),
    });
  }
}

/** A fugue exposition: the subject alone, the answer in the dominant over a countersubject, the subject in the bass. */
function fugue(w: Writer, rng: Rng, tonicPc: number, mode: TonalMode): void {
  const subject = rng.pick(SUBJECTS);
  const home = 60 + tonicPc - (tonicPc > 6 ? 12 : 0);
  const length = subject.reduce((sum, [, beats]) => sum + beats, 0);
  const play = (start: number, keyTonic: number, octave: number): void => {
    let t = start;
    for (const [d, beats] of subject) {
      const rising = beats < 0.5 && ((d % 7) + 7) % 7 === 5;
      w.note(t, degreePitch(keyTonic, mode, d, rising) + 12 * octave, beats, 70);
      t += beats;
    }
  };
  play(0, home, 0);
  let d = 2;
  for (let t = length; t < 2 * length; t += 0.5) {
    w.note(t, degreePitch(home, mode, d), 0.5, 62);
    d = Math.max(-2, Math.min(6, d + rng.pick([-1, -1, 1, 2, -2])));
  }
  play(length, home + 7, 0);
  play(2 * length, home, -1);
}

/** A prelude in broken chords over a held bass, one chord a bar, the dominant with its seventh. */
function prelude(w: Writer, rng: Rng, tonicPc: number, mode: TonalMode): void {
  const base = 48 + tonicPc;
  let t = 0;
  for (const degree of rng.pick(PROGRESSIONS)) {
    // The secondary dominant V/V is the dominant's dominant: a major triad on the second degree.
    const secondary = degree === 8;
    const root = secondary ? 1 : degree;
    const chord = [root, root + 2, root + 4, root + 7].map((d) => degreePitch(base + 12, mode, d));
    if (secondary) {
      const rootPitch = degreePitch(base + 12, 'major', 1);
      chord.splice(0, 4, rootPitch, rootPitch + 4, rootPitch + 7, rootPitch + 12);
    }
    if (root === 4 && rng.chance(0.5)) chord[3] = degreePitch(base + 12, mode, root + 6);
    w.note(t, degreePitch(base, mode, root > 3 ? root - 7 : root), 4, 66);
    const figure = [0, 1, 2, 3, 1, 2, 3, 2];
    for (let i = 0; i < 16; i++) w.note(t + 0.25 * i, chord[figure[i % 8]!]!, 0.25, 58);
    t += 4;
  }
}

/** A two-part invention: running scale figures over a walking bass, tonic, dominant and back. */
function invention(w: Writer, rng: Rng, tonicPc: number, mode: TonalMode): void {
  const home = 60 + tonicPc - (tonicPc > 6 ? 12 : 0);
  let t = 0;
  for (const root of [0, 0, 4, 4, 0, 3, 4, 0]) {
    const start = root + rng.pick([0, 2, 4]);
    const direction = rng.pick([1, -1]);
    for (let i = 0; i < 8; i++)
      w.note(t + 0.25 * i, degreePitch(home, mode, start + direction * i, direction > 0), 0.25, 64);
    w.note(t, degreePitch(home - 12, mode, root - 7), 1, 64);
    w.note(t + 1, degreePitch(home - 12, mode, root - 3), 1, 60);
    t += 2;
  }
}

function syntheticCases(seed: number, perKey: number, chromatic: number): Case[] {
  const rng = createRng(seed);
  const textures = { fugue, prelude, invention };
  const names = Object.keys(textures) as Array<keyof typeof textures>;
  const cases: Case[] = [];
  for (let tonicPc = 0; tonicPc < 12; tonicPc++) {
    for (const mode of ['major', 'minor'] as const) {
      for (let i = 0; i < perKey; i++) {
        const texture = names[i % names.length]!;
        const w = new Writer(rng, rng.uniform(0.35, 0.8), chromatic);
        textures[texture](w, rng, tonicPc, mode);
        const truth = { tonicPc, mode };
        cases.push({
          name: `${texture} ${tonicPc} ${mode}`,
          onsets: w.onsets.sort((a, b) => a.t - b.t),
          truthAt: () => truth,
          end: 0,
        });
      }
    }
  }
  return cases;
}

// ---- Real data --------------------------------------------------------------------------------

function beethovenCases(): Case[] {
  const pieces = spread(listAsap(dataDir!), limit);
  return pieces.flatMap((piece): Case[] => {
    const movement = (piece.folder.split('/').pop() ?? '').replace(/_.*$/, '');
    const label = BEETHOVEN_KEYS[movement];
    if (label === undefined) return [];
    const truth = parseKeyLabel(label);
    const signatures = readAsapAnnotations(piece).keySignatures;
    const onsets = onsetsOf(piece.midiPath);
    const last = onsets[onsets.length - 1];
    return [
      {
        name: `${piece.folder}/${piece.performance}`,
        onsets,
        truthAt: () => truth,
        end: last === undefined ? 0 : last.t,
        signatureAt: (t) => {
          let inForce: number | null = null;
          for (const s of signatures) if (s.t <= t) inForce = s.accidentals;
          return inForce ?? signatures[0]?.accidentals ?? null;
        },
      },
    ];
  });
}

function popCases(): Case[] {
  return spread(listPop909(dataDir!), limit).map((song) => {
    const regions = readPop909Keys(song);
    const end = regions.reduce((m, r) => Math.max(m, r.end), 0);
    return {
      name: song.id,
      onsets: onsetsOf(song.midiPath),
      truthAt: (t) => keyAt(regions, t) ?? regions[0] ?? null,
      end,
    };
  });
}

// ---- Scoring ----------------------------------------------------------------------------------

/** Sharps (+) or flats (-) of the key signature of a major or minor key, by pitch class. */
function signatureOf(key: KeyEstimate): number | null {
  const majorPc = key.mode === 'major' ? key.tonicPc : key.mode === 'minor' ? (key.tonicPc + 3) % 12 : null;
  if (majorPc === null) return null;
  const sharps = (majorPc * 7) % 12;
  return sharps > 6 ? sharps - 12 : sharps;
}

const right = (truth: Truth, key: KeyEstimate | null): boolean =>
  key !== null && key.tonicPc === truth.tonicPc && key.mode === truth.mode;

interface SetScores {
  n: number;
  at5: number;
  at10: number;
  mirex5: number;
  mirex10: number;
  whole: number | null;
  modal: number;
  misses: string[];
  /** Median over pieces of the processor time per onset heard, hear and estimate included, in µs. */
  microsPerOnset: number;
}

function evaluate(cases: readonly Case[], options: Partial<KeyOptions>): SetScores {
  let at5 = 0;
  let at10 = 0;
  let mirex5 = 0;
  let mirex10 = 0;
  let wholeRight = 0;
  let wholeCount = 0;
  let modal = 0;
  const misses: string[] = [];
  const micros: number[] = [];
  for (const c of cases) {
    const first = c.onsets[0];
    if (first === undefined) continue;
    const times = [first.t + 5, first.t + 10];
    // Whole-duration samples every second; a sample is heard after everything before it.
    for (let t = first.t + 1; c.end > 0 && t < c.end; t += 1) times.push(t);
    times.sort((a, b) => a - b);
    const tracker = new KeyTracker(options);
    const at = new Map<number, KeyEstimate | null>();
    let i = 0;
    const started = process.cpuUsage();
    for (const t of times) {
      while (i < c.onsets.length && c.onsets[i]!.t < t) tracker.hear(c.onsets[i++]!);
      at.set(t, tracker.estimate(t));
    }
    const used = process.cpuUsage(started);
    if (i > 0) micros.push((used.user + used.system) / i);
    for (const [k, t] of [
      [5, first.t + 5],
      [10, first.t + 10],
    ] as const) {
      const truth = c.truthAt(t);
      const key = at.get(t) ?? null;
      if (truth === null) continue;
      const ok = right(truth, key);
      const mirex = key === null ? 0 : keyScore(truth, key);
      if (k === 5) {
        at5 += ok ? 1 : 0;
        mirex5 += mirex;
      } else {
        at10 += ok ? 1 : 0;
        mirex10 += mirex;
        if (key !== null && key.mode !== 'major' && key.mode !== 'minor') modal++;
        if (!ok)
          misses.push(
            `${c.name}: ${truth.tonicPc}/${truth.mode} heard ${key ? `${key.tonic} ${key.mode}` : 'nothing'}`,
          );
      }
    }
    for (let t = first.t + 1; c.end > 0 && t < c.end; t += 1) {
      const key = at.get(t) ?? null;
      if (c.signatureAt !== undefined) {
        const signature = c.signatureAt(t);
        if (signature === null) continue;
        wholeCount++;
        // Six sharps and six flats are the same signature.
        const mine = key === null ? null : signatureOf(key);
        if (mine !== null && (mine === signature || Math.abs(mine - signature) === 12)) wholeRight++;
      } else {
        const truth = c.truthAt(t);
        if (truth === null) continue;
        wholeCount++;
        if (right(truth, key)) wholeRight++;
      }
    }
  }
  const n = cases.length;
  return {
    n,
    at5: at5 / n,
    at10: at10 / n,
    mirex5: mirex5 / n,
    mirex10: mirex10 / n,
    whole: wholeCount > 0 ? wholeRight / wholeCount : null,
    modal,
    misses,
    microsPerOnset: micros.sort((a, b) => a - b)[Math.floor(micros.length / 2)] ?? 0,
  };
}

const BASELINE: Partial<KeyOptions> = {
  profile: 'temperley',
  halfLife: 10,
  stay: 0,
  bassWeight: 0,
  openingWeight: 0,
  primacyWeight: 0,
  switchMargin: 2,
  modes: false,
};

const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;
function report(set: string, scores: SetScores, wholeName: string): void {
  const whole = scores.whole === null ? '' : `  ${wholeName} ${pct(scores.whole)}`;
  const speed = `  ${scores.microsPerOnset.toFixed(1)} µs/onset`;
  console.log(
    `${set.padEnd(28)} n=${String(scores.n).padStart(3)}  at 5 s ${pct(scores.at5).padStart(6)}  at 10 s ${pct(scores.at10).padStart(6)}  MIREX 5 s ${scores.mirex5.toFixed(3)}  10 s ${scores.mirex10.toFixed(3)}  modal labels at 10 s ${scores.modal}${whole}${speed}`,
  );
}

const optionsAt = args.indexOf('--options');
const trackerOptions = optionsAt >= 0 ? (JSON.parse(args[optionsAt + 1] ?? '{}') as Partial<KeyOptions>) : {};
const setAt = args.indexOf('--set');
const onlySet = setAt >= 0 ? args[setAt + 1] : undefined;
const sets: Array<[string, () => Case[], string, string]> = [
  ['synthetic Baroque openings', () => syntheticCases(1, 6, 0), '', 'synthetic'],
  ['  the same, chromatic', () => syntheticCases(2, 6, 0.25), '', 'synthetic'],
  ['ASAP Beethoven', beethovenCases, 'key-signature agreement, whole', 'asap'],
  ['POP909', popCases, 'time-weighted accuracy, whole', 'pop909'],
];
const showMisses = args.includes('--misses');
for (const [name, load, wholeName, id] of sets) {
  if (onlySet !== undefined && onlySet !== id) continue;
  let cases: Case[];
  try {
    cases = load();
  } catch (error) {
    console.log(`${name}: skipped (${(error as Error).message})`);
    continue;
  }
  const scores = evaluate(cases, trackerOptions);
  report(name, scores, wholeName);
  if (args.includes('--baseline')) report(`  textbook baseline`, evaluate(cases, BASELINE), wholeName);
  if (showMisses) for (const miss of scores.misses) console.log(`    ${miss}`);
}
