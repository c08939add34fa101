/**
 * The live room's loop, run over a recorded performance: every event is heard at its own time,
 * the therapist's steering is given at its time, and `plan` is called on a regular tick with the
 * live lookahead, exactly as a room host does. Offline render, evaluation and the live room share
 * this one code path, so what the companion plays here is what it would have played live.
 */
import type { PlayedEvent } from '../events/index.ts';
import type { Seconds } from '../time/index.ts';
import { Companion, type CompanionOptions, type PlannedNote } from './index.ts';
import type { CompanionSettings, ControlEvent, SteeringControl } from './settings.ts';

/** How the loop runs: `plan` every `tick` seconds for the window [now, now + lookahead). */
export interface LoopOptions {
  /** Seconds between plan calls (a room host's timer). */
  readonly tick: Seconds;
  /** How far ahead of now each plan call reaches; at least 50 ms, so no note depends on one heard less than 50 ms before it. */
  readonly lookahead: Seconds;
  /** Steering given during the performance, each at its time. */
  readonly steering?: readonly { readonly control: SteeringControl; readonly at: Seconds }[];
  /** Where the loop stops; by default two seconds after the last event. */
  readonly until?: Seconds;
  /** Who played the events (the participant the companion hears them from). */
  readonly participant?: string;
}

/** The live room's defaults: a 25 ms tick and a 100 ms lookahead. */
export const LIVE_LOOP: LoopOptions = { tick: 0.025, lookahead: 0.1 };

/** The least lookahead: nothing the companion plays may depend on a note heard less than 50 ms before it. */
export const MIN_LOOKAHEAD: Seconds = 0.05;

/** What the companion played over a performance, and the steering as recorded. */
export interface Accompaniment {
  readonly notes: PlannedNote[];
  /** The companion's own beats. */
  readonly beats: readonly Seconds[];
  /** The beats at which it heard a sudden change of tempo and followed the client's onsets itself. */
  readonly jumps: readonly Seconds[];
  readonly controls: readonly ControlEvent[];
}

/** One step of a room host's loop: hear what has arrived by `now`, then plan ahead. */
export class CompanionLoop {
  private readonly companion: Companion;
  private reached: Seconds = Number.NEGATIVE_INFINITY;

  constructor(
    companion: Companion,
    private readonly lookahead: Seconds,
  ) {
    if (!(Number.isFinite(lookahead) && lookahead >= MIN_LOOKAHEAD)) {
      throw new RangeError(`lookahead must be at least ${MIN_LOOKAHEAD} s, got: ${lookahead}`);
    }
    this.companion = companion;
  }

  /** The notes newly planned at `now` (those starting from the previous call's reach onward). */
  tick(now: Seconds): PlannedNote[] {
    const to = now + this.lookahead;
    const fresh = this.companion.plan(now, to).filter((n) => n.start >= this.reached);
    this.reached = Math.max(this.reached, to);
    return fresh;
  }
}

/**
 * Accompanies a performance as a live room would, returning every note the companion played.
 * @example accompany(events, { techniques: ['ground'] }, 1, LIVE_LOOP).notes.length
 */
export function accompany(
  events: readonly PlayedEvent[],
  settings: Partial<CompanionSettings>,
  seed: number,
  loop: LoopOptions = LIVE_LOOP,
  options: CompanionOptions = {},
): Accompaniment {
  if (!(Number.isFinite(loop.tick) && loop.tick > 0 && loop.tick <= loop.lookahead)) {
    throw new RangeError(`tick must be positive and no longer than the lookahead, got: ${loop.tick}`);
  }
  const companion = new Companion(settings, seed, options);
  const runner = new CompanionLoop(companion, loop.lookahead);
  const ordered = [...events].sort((a, b) => a.t - b.t);
  const steering = [...(loop.steering ?? [])].sort((a, b) => a.at - b.at);
  const participant = loop.participant ?? 'client';
  const lastEvent = ordered.length > 0 ? (ordered[ordered.length - 1] as PlayedEvent).t : 0;
  const until = loop.until ?? lastEvent + 2;
  const notes: PlannedNote[] = [];
  let e = 0;
  let c = 0;
  const ticks = Math.ceil(Math.max(0, until) / loop.tick);
  for (let k = 0; k <= ticks; k++) {
    const now = k * loop.tick;
    while (e < ordered.length && (ordered[e] as PlayedEvent).t <= now) {
      companion.hear(participant, ordered[e] as PlayedEvent);
      e++;
    }
    while (c < steering.length && (steering[c] as { at: Seconds }).at <= now) {
      const s = steering[c] as { control: SteeringControl; at: Seconds };
      companion.steer(s.control, s.at);
      c++;
    }
    for (const note of runner.tick(now)) notes.push(note);
  }
  return { notes, beats: companion.beats(), jumps: companion.jumps(), controls: companion.controls() };
}

/** A player who listens to the companion and plays (a simulated client, a trainee's partner). */
export interface ListeningPlayer {
  hear(event: PlayedEvent): void;
  /** Its events starting in [from, to); windows move forward. */
  play(from: Seconds, to: Seconds): PlayedEvent[];
}

/** What a duet of a listening player and the companion played. */
export interface Duet extends Accompaniment {
  readonly client: PlayedEvent[];
}

/**
 * A duet: the player and the companion each hear the other as the room would, the player's notes
 * reaching the companion at the tick after they sound and the companion's reaching the player
 * when they sound.
 */
export function duet(
  player: ListeningPlayer,
  settings: Partial<CompanionSettings>,
  seed: number,
  loop: LoopOptions & { readonly until: Seconds },
  options: CompanionOptions = {},
): Duet {
  if (!(Number.isFinite(loop.tick) && loop.tick > 0 && loop.tick <= loop.lookahead)) {
    throw new RangeError(`tick must be positive and no longer than the lookahead, got: ${loop.tick}`);
  }
  const companion = new Companion(settings, seed, options);
  const runner = new CompanionLoop(companion, loop.lookahead);
  const participant = loop.participant ?? 'client';
  const steering = [...(loop.steering ?? [])].sort((a, b) => a.at - b.at);
  const client: PlayedEvent[] = [];
  const notes: PlannedNote[] = [];
  const toHear: PlayedEvent[] = [];
  let heardByPlayer = 0;
  let c = 0;
  const ticks = Math.ceil(loop.until / loop.tick);
  for (let k = 0; k <= ticks; k++) {
    const now = k * loop.tick;
    for (const e of toHear) companion.hear(participant, e);
    toHear.length = 0;
    while (c < steering.length && (steering[c] as { at: Seconds }).at <= now) {
      const s = steering[c] as { control: SteeringControl; at: Seconds };
      companion.steer(s.control, s.at);
      c++;
    }
    // Each batch starts after the previous one's reach, so sorting the batch keeps all notes in order.
    notes.push(...runner.tick(now).sort((a, b) => a.start - b.start));
    while (heardByPlayer < notes.length && (notes[heardByPlayer] as PlannedNote).start < now) {
      const n = notes[heardByPlayer] as PlannedNote;
      if (n.voice !== 'percussion') {
        player.hear({ type: 'note', t: n.start, pitch: n.pitch, velocity: n.velocity, duration: n.duration });
      } else {
        player.hear({ type: 'hit', t: n.start, instrument: n.pitch, velocity: n.velocity });
      }
      heardByPlayer++;
    }
    const played = player.play(now, now + loop.tick);
    client.push(...played);
    toHear.push(...played);
  }
  return {
    notes,
    client,
    beats: companion.beats(),
    jumps: companion.jumps(),
    controls: companion.controls(),
  };
}
