/**
 * Listening to one track alone: its pulse and key trackers fed exactly the calls the analysis
 * pass would make of them, and their answers kept in typed arrays. Tracks are independent until
 * the measures between them, so a caller may listen to its tracks in any order, on any thread,
 * and hand the listenings to the pass, which replays them: the analysis is the same, bit for bit.
 */
import type { Onset } from '../events/index.ts';
import { KeyTracker, MODES, type Mode, spellTonic } from '../key/index.ts';
import { type PulseEstimate, type PulseOptions, PulseTracker } from '../pulse/index.ts';
import type { PulseFollower } from '../relation/index.ts';
import { type Seconds, TIME_EPSILON } from '../time/index.ts';

/** What every track of one analysis shares: the pass's grid and the trackers' settings. */
export interface ListenPlan {
  /** First grid point: the first onset of any track. */
  origin: Seconds;
  /** Step of the relation tracker's grid, on which the pulse is sampled. */
  step: Seconds;
  /** Last moment of the recording: the grid runs up to it… */
  end: Seconds;
  /** …and has this many points ({@link gridSize}; 0 when no track has an onset). */
  points: number;
  /** Step of the curves, on which the key is sampled. */
  curveStep: Seconds;
  pulse: Partial<PulseOptions>;
  /** Whether to follow the key of a track with notes. */
  key: boolean;
}

/**
 * One track's trackers' answers, in typed arrays: in shared memory when another thread listens
 * while this one replays, with `progress` saying how far the listening has got.
 */
export interface TrackListening {
  /** The pulse estimate at each grid point; NaN where there was none. */
  bpm: Float64Array;
  period: Float64Array;
  nextBeat: Float64Array;
  confidence: Float64Array;
  /** Every beat the pulse tracker committed, in order (the first ones: the array has room to spare)… */
  beats: Float64Array;
  /** …and how many each of its `advance` calls returned. */
  advanced: Uint32Array;
  /** The key at each grid point on the curve: tonic pitch class, or -1 for none (or off the curve); … */
  keyTonic: Int8Array;
  /** …the index of its mode in {@link MODES}; … */
  keyMode: Uint8Array;
  /** …and its confidence. */
  keyConfidence: Float64Array;
  /** Grid points and advance calls written so far, and the listening's state (see {@link LISTENING}). */
  progress: Int32Array;
}

/** The slots of a listening's `progress`, and its states. */
export const LISTENING = Object.freeze({ GRID: 0, CALLS: 1, STATE: 2, RUNNING: 0, DONE: 1, FAILED: 2 });

/** Grid points between two reports of progress to a thread that replays the listening meanwhile. */
const REPORT_EVERY = 64;

/** Beats a shared listening has room for: four per grid point (960 BPM at the default step), and some. */
function beatRoom(plan: ListenPlan): number {
  return plan.points * 4 + 64;
}

/** Whether an array is in shared memory (a page that is not cross-origin isolated has no SharedArrayBuffer at all). */
function isShared(a: Int32Array): boolean {
  return typeof SharedArrayBuffer !== 'undefined' && a.buffer instanceof SharedArrayBuffer;
}

/**
 * Room for one track's listening. Shared (in SharedArrayBuffers) when another thread is to write
 * it while this one reads; a shared listening cannot grow, so its beats have room for 960 BPM.
 */
export function newListening(plan: ListenPlan, onsets: number, shared = false): TrackListening {
  const n = plan.points;
  const room = (bytes: number) => (shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes));
  return {
    bpm: new Float64Array(room(n * 8)),
    period: new Float64Array(room(n * 8)),
    nextBeat: new Float64Array(room(n * 8)),
    confidence: new Float64Array(room(n * 8)),
    beats: new Float64Array(room(shared ? beatRoom(plan) * 8 : 64 * 8)),
    advanced: new Uint32Array(room((n + onsets) * 4)),
    keyTonic: new Int8Array(room(n)).fill(-1),
    keyMode: new Uint8Array(room(n)),
    keyConfidence: new Float64Array(room(n * 8)),
    progress: new Int32Array(room(3 * 4)),
  };
}

