/**
 * From frame-by-frame readings of a voice to note-like events: an onset (when, at what pitch,
 * how loud), its pitch contour while it sounds, and its end. A note starts at an energy onset
 * while the gate is open, when the gate opens without one (a hum swelling from nothing), or at a
 * quick step to a new steady pitch (a legato sung line has no gap between its notes). A glide
 * stays one note: only a step from one steady pitch to another within a short time is a new one.
 */
import type { Midi, Seconds, VoiceFrame } from '@attune/engine';

/** What the analyser read in one hop. */
export interface HopReading {
  /** End of the hop (seconds). */
  readonly t: Seconds;
  /** Loudness 0–1 of the voice, 0 while the gate is closed. */
  readonly loudness: number;
  /** Whether the gate counts what it hears as a voice. */
  readonly open: boolean;
  /** Where an energy onset began, if one completed in this hop. */
  readonly onset: Seconds | null;
  /** A new pitch estimate, if one was made in this hop. */
  readonly pitch: PitchReading | null;
}

/** One pitch estimate and the stretch of sound it describes. */
export interface PitchReading {
  /** Fractional MIDI pitch, or null when the window was not periodic enough. */
  readonly pitch: Midi | null;
  readonly confidence: number;
  /** Start of the window it read (seconds). */
  readonly from: Seconds;
  /** Centre of that window (seconds): the time the pitch belongs to. */
  readonly t: Seconds;
}

/** A note-like event of a voice. Times are on the clock the samples were stamped with. */
export type VoiceEvent =
  | { readonly kind: 'onset'; readonly t: Seconds; readonly pitch: Midi | null; readonly loudness: number }
  | { readonly kind: 'contour'; readonly t: Seconds; readonly pitch: Midi | null; readonly loudness: number }
  | { readonly kind: 'end'; readonly t: Seconds; readonly duration: Seconds };

/** How long an onset waits for its pitch before it is sent without one (a whisper, a clap). */
export const PITCH_WAIT: Seconds = 0.1;
/** Pitch estimates averaged for an onset's pitch. */
const ONSET_READINGS = 3;
/** An energy onset waits this long for the gate to open, else it was the room. */
const GATE_WAIT: Seconds = 0.04;
/** The gate open this long without an energy onset starts a note (a hum swelling from nothing). */
const SWELL: Seconds = 0.03;
/** The gate closed this long ends a note (shorter dips are a breath within it). */
const END_HOLD: Seconds = 0.06;
/** No new note within this of the last one's start. */
const SHORTEST: Seconds = 0.06;
/** Contour frames at most this often while a note sounds. */
const CONTOUR_STEP: Seconds = 0.03;
/** ... and at least this often, even when nothing changed. */
const CONTOUR_QUIET: Seconds = 0.2;
/** A contour frame goes out when the pitch moved this much (semitones) ... */
const CONTOUR_PITCH = 0.1;
/** ... or the loudness this much. */
const CONTOUR_LOUDNESS = 0.03;
/** A pitch is steady when its estimates over this long (seconds) ... */
const STEADY_SPAN: Seconds = 0.08;
/** ... lie within this many semitones of each other. */
const STEADY_WIDTH = 0.3;
/** A step to a new steady pitch this far (semitones) from the last steady pitch is a new note ... */
const STEP = 0.8;
/** ... when it took no longer than this; a slower move is a glide within one note. */
const STEP_TIME: Seconds = 0.15;
/** Confidence a pitch estimate needs to be heard as the voice's pitch. */
export const VOICED = 0.8;

interface Note {
  readonly start: Seconds;
  announced: boolean;
  loudness: number;
  lastFrame: { t: Seconds; pitch: Midi | null; loudness: number } | null;
  closedSince: Seconds | null;
  /** Voiced pitch estimates of this note (time, pitch), recent ones only. */
  readonly pitches: { t: Seconds; pitch: Midi }[];
  /** The last steady pitch and when it was last steady. */
  steady: { pitch: Midi; t: Seconds } | null;
}

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};

/** Turns hop readings into voice events, one hop at a time. */
export class VoiceSegmenter {
  private note: Note | null = null;
  private pendingOnset: Seconds | null = null;
  private openSince: Seconds | null = null;
  private latestPitch: { t: Seconds; pitch: Midi } | null = null;

  /** Takes one hop's reading; returns the events it completes, in time order. */
  update(reading: HopReading): VoiceEvent[] {
    const out: VoiceEvent[] = [];
    const { t, open } = reading;
    if (reading.onset !== null && this.pendingOnset === null) this.pendingOnset = reading.onset;
    if (this.pendingOnset !== null) {
      if (open) {
        this.begin(this.pendingOnset, out);
        this.pendingOnset = null;
      } else if (t - this.pendingOnset > GATE_WAIT) {
        this.pendingOnset = null;
      }
    }
    this.openSince = open ? (this.openSince ?? t) : null;
    if (!this.note && this.openSince !== null && t - this.openSince >= SWELL) this.begin(this.openSince, out);

    const note = this.note;
    if (!note) return out;
    if (!open) {
      note.closedSince ??= t;
      if (t - note.closedSince >= END_HOLD) {
        this.finish(note.closedSince, out);
        return out;
      }
    } else {
      note.closedSince = null;
    }
    note.loudness = Math.max(note.loudness, reading.loudness);
    const p = reading.pitch;
    // Estimates whose window reaches back before the onset hear the note before it.
    if (p && p.pitch !== null && p.confidence >= VOICED && open && p.from >= note.start - 0.005) {
      note.pitches.push({ t: p.t, pitch: p.pitch });
      this.latestPitch = { t: p.t, pitch: p.pitch };
      while ((note.pitches[0] as { t: Seconds }).t < p.t - 1) note.pitches.shift();
      if (note.announced) this.step(note, out);
    }
    if (!this.note) return out;
    if (!note.announced) this.announce(note, t, out);
    else this.contour(note, reading, out);
    return out;
  }

