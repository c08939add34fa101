import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { NoteEvent } from '@attune/engine/events';
import { readPerformance } from '@attune/engine/midi';
import { afterAll, describe, expect, it } from 'vitest';
import type { Io } from '../io.ts';
import { CliError } from '../io.ts';
import { tempDir, writeMidiFile } from '../test-support.ts';
import { render } from './render.ts';

const tmp = tempDir();
afterAll(() => tmp.cleanup());

async function run(args: string[]): Promise<{ stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: Io = {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
  };
  await render.run(args, io);
  return { stdout, stderr };
}

function note(t: number, pitch: number, velocity = 90, duration = 0.3): NoteEvent {
  return { type: 'note', t, pitch, velocity, duration };
}

/** Frames of 16-bit stereo WAV data, left channel, as numbers in -1..1. */
function leftChannel(bytes: Buffer): Float32Array {
  const frames = (bytes.length - 44) / 4;
  const out = new Float32Array(frames);
  for (let i = 0; i < frames; i++) out[i] = bytes.readInt16LE(44 + i * 4) / 32768;
  return out;
}

describe('attune render', () => {
  it('renders a MIDI file to a 16-bit stereo WAV with each note on its time', async () => {
    const path = tmp.file('one.mid');
    writeMidiFile(path, [{ name: 'piano', notes: [note(0.7371, 60, 100, 0.4)] }]);
    const expected = readPerformance(readFileSync(path)).tracks[0]!.notes[0]!.t;
    const out = tmp.file('one.wav');
    const { stdout } = await run([path, '--out', out, '--sample-rate', '44100']);
    expect(stdout).toMatch(
      /^wrote .*one\.wav: 0:0\d\.\d of stereo 16-bit audio at 44100 Hz, 1 notes, peak -?\d+\.\d dBFS\n/,
    );
    const bytes = readFileSync(out);
    expect(bytes.subarray(0, 4).toString('latin1')).toBe('RIFF');
    expect(bytes.readUInt32LE(24)).toBe(44100);
    const left = leftChannel(bytes);
    let peak = 0;
    for (const x of left) peak = Math.max(peak, Math.abs(x));
    const onset = left.findIndex((x) => Math.abs(x) >= peak * 0.1);
    expect(Math.abs(onset - expected * 44100)).toBeLessThanOrEqual(44.1);
  });

  it('plays drums on channel 10 and other programs from the SoundFont', async () => {
    const path = tmp.file('band.mid');
    writeMidiFile(path, [
      { name: 'piano', notes: [note(0, 60), note(0.5, 64)] },
      { name: 'drums', notes: [note(0, 36, 110, 0.1), note(0.25, 42, 80, 0.1)], channel: 9 },
    ]);
    const out = tmp.file('band.wav');
    const { stdout } = await run([path, '--out', out, '--float']);
    expect(stdout).toMatch(/32-bit float audio at 48000 Hz, 4 notes/);
    const bytes = readFileSync(out);
    expect(bytes.readUInt16LE(20)).toBe(3);
    expect(bytes.readUInt16LE(34)).toBe(32);
  });

  it('lowers or raises the whole mix with --gain', async () => {
    const path = tmp.file('gain.mid');
    writeMidiFile(path, [{ name: 'piano', notes: [note(0.1, 60, 100, 0.4), note(0.2, 64, 100, 0.4)] }]);
    const peakOf = (file: string) => Math.max(...leftChannel(readFileSync(file)).map(Math.abs));
    await run([path, '--out', tmp.file('g0.wav'), '--quiet']);
    await run([path, '--out', tmp.file('g6.wav'), '--gain=-6.0206', '--quiet']);
    expect(peakOf(tmp.file('g6.wav')) / peakOf(tmp.file('g0.wav'))).toBeCloseTo(0.5, 3);
    await expect(run([path, '--out', tmp.file('x.wav'), '--gain', 'loud'])).rejects.toThrow(
      /--gain must be a number/,
    );
  });

  it('refuses a missing file, a damaged file, an unwritable output and bad options', async () => {
    const missing = tmp.file('nothing.mid');
    await expect(run([missing, '--out', tmp.file('x.wav')])).rejects.toThrow(
      /cannot read .*nothing\.mid: no such file/,
    );
    const damaged = tmp.file('damaged.mid');
    writeFileSync(damaged, Buffer.from('MThd\u0000\u0000\u0000\u0006\u0000\u0001'));
    await expect(run([damaged, '--out', tmp.file('x.wav')])).rejects.toThrow(CliError);
    const good = tmp.file('good.mid');
    writeMidiFile(good, [{ name: 'piano', notes: [note(0, 60)] }]);
    await expect(run([good, '--out', tmp.file('no-folder/x.wav')])).rejects.toThrow(
      /cannot write .*x\.wav: no such file/,
    );
    mkdirSync(tmp.file('a-folder'));
    await expect(run([good, '--out', tmp.file('a-folder')])).rejects.toThrow(
      /cannot write .*a-folder: it is a folder/,
    );
    await expect(run([good])).rejects.toThrow(/missing --out/);
    await expect(run([good, '--out', tmp.file('x.wav'), '--sample-rate', '12345'])).rejects.toThrow(
      /--sample-rate must be one of/,
    );
    await expect(run(['--out', tmp.file('x.wav')])).rejects.toThrow(/missing FILE\.mid/);
  });

  it('reports progress on stderr for a long file', async () => {
    const path = tmp.file('long.mid');
    const notes = Array.from({ length: 70 }, (_, i) => note(i, 48 + (i % 24), 70, 0.5));
    writeMidiFile(path, [{ name: 'piano', notes }]);
    const { stderr } = await run([path, '--out', tmp.file('long.wav'), '--sample-rate', '22050']);
    expect(stderr).toMatch(/render: \d+ samples decoded, mixing 1:\d\d\.\d/);
    expect(stderr).toMatch(/render: 100% \(1:\d\d\.\d of 1:\d\d\.\d\)/);
  });
});
