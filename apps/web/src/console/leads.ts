/**
 * Who leads, heard on the console: the engine's relation tracker (the leader index from tempo and
 * loudness, as in the analysis) fed with what the console hears of the room: every participant's
 * relayed notes, the therapist's own, and the companion's. Those arrive out of time order (the
 * companion's ahead of time, relays a little after), so they wait a moment and are heard in time
 * order; one that arrives later than that is left out. When someone new starts playing, the
 * tracker starts again over the last minutes heard, since the engine follows a fixed set of players.
 */
import { type Onset, type PlayedEvent, type Seconds, toOnset } from '@attune/engine';
import { RelationTracker } from '@attune/engine/relation';
import type { PairLeadView } from './words.ts';

interface Heard {
  readonly player: string;
  readonly onset: Onset;
}

/** Follows who leads whom among the players heard. */
export class LeadWatcher {
  private pending: Heard[] = [];
  private history: Heard[] = [];
  private tracker: RelationTracker | null = null;
  private players: string[] = [];
  private fedUntil: Seconds = Number.NEGATIVE_INFINITY;

  /**
   * @param settle how long an event waits so that later-arriving earlier ones can go first
   * @param keep how much history a restarted tracker hears again
   */
  constructor(
    private readonly settle: Seconds = 0.5,
    private readonly keep: Seconds = 180,
  ) {}

  /** Hears an event of a player (a note, hit or voice frame; silence and non-onsets are ignored). */
  hear(player: string, event: PlayedEvent): void {
    const onset = toOnset(event);
    if (onset === null || onset.t < this.fedUntil) return;
    this.pending.push({ player, onset });
  }

  /** Who leads each pair of players heard, up to `now` less the settling time. */
  pairs(now: Seconds): PairLeadView[] {
    const until = now - this.settle;
    if (until <= this.fedUntil) return this.view(this.fedUntil);
    const due = this.pending.filter((h) => h.onset.t <= until).sort((a, b) => a.onset.t - b.onset.t);
    this.pending = this.pending.filter((h) => h.onset.t > until);
    const newcomers = [...new Set(due.map((h) => h.player))].filter((p) => !this.players.includes(p));
    if (newcomers.length > 0) {
      this.players = [...this.players, ...newcomers];
      this.history = this.history.filter((h) => h.onset.t >= until - this.keep);
      this.tracker = new RelationTracker(this.players);
      for (const h of this.history) this.tracker.hear(h.player, h.onset);
    }
    for (const h of due) {
      this.tracker?.hear(h.player, h.onset);
      this.history.push(h);
    }
    if (this.history.length > 20_000) this.history = this.history.slice(-10_000);
    this.fedUntil = until;
    return this.view(until);
  }

  private view(at: Seconds): PairLeadView[] {
    if (this.tracker === null || at === Number.NEGATIVE_INFINITY) return [];
    return this.tracker.snapshot(at).pairs.map((p) => ({
      a: p.a,
      b: p.b,
      index: p.lead.index,
      confidence: p.lead.confidence,
    }));
  }
}
