/**
 * A session's recording as sound: the session log (or a span of it) played through Attune's
 * instruments into a WAV file, as the review's replay plays it in the browser. The review's own
 * `Replay` says what starts when, so a WAV export holds what the review sounds: a participant's
 * notes on the grand piano, their hits on the drum kit, their singing (logged as pitch, not
 * audio) as sung notes on the soft "Voices" sound, and each companion voice on its own sound.
 */
import { closeSync, ftruncateSync, openSync, writeSync } from 'node:fs';
import { buildTimeline, type LogEntry, Replay, type ReplayEvent } from '@attune/engine';
import { PERCUSSION_BANK, type SoundSource, wavHeader } from '@attune/instruments';
import {
  type NodeSampleLibrary,
  type RenderNote,
  type RenderSummary,
  renderToWavFile,
} from '@attune/instruments/node';

/** Companion voices' sounds; the same table as the web app's `audio/voices.ts` (a test keeps them equal). */
export const COMPANION_SOURCES: Readonly<Record<string, SoundSource>> = {
  'piano-left': { kind: 'piano' },
  'piano-right': { kind: 'piano' },
  bass: { kind: 'font', bank: 0, program: 32 },
  mallets: { kind: 'font', bank: 0, program: 12 },
  pad: { kind: 'font', bank: 0, program: 89 },
  percussion: { kind: 'font', bank: PERCUSSION_BANK, program: 0 },
};

/** The drum kit, for hits. */
export const PERCUSSION: SoundSource = { kind: 'font', bank: PERCUSSION_BANK, program: 0 };
/** Choir voices (General MIDI 53), the catalogue's "Voices": the voice was recorded as pitch, not audio. */
export const VOICES: SoundSource = { kind: 'font', bank: 0, program: 52 };
const PIANO: SoundSource = { kind: 'piano' };

/** How long a hit is let ring (it has no length in the log), as in the review's replay. */
const HIT_LENGTH = 0.4;
/** The shortest and longest a note sounds, as in the review's replay. */
const SHORTEST = 0.05;
const LONGEST = 8;
/** Without an end given, the file runs this long past the last note so it can ring out. */
export const RING_OUT = 2;

/** The sound a replayed event is played with. */
export function sourceOf(event: ReplayEvent): SoundSource {
  if (event.lane.startsWith('companion:')) {
    return COMPANION_SOURCES[event.lane.slice('companion:'.length)] ?? PIANO;
  }
  if (event.kind === 'hit') return PERCUSSION;
  if (event.kind === 'sung') return VOICES;
  return PIANO;
}

/** A span of session time, in seconds. */
export interface Span {
  readonly from?: number;
  readonly to?: number;
}

/** Which lanes sound (participant ids; companion voices always do). */
export interface LaneFilter {
  readonly keep?: (participant: string) => boolean;
}

/** The span a render covers: `from` (default 0) to `to` (default the last sound plus {@link RING_OUT}). */
export function resolveSpan(entries: readonly LogEntry[], span: Span = {}): { from: number; to: number } {
  const from = span.from ?? 0;
  if (!Number.isFinite(from) || from < 0) throw new RangeError(`from must be 0 s or later, got: ${from}`);
  if (span.to !== undefined) {
    if (!Number.isFinite(span.to) || span.to <= from) {
      throw new RangeError(`to must be later than from (${from} s), got: ${span.to}`);
    }
    return { from, to: span.to };
  }
  const end = buildTimeline(entries).end;
  return { from, to: Math.max(from, end ?? 0) + RING_OUT };
}

/**
 * The notes of a session that start within [from, to), with times from the span's start and the
 * sound each lane plays with; a note still held at `to` is cut there.
 * @example sessionRenderNotes(log, { from: 1, to: 3 }) // a note logged at 2 s starts at 1 s
 */
export function sessionRenderNotes(
  entries: readonly LogEntry[],
  span: { readonly from: number; readonly to: number },
  filter: LaneFilter = {},
): RenderNote[] {
  const keep = filter.keep ?? (() => true);
  const replay = new Replay(buildTimeline(entries));
  const mute = new Set(replay.laneIds.filter((lane) => !lane.startsWith('companion:') && !keep(lane)));
  return replay.between(span.from, span.to, { mute }).map((e) => {
    const length = e.kind === 'hit' ? HIT_LENGTH : Math.max(SHORTEST, Math.min(e.duration, LONGEST));
    return {
      t: e.t - span.from,
      key: e.pitch,
      velocity: e.velocity,
      duration: Math.min(length, span.to - e.t),
      group: e.lane,
      source: sourceOf(e),
    };
  });
}

/** Options of {@link renderSessionWav}. */
export interface SessionRenderOptions extends Span, LaneFilter {
  readonly sampleRate: number;
  /** Called as the mix goes on, with the share done (0..1). */
  readonly onProgress?: (share: number) => void;
  readonly library?: NodeSampleLibrary;
}

/** What a session render wrote. */
export interface SessionRenderSummary {
  readonly from: number;
  readonly to: number;
  readonly frames: number;
  readonly seconds: number;
  readonly notes: number;
  readonly peak: number;
  readonly clipped: number;
}

/**
 * Renders a session log (or its span [from, to)) to a stereo 16-bit WAV file at `path` whose
 * length is exactly the span: what starts in the span sounds at its time less `from`, nothing
 * from outside it sounds, and a sound still ringing at the end is cut there.
 */
export async function renderSessionWav(
  entries: readonly LogEntry[],
  path: string,
  options: SessionRenderOptions,
): Promise<SessionRenderSummary> {
  const span = resolveSpan(entries, options);
  const notes = sessionRenderNotes(entries, span, options);
  const { sampleRate } = options;
  const frames = Math.round((span.to - span.from) * sampleRate);
  let summary: RenderSummary | null = null;
  if (notes.length > 0) {
    summary = await renderToWavFile(notes, path, {
      sampleRate,
      ...(options.library ? { library: options.library } : {}),
      onProgress: (done) => options.onProgress?.(Math.min(1, done / (frames / sampleRate))),
    });
  }
  fitLength(path, summary?.frames ?? null, frames, sampleRate);
  options.onProgress?.(1);
  return {
    ...span,
    frames,
    seconds: frames / sampleRate,
    notes: notes.length,
    peak: summary?.peak ?? 0,
    clipped: summary?.clipped ?? 0,
  };
}

/** Bytes of one stereo 16-bit frame. */
const FRAME_BYTES = 4;
/** Silence is written this many bytes at a time. */
const SILENCE_CHUNK = 1 << 20;

/**
 * Makes the WAV file at `path` (of `written` frames, or none yet) exactly `frames` long: a longer
 * one is cut, a shorter one (or none) is filled with silence.
 */
function fitLength(path: string, written: number | null, frames: number, sampleRate: number): void {
  const fd = openSync(path, written === null ? 'w' : 'r+');
  try {
    writeSync(fd, wavHeader(frames, 2, sampleRate, 'pcm16'), 0, 44, 0);
    const have = written ?? 0;
    if (have >= frames) {
      ftruncateSync(fd, 44 + frames * FRAME_BYTES);
      return;
    }
    const zeros = new Uint8Array(SILENCE_CHUNK);
    let at = 44 + have * FRAME_BYTES;
    const end = 44 + frames * FRAME_BYTES;
    while (at < end) {
      const n = Math.min(SILENCE_CHUNK, end - at);
      writeSync(fd, zeros, 0, n, at);
      at += n;
    }
  } finally {
    closeSync(fd);
  }
}