/** Grid point i of the pass, computed as the relation tracker computes it. */
function gridPoint(plan: Pick<ListenPlan, 'origin' | 'step'>, i: number): Seconds {
  return plan.origin + i * plan.step;
}

/** Number of grid points the pass samples, up to the end of the recording. */
export function gridSize(plan: Pick<ListenPlan, 'origin' | 'step' | 'end'>): number {
  let n = 0;
  while (gridPoint(plan, n) <= plan.end + TIME_EPSILON) n++;
  return n;
}

/** Which grid points are on the curves: the same decision, point by point, on every thread. */
export class CurveClock {
  private next: Seconds;

  constructor(
    start: Seconds,
    private readonly step: Seconds,
  ) {
    this.next = start;
  }

  /** Whether grid point t (asked in order) is on the curve. */
  at(t: Seconds): boolean {
    if (t < this.next - 1e-9) return false;
    this.next += this.step;
    return true;
  }
}

/** Whether an onset is heard by the key tracker. */
export function tonalOnset(onset: Onset): boolean {
  return !onset.percussive && onset.pitch !== undefined;
}

/**
 * Listens to one track (its onsets in time order) as the analysis pass does: at each grid point
 * the pulse is advanced and asked, the key asked on the curve; before each onset the grid is
 * sampled up to it, then the pulse advanced to it and both trackers hear it. Writes into `l`
 * (a new listening by default), reporting its progress as it goes.
 */
export function listenTrack(
  onsets: readonly Onset[],
  plan: ListenPlan,
  l: TrackListening = newListening(plan, onsets.length),
): TrackListening {
  try {
    fill(onsets, plan, l);
  } catch (error) {
    Atomics.store(l.progress, LISTENING.STATE, LISTENING.FAILED);
    Atomics.notify(l.progress, LISTENING.GRID);
    throw error;
  }
  return l;
}

function fill(onsets: readonly Onset[], plan: ListenPlan, l: TrackListening): void {
  const n = plan.points;
  const shared = isShared(l.progress);
  const pulse = new PulseTracker(plan.pulse);
  // As the pass decides whether a track is tonal: it has notes, whatever their pitches.
  const key = plan.key && onsets.some((x) => !x.percussive) ? new KeyTracker() : null;
  const clock = new CurveClock(plan.origin, plan.curveStep);
  let beats = 0;
  let calls = 0;
  const advance = (now: Seconds): void => {
    const due = pulse.advance(now);
    if (beats + due.length > l.beats.length) {
      if (shared) throw new RangeError(`more beats than a shared listening has room for (${l.beats.length})`);
      const more = new Float64Array(Math.max(2 * l.beats.length, beats + due.length));
      more.set(l.beats);
      l.beats = more;
    }
    for (const b of due) l.beats[beats++] = b;
    l.advanced[calls++] = due.length;
  };
  const report = (done: number): void => {
    Atomics.store(l.progress, LISTENING.CALLS, calls);
    Atomics.store(l.progress, LISTENING.GRID, done);
    if (shared) Atomics.notify(l.progress, LISTENING.GRID);
  };
  let i = 0;
  const sampleUntil = (until: Seconds): void => {
    for (let g = gridPoint(plan, i); i < n && g <= until + TIME_EPSILON; g = gridPoint(plan, i)) {
      advance(g);
      const p = pulse.estimate(g);
      l.bpm[i] = p === null ? Number.NaN : p.bpm;
      l.period[i] = p === null ? Number.NaN : p.period;
      l.nextBeat[i] = p === null ? Number.NaN : p.nextBeat;
      l.confidence[i] = p === null ? Number.NaN : p.confidence;
      if (clock.at(g) && key !== null) {
        const k = key.estimate(g);
        if (k !== null) {
          l.keyTonic[i] = k.tonicPc;
          l.keyMode[i] = MODES.indexOf(k.mode);
          l.keyConfidence[i] = k.confidence;
        }
      }
      i++;
      if (i % REPORT_EVERY === 0) report(i);
    }
  };
  for (const onset of onsets) {
    sampleUntil(onset.t);
    advance(onset.t);
    pulse.hear(onset);
    if (key !== null && tonalOnset(onset)) key.hear(onset);
  }
  sampleUntil(plan.end);
  if (!shared) l.beats = l.beats.slice(0, beats);
  // Progress first: a reader that sees the listening done sees all of it.
  report(i);
  Atomics.store(l.progress, LISTENING.STATE, LISTENING.DONE);
  if (shared) Atomics.notify(l.progress, LISTENING.GRID);
}

