/**
 * What the console knows of its room, kept from the messages the studio sends the therapist:
 * who is seated (with their colours) and who waits, how the companion is set, what Attune hears
 * of each player, the index marks made here, and whether the companion is playing. Pure: the
 * screen feeds it messages and the local time of their arrival, and shows what it holds.
 */
import { applyControl } from '@attune/engine/companion';
import type {
  CompanionSettings,
  Seated,
  ServerMessage,
  SteeringControl,
  WaitingDevice,
} from '@attune/protocol';
import type { PerceptionSummary } from './words.ts';

/** An index mark the therapist made, and whether the studio has it in the log yet. */
export interface ConsoleMark {
  readonly clientSeq: number;
  /** Session time of the mark. */
  readonly t: number;
  readonly note: string;
  readonly tags: readonly string[];
  /** The log's seq once acknowledged, else null (kept and resent by the connection). */
  readonly seq: number | null;
}

/** How long after the companion's last planned note it still counts as playing (seconds). */
const COMPANION_QUIET = 2.5;
/** How long a perception summary stays current on screen (seconds of session time). */
export const PERCEPTION_FRESH = 5;

/** The console's picture of the room. */
export class ConsoleRoom {
  participants: Seated[] = [];
  waiting: WaitingDevice[] = [];
  settings: CompanionSettings | null = null;
  /** The latest perception summary of each participant heard. */
  readonly heard = new Map<string, PerceptionSummary>();
  marks: ConsoleMark[] = [];
  /** Session time the companion's last planned note ends. */
  companionUntil = Number.NEGATIVE_INFINITY;
  /** How many companion notes have arrived. */
  companionNotes = 0;
  /** How many events have been relayed from others. */
  relayed = 0;
  /** The room's settings as its last state said, before the steers still on their way. */
  private stated: CompanionSettings | null = null;
  /** Steers sent and not yet shown in a state, in order; `acked` once the log has them. */
  private pending: Array<{ clientSeq: number; control: SteeringControl; acked: boolean }> = [];

  /** Takes one message from the studio; true when what the console shows may have changed. */
  apply(message: ServerMessage): boolean {
    switch (message.type) {
      case 'state':
        this.participants = [...message.participants].sort((a, b) => (a.seat ?? 99) - (b.seat ?? 99));
        this.waiting = message.waiting;
        // The room applies a steer before it sends the state that follows its acknowledgement, so
        // a steer acknowledged by now is in this state; those still on their way are laid on top.
        this.pending = this.pending.filter((p) => !p.acked);
        this.stated = message.settings;
        this.settings = this.withPending();
        return true;
      case 'perception':
        this.heard.set(message.participant, message);
        return true;
      case 'companion':
        for (const note of message.notes) {
          this.companionUntil = Math.max(this.companionUntil, note.start + note.duration);
        }
        this.companionNotes += message.notes.length;
        return message.notes.length > 0;
      case 'relay':
        this.relayed++;
        return false;
      case 'ack': {
        const steer = this.pending.find((p) => p.clientSeq === message.clientSeq);
        if (steer) steer.acked = true;
        const i = this.marks.findIndex((m) => m.clientSeq === message.clientSeq);
        if (i < 0) return false;
        this.marks = this.marks.map((m, k) => (k === i ? { ...m, seq: message.seq } : m));
        return true;
      }
      default:
        return false;
    }
  }

  /**
   * Shows a steering control at once, before the room's state confirms it, so a second key press
   * (H, then +) builds on the first; until a state shows it, every state that arrives (one sent
   * before the room had it) gets it laid on top again.
   */
  steered(control: SteeringControl, clientSeq: number): void {
    this.pending.push({ clientSeq, control, acked: false });
    this.settings = this.withPending();
  }

  private withPending(): CompanionSettings | null {
    if (this.stated === null) return null;
    let next = this.stated;
    for (const { control } of this.pending) {
      const applied = applyControl(next, control);
      next = { ...applied, techniques: [...applied.techniques], voices: [...applied.voices] };
    }
    return next;
  }

  /** Keeps a mark the therapist just made (before its acknowledgement). */
  marked(mark: Omit<ConsoleMark, 'seq'>): void {
    this.marks = [...this.marks, { ...mark, seq: null }];
  }

  /** Whether the companion has notes sounding or planned around session time `now`. */
  companionPlaying(now: number): boolean {
    return now <= this.companionUntil + COMPANION_QUIET;
  }

  /** The clients seated (everyone but the therapist and the companion). */
  clients(): Seated[] {
    return this.participants.filter((p) => p.role === 'participant');
  }

  /** How the console names a participant: their name or initials, else 'Seat N', else their id. */
  nameOf(participant: string): string {
    if (participant === 'companion') return 'the companion';
    if (participant === 'therapist') return 'you';
    const seated = this.participants.find((p) => p.participant === participant);
    if (seated?.name) return seated.name;
    if (seated?.seat) return `Seat ${seated.seat}`;
    const waiting = this.waiting.find((p) => p.participant === participant);
    return waiting?.name ?? waiting?.device ?? participant;
  }

  /** A participant's colour, or null. */
  colourOf(participant: string): string | null {
    return this.participants.find((p) => p.participant === participant)?.colour ?? null;
  }

  /** The latest summary of a participant if it is recent at session time `now`. */
  heardOf(participant: string, now: number): PerceptionSummary | null {
    const p = this.heard.get(participant);
    return p && now - p.t <= PERCEPTION_FRESH ? p : null;
  }
}