  /** Ends a sounding note now (the microphone switched off). */
  flush(t: Seconds): VoiceEvent[] {
    const out: VoiceEvent[] = [];
    if (this.note) this.finish(this.note.closedSince ?? t, out);
    return out;
  }

  private begin(start: Seconds, out: VoiceEvent[]): void {
    if (this.note) {
      if (start - this.note.start < SHORTEST) return;
      this.finish(start, out);
    }
    this.note = {
      start,
      announced: false,
      loudness: 0,
      lastFrame: null,
      closedSince: null,
      pitches: [],
      steady: null,
    };
  }

  private finish(at: Seconds, out: VoiceEvent[]): void {
    const note = this.note;
    if (!note) return;
    this.note = null;
    // A note too short to be announced was a click or a breath: nothing was said of it.
    if (note.announced) out.push({ kind: 'end', t: at, duration: Math.max(0, at - note.start) });
  }

  private announce(note: Note, t: Seconds, out: VoiceEvent[]): void {
    const waited = t - note.start;
    if (note.pitches.length < ONSET_READINGS && waited < PITCH_WAIT) return;
    if (note.loudness <= 0) {
      if (waited >= PITCH_WAIT) this.note = null;
      return;
    }
    const pitch =
      note.pitches.length > 0 ? median(note.pitches.slice(0, ONSET_READINGS).map((r) => r.pitch)) : null;
    note.announced = true;
    note.lastFrame = { t: note.start, pitch, loudness: note.loudness };
    if (pitch !== null) note.steady = { pitch, t };
    out.push({ kind: 'onset', t: note.start, pitch, loudness: note.loudness });
  }

  private contour(note: Note, reading: HopReading, out: VoiceEvent[]): void {
    const last = note.lastFrame;
    if (!last || reading.t - last.t < CONTOUR_STEP) return;
    const latest = this.latestPitch;
    const pitch = latest && reading.t - latest.t <= 0.05 && reading.open ? latest.pitch : null;
    const moved =
      (pitch === null) !== (last.pitch === null) ||
      (pitch !== null && last.pitch !== null && Math.abs(pitch - last.pitch) >= CONTOUR_PITCH) ||
      Math.abs(reading.loudness - last.loudness) >= CONTOUR_LOUDNESS;
    if (!moved && reading.t - last.t < CONTOUR_QUIET) return;
    note.lastFrame = { t: reading.t, pitch, loudness: reading.loudness };
    out.push({ kind: 'contour', t: reading.t, pitch, loudness: reading.loudness });
  }

  /** A quick step from one steady pitch to another is a new note (a legato sung line). */
  private step(note: Note, out: VoiceEvent[]): void {
    const latest = note.pitches.at(-1);
    if (!latest) return;
    const recent = note.pitches.filter((r) => r.t >= latest.t - STEADY_SPAN);
    if (recent.length < 4 || (recent[0] as { t: Seconds }).t > latest.t - STEADY_SPAN * 0.75) return;
    let low = Number.POSITIVE_INFINITY;
    let high = Number.NEGATIVE_INFINITY;
    for (const r of recent) {
      low = Math.min(low, r.pitch);
      high = Math.max(high, r.pitch);
    }
    if (high - low > STEADY_WIDTH) return;
    const pitch = median(recent.map((r) => r.pitch));
    const before = note.steady;
    const first = (recent[0] as { t: Seconds }).t;
    note.steady = { pitch, t: latest.t };
    if (!before || Math.abs(pitch - before.pitch) < STEP || first - before.t > STEP_TIME) return;
    // The new note began between the last moment of the old pitch and the first of the new.
    const at = (before.t + first) / 2;
    if (at - note.start < SHORTEST) return;
    this.finish(at, out);
    const next: Note = {
      start: at,
      announced: true,
      loudness: note.loudness,
      lastFrame: { t: at, pitch, loudness: note.loudness },
      closedSince: null,
      pitches: recent,
      steady: { pitch, t: latest.t },
    };
    this.note = next;
    out.push({ kind: 'onset', t: at, pitch, loudness: note.loudness });
  }
}

/**
 * The protocol's voice frame for a voice event, with its time moved onto the session clock: an
 * onset is a frame marked as one, a contour frame is not, and an end is an unpitched, silent frame.
 * @example toVoiceFrame({ kind: 'end', t: 2, duration: 1 }, (t) => t - 1) // { type: 'voice', t: 1, pitch: null, loudness: 0, onset: false }
 */
export function toVoiceFrame(event: VoiceEvent, toSession: (t: Seconds) => Seconds): VoiceFrame {
  const t = Math.max(0, toSession(event.t));
  if (event.kind === 'end') return { type: 'voice', t, pitch: null, loudness: 0, onset: false };
  const pitch = event.pitch === null ? null : Math.max(0, Math.min(127, event.pitch));
  const loudness = Math.max(0, Math.min(1, event.loudness));
  return { type: 'voice', t, pitch, loudness, onset: event.kind === 'onset' };
}