/** The key a listening heard at grid point i, as the key tracker answered it there. */
export function keyAt(l: TrackListening, i: number): { label: string; confidence: number } | null {
  const pc = l.keyTonic[i] as number;
  if (pc < 0) return null;
  const mode = MODES[l.keyMode[i] as number] as Mode;
  return { label: `${spellTonic(pc, mode)} ${mode}`, confidence: l.keyConfidence[i] as number };
}

/** What {@link PulseReplay.advance} returns when no beat is due. */
const NO_BEATS: readonly Seconds[] = Object.freeze([]);

/** How long a replay waits for a listening that makes no progress before listening to the track itself. */
const PATIENCE_MS = 10_000;

/**
 * The pulse tracker of a listening, played back: the relation tracker makes the same calls of it
 * as the pass made of the tracker, and gets the same answers. A listening still being written by
 * another thread is waited for; one that failed (or stalled) is replaced by `relisten()`, which
 * listens again here and gives the same answers. Calls out of step are an error.
 */
export class PulseReplay implements PulseFollower {
  private calls = 0;
  private beat = 0;
  private sample = 0;

  constructor(
    private l: TrackListening,
    private readonly plan: ListenPlan,
    private readonly relisten?: () => TrackListening,
  ) {}

  /** The listening replayed (the replacement, once the first failed). */
  get listening(): TrackListening {
    return this.l;
  }

  hear(_onset: Onset): void {}

  advance(_now: Seconds): readonly Seconds[] {
    if (this.calls >= this.l.advanced.length)
      throw new RangeError('pulse replay advanced beyond its listening');
    this.ready(LISTENING.CALLS, this.calls);
    const count = this.l.advanced[this.calls++] as number;
    if (count === 0) return NO_BEATS;
    const due: Seconds[] = [];
    for (let k = 0; k < count; k++) due.push(this.l.beats[this.beat++] as number);
    return due;
  }

  estimate(now: Seconds): PulseEstimate | null {
    const i = this.sample++;
    if (i >= this.l.bpm.length || now !== gridPoint(this.plan, i))
      throw new RangeError(`pulse replay asked at ${now}, out of step with its grid`);
    this.ready(LISTENING.GRID, i);
    const bpm = this.l.bpm[i] as number;
    if (Number.isNaN(bpm)) return null;
    return {
      bpm,
      period: this.l.period[i] as number,
      nextBeat: this.l.nextBeat[i] as number,
      confidence: this.l.confidence[i] as number,
    };
  }

  /** Returns once entry `index` of progress slot `slot` is written, waiting for the thread that writes it. */
  private ready(slot: number, index: number): void {
    const p = this.l.progress;
    if (Atomics.load(p, slot) > index) return;
    let stalled = 0;
    for (;;) {
      const state = Atomics.load(p, LISTENING.STATE);
      if (Atomics.load(p, slot) > index) return;
      if (state !== LISTENING.RUNNING || stalled >= PATIENCE_MS || !isShared(p)) {
        if (this.relisten === undefined)
          throw new Error('a listening stopped before the replay reached its end');
        this.l = this.relisten();
        return;
      }
      const seen = Atomics.load(p, LISTENING.GRID);
      stalled = Atomics.wait(p, LISTENING.GRID, seen, 100) === 'timed-out' ? stalled + 100 : 0;
    }
  }
}
