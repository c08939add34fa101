/**
 * `attune render FILE.mid --out OUT.wav`: renders a MIDI file with Attune's own instruments
 * (the sampled grand piano, the General MIDI SoundFont for every other program, the drum kit
 * on channel 10), exactly as a session sounds, to a stereo WAV file.
 */
import { readFile, stat, unlink } from 'node:fs/promises';
import { DEFAULT_MIDI_LIMITS, type MidiFile, MidiFileError, readMidi } from '@attune/engine/midi';
import { MASTER_GAIN } from '@attune/instruments';
import type { renderToWavFile } from '@attune/instruments/node';
import { scoreOf } from '@attune/instruments/score';
import { intOption, numberOption, onePositional, parse } from '../args.ts';
import { CliError, type Command, type Io } from '../io.ts';

const OPTIONS = {
  out: { type: 'string' },
  'sample-rate': { type: 'string' },
  float: { type: 'boolean' },
  gain: { type: 'string' },
  quiet: { type: 'boolean' },
} as const;

/** Sample rates a render may use. */
const RATES = [22050, 32000, 44100, 48000, 88200, 96000];

/** Errors opening the output, which therefore was not created. */
const UNOPENED = ['ENOENT', 'EACCES', 'EPERM', 'EISDIR', 'ENOTDIR'];

/** Renders longer than this report their progress on stderr. */
const PROGRESS_AFTER_SECONDS = 60;

/** The `attune render` command. */
export const render: Command = {
  name: 'render',
  summary: "render a MIDI file to WAV with Attune's instruments",
  help: `Usage: attune render FILE.mid --out OUT.wav [options]

Renders every note of FILE.mid with Attune's instruments, as a session sounds: the
General MIDI program on each channel chooses the sound (the sampled grand piano for
the acoustic pianos, the FluidR3 Mono SoundFont for the rest, the drum kit on channel
10), the sustain pedal holds notes, and every note starts on its exact sample frame.

Options:
  --out OUT.wav          where to write the stereo WAV file (required)
  --sample-rate HZ       ${RATES.join(', ')} (default 48000)
  --gain=DB              raise or lower the whole mix, -40 to 20 dB (default 0: as live)
  --float                write 32-bit float samples instead of 16-bit
  --quiet                print nothing but errors
`,
  async run(args: readonly string[], io: Io): Promise<void> {
    const parsed = parse(args, OPTIONS);
    const path = onePositional(parsed, 'FILE.mid');
    const out = parsed.values.out;
    if (typeof out !== 'string' || out === '') throw new CliError('missing --out OUT.wav', 2);
    const sampleRate = intOption(parsed, 'sample-rate', 8000, 384000) ?? 48000;
    if (!RATES.includes(sampleRate)) {
      throw new CliError(`--sample-rate must be one of ${RATES.join(', ')}, got: ${sampleRate}`, 2);
    }
    const format = parsed.values.float ? 'float32' : 'pcm16';
    const quiet = parsed.values.quiet === true;
    const gainDb = numberOption(parsed, 'gain', -40, 20) ?? 0;

    const file = await readMidiFile(path);
    const { notes, duration } = scoreOf(file);
    if (notes.length === 0) throw new CliError(`${path} has no notes`);
    const bytesPerFrame = format === 'pcm16' ? 4 : 8;
    // Release tails add a few seconds; a WAV file's sizes are 32-bit.
    const maxSeconds = Math.floor((0xffffffff - 1024) / bytesPerFrame / sampleRate) - 30;
    if (duration > maxSeconds) {
      throw new CliError(
        `${path} lasts ${clock(duration)}, longer than a WAV file holds at ${sampleRate} Hz (${clock(maxSeconds)})`,
      );
    }
    const started = performance.now();
    // Loaded here, not at start: the audio engine's native module would slow every other command.
    const { NodeSampleLibrary, renderToWavFile } = await import('@attune/instruments/node');
    const library = NodeSampleLibrary.open(sampleRate);
    let nextReport = 0.1;
    const showProgress = !quiet && duration > PROGRESS_AFTER_SECONDS;
    let summary: Awaited<ReturnType<typeof renderToWavFile>>;
    try {
      summary = await renderToWavFile(notes, out, {
        sampleRate,
        format,
        library,
        masterGain: MASTER_GAIN * 10 ** (gainDb / 20),
        onLoaded: (count) => {
          if (showProgress) io.stderr.write(`render: ${count} samples decoded, mixing ${clock(duration)}\n`);
        },
        onProgress: (done, total) => {
          if (!showProgress || done / total < nextReport) return;
          io.stderr.write(
            `render: ${Math.floor((done / total) * 100)}% (${clock(done)} of ${clock(total)})\n`,
          );
          nextReport = Math.floor((done / total) * 10 + 1) / 10;
        },
      });
    } catch (error) {
      const code = (error as { code?: string }).code;
      // Past a successful open, a failed render leaves no half-written file behind.
      if (code === undefined || !UNOPENED.includes(code)) await unlink(out).catch(() => undefined);
      if (code !== undefined) throw new CliError(`cannot write ${out}: ${reason(error)}`);
      throw error;
    }
    const seconds = (performance.now() - started) / 1000;
    if (quiet) return;
    const peakDb = summary.peak > 0 ? (20 * Math.log10(summary.peak)).toFixed(1) : '-inf';
    io.stdout.write(
      `wrote ${out}: ${clock(summary.seconds)} of stereo ${format === 'pcm16' ? '16-bit' : '32-bit float'} audio at ${sampleRate} Hz, ` +
        `${notes.length} notes, peak ${peakDb} dBFS${summary.clipped > 0 ? `, ${summary.clipped} samples clipped (lower the mix with --gain=-${Math.max(1, Math.ceil(peakDbValue(summary.peak)))})` : ''}\n` +
        `rendered in ${seconds.toFixed(1)} s (${(summary.seconds / Math.max(seconds, 1e-3)).toFixed(0)}× real time)\n`,
    );
  },
};

async function readMidiFile(path: string): Promise<MidiFile> {
  let bytes: Uint8Array;
  try {
    const info = await stat(path);
    if (info.isDirectory()) throw new CliError(`${path} is a folder, not a MIDI file`);
    if (info.size > DEFAULT_MIDI_LIMITS.maxBytes) {
      throw new CliError(
        `${path} is ${info.size} bytes, more than the limit of ${DEFAULT_MIDI_LIMITS.maxBytes}`,
      );
    }
    bytes = await readFile(path);
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw new CliError(`cannot read ${path}: ${reason(error)}`);
  }
  try {
    return readMidi(bytes);
  } catch (error) {
    if (error instanceof MidiFileError) throw new CliError(`${path}: ${error.message}`);
    throw error;
  }
}

/** Decibels of a linear peak. */
function peakDbValue(peak: number): number {
  return 20 * Math.log10(Math.max(peak, 1e-9));
}

/** m:ss.s or h:mm:ss for a length in seconds. */
function clock(seconds: number): string {
  const s = Math.max(0, seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = s % 60;
  if (h > 0) return `${h}:${String(m).padStart(2, '0')}:${String(Math.floor(rest)).padStart(2, '0')}`;
  return `${m}:${rest.toFixed(1).padStart(4, '0')}`;
}

/** A short reason for a failed read or write, without the stack or the system call. */
function reason(error: unknown): string {
  switch ((error as { code?: string }).code) {
    case 'ENOENT':
      return 'no such file or folder';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'it is a folder';
    case 'ENOSPC':
      return 'no space left on the disk';
    default:
      return error instanceof Error ? (error.message.split('\n')[0] ?? 'unknown error') : String(error);
  }
}
