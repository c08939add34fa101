/**
 * Relation: what the engine hears between players. Who plays when (shares, overlap, turns and
 * answer latencies), how closely they play together (asynchrony of near-coincident onsets), and
 * who leads (whose changes of tempo and loudness the other follows). Causal and incremental:
 * onsets of all players arrive in one time order. Definitions in docs/MEASURES.md.
 */
import {
  type ActivityOptions,
  type ActivitySnapshot,
  ActivityTracker,
  type Phrase,
} from '../activity/index.ts';
import type { Onset } from '../events/index.ts';
import { type PulseEstimate, type PulseOptions, PulseTracker } from '../pulse/index.ts';
import { assertPositive, assertRange, type Seconds, TIME_EPSILON } from '../time/index.ts';
import { type Lead, LeadEstimator } from './lead.ts';
import { type Presence, presenceOf, type Responses } from './presence.ts';
import { type Synchrony, SynchronyMeter } from './synchrony.ts';

export { type Lead, LeadEstimator, type LeadOptions, NO_LEAD } from './lead.ts';
export { type PlayerPresence, type Presence, presenceOf, type Responses } from './presence.ts';
export { NO_SYNCHRONY, type Synchrony, SynchronyMeter } from './synchrony.ts';

/** Settings of a {@link RelationTracker}; every time is in seconds. */
export interface RelationOptions {
  /** Settings of each player's activity tracker (phrases, silences, loudness). */
  activity: Partial<ActivityOptions>;
  /** Settings of each player's pulse tracker. */
  pulse: Partial<PulseOptions>;
  /** Grid step on which tempo and loudness are sampled for the leader index. */
  step: Seconds;
  /** Horizon h of the leader index: how far ahead a player's change is compared with the difference. */
  horizon: Seconds;
  /** Memory (time constant) of the leader index and synchrony; Infinity weighs the whole session equally. */
  memory: Seconds;
  /** Seconds of sampling per independent observation in the leader confidence. */
  decorrelation: Seconds;
  /** The leading player's tempo must vary by at least this (ln BPM, 0.01 ≈ 1 %) to be followed. */
  minTempoSpread: number;
  /** The leading player's loudness must vary by at least this (velocity units) to be followed. */
  minLoudnessSpread: number;
  /** A tempo sample counts only when the player's pulse confidence is at least this. */
  minPulseConfidence: number;
  /** Onsets of two players are near-coincident within this many seconds… */
  syncWindow: Seconds;
  /** …and within this share of the shorter of the two players' usual inter-onset intervals. */
  syncShare: number;
  /** An answer starts at most this long after the other player's phrase ended. */
  responseWindow: Seconds;
}

/** The defaults for live listening: a minute of memory. */
export const DEFAULT_RELATION_OPTIONS: Readonly<RelationOptions> = Object.freeze({
  activity: {},
  pulse: {},
  step: 0.25,
  horizon: 1,
  memory: 60,
  decorrelation: 4,
  minTempoSpread: 0.01,
  minLoudnessSpread: 2,
  minPulseConfidence: 0.3,
  syncWindow: 0.12,
  syncShare: 0.4,
  responseWindow: 4,
});

/** Who leads a pair, by tempo, by loudness, and both together. */
export interface PairLead {
  /** Tempo and dynamics indices averaged with their confidences as weights, in [-1, 1]. */
  index: number;
  /** The larger of the two confidences. */
  confidence: number;
  /** Seconds of evidence, the larger of the two. */
  evidence: Seconds;
  /** From local tempo (log BPM, compared up to doubling or halving). */
  tempo: Lead;
  /** From loudness level (velocity units). */
  dynamics: Lead;
}

/** Everything heard between two players `a` and `b` (a before b in the players' order). */
export interface PairRelation {
  a: string;
  b: string;
  /** Asynchrony, a's onset minus b's, in ms. */
  synchrony: Synchrony;
  /** Positive when a leads (b follows). */
  lead: PairLead;
  /** How b answered a's phrases. */
  bAnswersA: Responses;
  /** How a answered b's phrases. */
  aAnswersB: Responses;
}

/** One player as part of the group. */
export interface PlayerRelation {
  player: string;
  /** Whether a phrase of this player is in progress. */
  playing: boolean;
  /** Seconds inside the player's phrases. */
  playingTime: Seconds;
  /** Share of the time in which someone plays (0–1). */
  share: number;
  phrases: number;
}

/** The group at a moment. */
export interface RelationSnapshot {
  players: PlayerRelation[];
  /** Seconds in which at least one player played. */
  anyone: Seconds;
  /** Seconds in which two or more played at once. */
  together: Seconds;
  /** together / anyone. */
  overlapShare: number;
  /** Answers of one player to another, all pairs together. */
  turns: number;
  pairs: PairRelation[];
}

