/**
 * Who plays when: from each player's phrases, the time each plays, the time several play
 * together, and the turns they take (a phrase that answers another player's phrase after it
 * ended, while the answering player had waited).
 */
import type { Phrase } from '../activity/index.ts';
import type { Seconds } from '../time/index.ts';

/** How one player answers another: count and latency from the end of the other's phrase. */
export interface Responses {
  /** Phrases of this player that answered the other's phrase. */
  count: number;
  /** Mean seconds from the end of the other's phrase to the start of the answer (null without answers). */
  meanLatency: Seconds | null;
  /** Median of those seconds (null without answers). */
  medianLatency: Seconds | null;
}

/** One player's part of the playing time. */
export interface PlayerPresence {
  /** Seconds inside the player's phrases. */
  playing: Seconds;
  /** playing / anyone: the player's share of the time in which someone plays (0–1). */
  share: number;
  /** Phrases played. */
  phrases: number;
}

/** Who plays when, for a group. */
export interface Presence {
  /** Seconds in which at least one player plays (the union of all phrases). */
  anyone: Seconds;
  /** Seconds in which two or more play at once. */
  together: Seconds;
  /** together / anyone (0–1; 0 when no one played). */
  overlapShare: number;
  /** Per player, in the order given. */
  players: PlayerPresence[];
  /** Turns taken: every answer of any player to another. */
  turns: number;
  /** answers[i][j]: how player i answered player j (i ≠ j; the diagonal stays empty). */
  answers: Responses[][];
}

/** Settings of {@link presenceOf}. */
export interface PresenceOptions {
  /** An answer starts at most this long after the other's phrase ended. */
  responseWindow: Seconds;
}

const NO_RESPONSES: Readonly<Responses> = Object.freeze({ count: 0, meanLatency: null, medianLatency: null });

interface Tagged {
  player: number;
  start: Seconds;
  end: Seconds;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/**
 * Who plays when, from each player's phrases (each list in time order, not overlapping).
 * @example presenceOf([[{start: 0, end: 2, onsets: 4}], [{start: 3, end: 5, onsets: 4}]], { responseWindow: 4 }).turns // 1
 */
export function presenceOf(phrases: readonly (readonly Phrase[])[], options: PresenceOptions): Presence {
  const count = phrases.length;
  const all: Tagged[] = [];
  phrases.forEach((list, player) => {
    for (const p of list) if (p.end >= p.start) all.push({ player, start: p.start, end: p.end });
  });

  // Sweep the starts and ends to measure time with one or more, and two or more, players.
  const edges: { t: Seconds; step: number }[] = [];
  for (const p of all) {
    if (p.end > p.start) edges.push({ t: p.start, step: 1 }, { t: p.end, step: -1 });
  }
  edges.sort((x, y) => x.t - y.t || x.step - y.step);
  let anyone = 0;
  let together = 0;
  let active = 0;
  let previous = edges[0]?.t ?? 0;
  for (const e of edges) {
    const span = e.t - previous;
    if (active >= 1) anyone += span;
    if (active >= 2) together += span;
    active += e.step;
    previous = e.t;
  }

  const players = phrases.map((list) => {
    const playing = list.reduce((sum, p) => sum + Math.max(0, p.end - p.start), 0);
    return { playing, share: anyone > 0 ? Math.min(1, playing / anyone) : 0, phrases: list.length };
  });

  const latencies: number[][][] = Array.from({ length: count }, () =>
    Array.from({ length: count }, () => []),
  );
  const byStart = [...all].sort((x, y) => x.start - y.start || x.end - y.end);
  const byEnd = [...all].sort((x, y) => x.end - y.end);
  const lastEnded: (Tagged | null)[] = new Array(count).fill(null);
  const lastStarted: (Tagged | null)[] = new Array(count).fill(null);
  let e = 0;
  for (const q of byStart) {
    while (e < byEnd.length && (byEnd[e] as Tagged).end < q.start) {
      const ended = byEnd[e] as Tagged;
      lastEnded[ended.player] = ended;
      e++;
    }
    // The phrase answered is the other players' phrase that ended last before this one began…
    let answered: Tagged | null = null;
    for (let pl = 0; pl < count; pl++) {
      const p = lastEnded[pl];
      if (pl !== q.player && p && (answered === null || p.end > answered.end)) answered = p;
    }
    if (answered !== null && q.start - answered.end <= options.responseWindow) {
      // …provided its player has not gone on playing, and the answering player waited through
      // at least its second half.
      const own = lastEnded[q.player];
      const waited = !own || own.end <= (answered.start + answered.end) / 2;
      if (waited && lastStarted[answered.player] === answered) {
        const row = latencies[q.player] as number[][];
        (row[answered.player] as number[]).push(q.start - answered.end);
      }
    }
    lastStarted[q.player] = q;
  }

  let turns = 0;
  const answers = latencies.map((row) =>
    row.map((list) => {
      turns += list.length;
      if (list.length === 0) return { ...NO_RESPONSES };
      return {
        count: list.length,
        meanLatency: list.reduce((s, x) => s + x, 0) / list.length,
        medianLatency: median(list),
      };
    }),
  );
  return { anyone, together, overlapShare: anyone > 0 ? together / anyone : 0, players, turns, answers };
}
