/**
 * The room host's musical side: the companion, fed in time order with what the room heard and
 * planned on a tick with a lookahead (the engine's `CompanionLoop`, the same path offline render
 * and evaluation use), and the perception of each participant summarised for the therapist.
 */

import { type PlayedEvent, type Seconds, toOnset } from '@attune/engine';
import { ActivityTracker } from '@attune/engine/activity';
import {
  applyControl,
  Companion,
  CompanionLoop,
  type CompanionSettings,
  type ControlEvent,
  checkControl,
  LIVE_LOOP,
  type PlannedNote,
  type SteeringControl,
} from '@attune/engine/companion';
import { idiomNames } from '@attune/engine/idiom';
import { KeyTracker } from '@attune/engine/key';
import { PulseTracker } from '@attune/engine/pulse';
import type { ServerMessageOf } from '@attune/protocol';

const IDIOMS = new Set<string>(idiomNames());
const isIdiom = (name: string) => IDIOMS.has(name);

/** How a room's companion is set up. */
export interface CompanionSetup {
  readonly settings?: Partial<CompanionSettings>;
  readonly seed: number;
  /** Seconds between plan calls (default 25 ms). */
  readonly tick?: Seconds;
  /** How far ahead each plan reaches (default 100 ms): the time notes have to reach every device. */
  readonly lookahead?: Seconds;
}

/** The companion as the room host runs it. */
export class CompanionHost {
  readonly tick: Seconds;
  readonly lookahead: Seconds;
  private readonly companion: Companion;
  private readonly loop: CompanionLoop;
  private heard: Array<{ participant: string; event: PlayedEvent }> = [];
  private shown: CompanionSettings;

  constructor(setup: CompanionSetup) {
    this.tick = setup.tick ?? LIVE_LOOP.tick;
    this.lookahead = setup.lookahead ?? LIVE_LOOP.lookahead;
    if (!(this.tick > 0 && this.tick <= this.lookahead)) {
      throw new RangeError(`tick must be positive and no longer than the lookahead, got: ${this.tick}`);
    }
    this.companion = new Companion(setup.settings ?? {}, setup.seed);
    this.loop = new CompanionLoop(this.companion, this.lookahead);
    this.shown = this.companion.current();
  }

  /** Keeps an event to be heard at the next tick (events reach the room out of time order). */
  hear(participant: string, event: PlayedEvent): void {
    this.heard.push({ participant, event });
  }

  /** Why a control cannot be used, or null when it can. */
  refuse(control: SteeringControl): string | null {
    try {
      checkControl(control, isIdiom);
      return null;
    } catch (error) {
      return error instanceof Error ? error.message : String(error);
    }
  }

  /** Steers the companion from `at`; the settings shown change at once, the music at the next beat or bar. */
  steer(control: SteeringControl, at: Seconds): ControlEvent {
    const event = this.companion.steer(control, at);
    this.shown = applyControl(this.shown, control);
    return event;
  }

  /** The settings as the therapist last set them. */
  settings(): CompanionSettings {
    return this.shown;
  }

  /** Hears what has arrived up to `now`, in time order, and returns the notes newly planned ahead. */
  plan(now: Seconds): PlannedNote[] {
    const due = this.heard.filter((h) => h.event.t <= now).sort((a, b) => a.event.t - b.event.t);
    this.heard = this.heard.filter((h) => h.event.t > now);
    for (const h of due) this.companion.hear(h.participant, h.event);
    return this.loop.tick(now);
  }
}

/** What the room hears of one participant: pulse, key and activity, causal and incremental. */
export class Listener {
  private readonly pulse = new PulseTracker();
  private readonly key = new KeyTracker();
  private readonly activity = new ActivityTracker();
  private latest = Number.NEGATIVE_INFINITY;
  /** When this participant last played. */
  lastHeard: Seconds | null = null;

  /** Hears one event; an event older than one already heard (a resend) is not heard again. */
  hear(event: PlayedEvent): void {
    const onset = toOnset(event);
    if (onset === null || onset.t < this.latest) return;
    this.latest = onset.t;
    this.lastHeard = onset.t;
    this.pulse.hear(onset);
    this.key.hear(onset);
    this.activity.hear(onset);
  }

  /** The perception summary at `now`. */
  summary(participant: string, now: Seconds): ServerMessageOf<'perception'> {
    this.pulse.advance(now);
    const pulse = this.pulse.estimate(now);
    const key = this.key.estimate(now);
    const a = this.activity.snapshot(now);
    const clamp = (x: number, lo: number, hi: number) =>
      Number.isFinite(x) ? Math.min(hi, Math.max(lo, x)) : lo;
    return {
      type: 'perception',
      participant,
      t: now,
      pulse: pulse ? { bpm: clamp(pulse.bpm, 0, 1000), confidence: clamp(pulse.confidence, 0, 1) } : null,
      key: key ? { tonic: key.tonic, mode: key.mode, confidence: clamp(key.confidence, 0, 1) } : null,
      loudness: clamp(a.loudness, 0, 127),
      density: clamp(a.density, 0, 1000),
      register: a.register === null ? null : clamp(a.register, 0, 127),
      silent: a.silent,
    };
  }
}