/**
 * What the tracker needs of a player's pulse: a {@link PulseTracker}, or a replay of one that
 * was run elsewhere on the same calls (an analysis listening to its tracks in parallel).
 */
export type PulseFollower = Pick<PulseTracker, 'hear' | 'advance' | 'estimate'>;

/** One player's state at a grid point, for listeners that keep curves. */
export interface PlayerSample {
  pulse: PulseEstimate | null;
  activity: ActivitySnapshot;
}

/** Checks every option and fills in the defaults. */
export function relationOptions(options: Partial<RelationOptions> = {}): RelationOptions {
  const o = { ...DEFAULT_RELATION_OPTIONS, ...options };
  for (const name of [
    'step',
    'horizon',
    'memory',
    'decorrelation',
    'syncWindow',
    'syncShare',
    'responseWindow',
    'minTempoSpread',
    'minLoudnessSpread',
  ] as const) {
    assertPositive(name, name === 'memory' && o.memory === Number.POSITIVE_INFINITY ? 1 : o[name]);
  }
  assertRange('minPulseConfidence', o.minPulseConfidence, 0, 1);
  return o;
}

interface Pair {
  i: number;
  j: number;
  sync: SynchronyMeter;
  tempo: LeadEstimator;
  dynamics: LeadEstimator;
}

/**
 * Follows several players together. Each player gets an activity and a pulse tracker; tempo
 * and loudness are sampled every `step` seconds for the leader index.
 * @example
 * const r = new RelationTracker(['client', 'therapist']);
 * r.hear('client', { t: 0, velocity: 70 }); r.hear('therapist', { t: 0.02, velocity: 60 });
 * r.snapshot(0.5).pairs[0]?.synchrony.meanSigned // -20
 */
export class RelationTracker {
  readonly options: RelationOptions;
  readonly players: readonly string[];
  private readonly activities: ActivityTracker[];
  private readonly pulses: PulseFollower[];
  private readonly beats: Seconds[][];
  private readonly pairs: Pair[] = [];
  private readonly index = new Map<string, number>();
  private gridOrigin: Seconds | null = null;
  private gridIndex = 0;
  private latest: Seconds = Number.NEGATIVE_INFINITY;

  /**
   * @param listener called at each grid point with every player's state (for curves).
   * @param pulses each player's pulse follower, in the players' order (by default a new {@link PulseTracker} each).
   */
  constructor(
    players: readonly string[],
    options: Partial<RelationOptions> = {},
    private readonly listener?: (t: Seconds, samples: readonly PlayerSample[]) => void,
    pulses?: readonly PulseFollower[],
  ) {
    this.options = relationOptions(options);
    players.forEach((name, i) => {
      if (name === '' || this.index.has(name))
        throw new RangeError(`player names must be unique and non-empty, got: "${name}"`);
      this.index.set(name, i);
    });
    this.players = [...players];
    this.activities = players.map(() => new ActivityTracker(this.options.activity));
    if (pulses !== undefined && pulses.length !== players.length)
      throw new RangeError(`one pulse follower per player, got: ${pulses.length} for ${players.length}`);
    this.pulses =
      pulses !== undefined ? [...pulses] : players.map(() => new PulseTracker(this.options.pulse));
    this.beats = players.map(() => []);
    const o = this.options;
    const lead = { step: o.step, horizon: o.horizon, memory: o.memory, decorrelation: o.decorrelation };
    for (let i = 0; i < players.length; i++) {
      for (let j = i + 1; j < players.length; j++) {
        this.pairs.push({
          i,
          j,
          sync: new SynchronyMeter(o.memory),
          tempo: new LeadEstimator({ ...lead, fold: Math.LN2, minSpread: o.minTempoSpread }),
          dynamics: new LeadEstimator({ ...lead, fold: 0, minSpread: o.minLoudnessSpread }),
        });
      }
    }
  }

  /** Hears one onset of a player; the onsets of all players come in one time order. */
  hear(player: string, onset: Onset): void {
    const i = this.index.get(player);
    if (i === undefined) throw new RangeError(`unknown player, got: "${player}"`);
    const t = onset.t;
    if (!Number.isFinite(t)) return;
    if (t < this.latest - TIME_EPSILON)
      throw new RangeError(`onsets must come in time order: ${t} after ${this.latest}`);
    this.latest = Math.max(this.latest, t);
    if (this.gridOrigin === null) this.gridOrigin = t;
    this.sampleUntil(t);
    const activity = this.activities[i] as ActivityTracker;
    const pulse = this.pulses[i] as PulseFollower;
    this.collect(i, pulse.advance(t));
    pulse.hear(onset);
    const before = activity.onsetCount;
    activity.hear(onset);
    if (activity.onsetCount > before) this.pairOnset(i, t);
  }

  /** The group at `now`; samples the grid up to `now`, so ask with non-decreasing times. */
  snapshot(now: Seconds): RelationSnapshot {
    if (this.gridOrigin !== null) this.sampleUntil(now);
    const phrases: Phrase[][] = this.activities.map((a) => {
      const list = a.phrases(now);
      const open = a.currentPhrase(now);
      if (open) list.push(open);
      return list;
    });
    const presence: Presence = presenceOf(phrases, { responseWindow: this.options.responseWindow });
    const players = this.players.map((player, k) => {
      const p = presence.players[k] as Presence['players'][number];
      return {
        player,
        playing: (this.activities[k] as ActivityTracker).currentPhrase(now) !== null,
        playingTime: p.playing,
        share: p.share,
        phrases: p.phrases,
      };
    });
    const pairs = this.pairs.map(({ i, j, sync, tempo, dynamics }) => ({
      a: this.players[i] as string,
      b: this.players[j] as string,
      synchrony: sync.synchrony(),
      lead: combine(tempo.lead(), dynamics.lead()),
      bAnswersA: presence.answers[j]?.[i] as Responses,
      aAnswersB: presence.answers[i]?.[j] as Responses,
    }));
    return {
      players,
      anyone: presence.anyone,
      together: presence.together,
      overlapShare: presence.overlapShare,
      turns: presence.turns,
      pairs,
    };
  }

  /** The activity tracker of a player. */
  activity(player: string): ActivityTracker {
    return this.activities[this.indexOf(player)] as ActivityTracker;
  }

  /** The pulse tracker of a player. */
  pulse(player: string): PulseFollower {
    return this.pulses[this.indexOf(player)] as PulseFollower;
  }

  /** The beats committed so far for a player (each decided from onsets before it). */
  beatsOf(player: string): readonly Seconds[] {
    return this.beats[this.indexOf(player)] as Seconds[];
  }

  private indexOf(player: string): number {
    const i = this.index.get(player);
    if (i === undefined) throw new RangeError(`unknown player, got: "${player}"`);
    return i;
  }

  private collect(i: number, beats: readonly Seconds[]): void {
    if (beats.length === 0) return;
    const list = this.beats[i] as Seconds[];
    for (const b of beats) list.push(b);
  }

  /** Samples tempo and loudness of every player at each grid point up to `until`. */
  private sampleUntil(until: Seconds): void {
    const o = this.options;
    const origin = this.gridOrigin as Seconds;
    for (
      let g = origin + this.gridIndex * o.step;
      g <= until + TIME_EPSILON;
      g = origin + this.gridIndex * o.step
    ) {
      const samples: PlayerSample[] = this.pulses.map((pulse, k) => {
        this.collect(k, pulse.advance(g));
        return { pulse: pulse.estimate(g), activity: (this.activities[k] as ActivityTracker).snapshot(g) };
      });
      // A player's tempo and loudness count only while they are playing, and tempo only with a pulse.
      const tempo = samples.map(({ pulse, activity }) =>
        pulse !== null && pulse.confidence >= o.minPulseConfidence && !activity.silent
          ? Math.log(pulse.bpm)
          : null,
      );
      const loud = samples.map(({ activity }) =>
        activity.lastOnset !== null && !activity.silent ? activity.loudness : null,
      );
      for (const pair of this.pairs) {
        pair.tempo.sample(tempo[pair.i] ?? null, tempo[pair.j] ?? null);
        pair.dynamics.sample(loud[pair.i] ?? null, loud[pair.j] ?? null);
      }
      this.listener?.(g, samples);
      this.gridIndex += 1;
    }
  }

  /** Pairs a new onset cluster of player i with the other players' latest onsets. */
  private pairOnset(i: number, t: Seconds): void {
    const o = this.options;
    const mine = (this.activities[i] as ActivityTracker).usualInterval();
    for (const pair of this.pairs) {
      if (pair.i !== i && pair.j !== i) continue;
      const other = (this.activities[pair.i === i ? pair.j : pair.i] as ActivityTracker).usualInterval();
      const usual = Math.min(mine ?? Number.POSITIVE_INFINITY, other ?? Number.POSITIVE_INFINITY);
      const window = Math.min(o.syncWindow, Number.isFinite(usual) ? o.syncShare * usual : o.syncWindow);
      pair.sync.hear(pair.i === i ? 'a' : 'b', t, window);
    }
  }
}

/** Tempo and loudness leads combined: their mean weighted by confidence. */
function combine(tempo: Lead, dynamics: Lead): PairLead {
  const weight = tempo.confidence + dynamics.confidence;
  if (weight <= 0)
    return {
      index: 0,
      confidence: 0,
      evidence: Math.max(tempo.evidence, dynamics.evidence),
      tempo,
      dynamics,
    };
  return {
    index: (tempo.index * tempo.confidence + dynamics.index * dynamics.confidence) / weight,
    confidence: Math.max(tempo.confidence, dynamics.confidence),
    evidence: Math.max(tempo.evidence, dynamics.evidence),
    tempo,
    dynamics,
  };
}
