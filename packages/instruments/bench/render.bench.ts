/**
 * How fast `attune render` renders: a generated one-hour group session (two-handed piano with
 * pedal, drum kit, strings pad, bass and marimba; about 14 notes a second) written as a MIDI
 * file, read back and rendered to a 48 kHz 16-bit WAV. The bar: at least 50× real time, an
 * hour in under 72 s. Run: `node --import tsx packages/instruments/bench/render.bench.ts [minutes]`.
 */
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRng } from '@attune/engine';
import {
  endOfTrack,
  type MidiEvent,
  type MidiFile,
  readMidi,
  tempoMeta,
  writeMidi,
} from '@attune/engine/midi';
import { NodeSampleLibrary, renderToWavFile } from '../src/node/index.ts';
import { scoreOf } from '../src/score/index.ts';

const TICKS_PER_SECOND = 960;

/** A deterministic session of `minutes` minutes as a MIDI file. */
export function sessionFile(minutes: number, seed = 1): MidiFile {
  const rng = createRng(seed);
  const seconds = minutes * 60;
  const tick = (t: number) => Math.round(t * TICKS_PER_SECOND);
  const tracks: MidiEvent[][] = [];
  const note = (
    events: MidiEvent[],
    channel: number,
    t: number,
    key: number,
    velocity: number,
    duration: number,
  ) => {
    events.push({ type: 'noteOn', tick: tick(t), channel, note: key, velocity });
    events.push({ type: 'noteOff', tick: tick(t + duration), channel, note: key, velocity: 0 });
  };
  const scale = [0, 2, 4, 5, 7, 9, 11];
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rng.next() * xs.length)]!;
  // Piano: melody in eighths, chords every half bar, pedal changed each bar.
  const piano: MidiEvent[] = [{ type: 'programChange', tick: 0, channel: 0, program: 0 }];
  for (let t = 0; t < seconds; t += 0.25) {
    note(
      piano,
      0,
      t,
      60 + pick(scale) + 12 * Math.floor(rng.next() * 2),
      50 + Math.floor(rng.next() * 70),
      0.2,
    );
    if (t % 1 === 0) for (const k of [48, 52, 55]) note(piano, 0, t, k + pick([0, 2, 5]), 60, 0.9);
    if (t % 2 === 0) {
      piano.push({ type: 'controlChange', tick: tick(t), channel: 0, controller: 64, value: 0 });
      piano.push({ type: 'controlChange', tick: tick(t + 0.05), channel: 0, controller: 64, value: 127 });
    }
  }
  tracks.push(piano);
  const drums: MidiEvent[] = [];
  for (let t = 0; t < seconds; t += 0.25) {
    note(drums, 9, t, t % 1 === 0 ? 36 : t % 0.5 === 0 ? 38 : 42, 70 + Math.floor(rng.next() * 50), 0.1);
  }
  tracks.push(drums);
  const strings: MidiEvent[] = [{ type: 'programChange', tick: 0, channel: 1, program: 48 }];
  for (let t = 0; t < seconds; t += 4)
    for (const k of [60, 64, 67]) note(strings, 1, t, k + pick([0, 2, 5]), 70, 3.9);
  tracks.push(strings);
  const bass: MidiEvent[] = [{ type: 'programChange', tick: 0, channel: 2, program: 32 }];
  for (let t = 0; t < seconds; t += 0.5) note(bass, 2, t, 36 + pick(scale), 90, 0.45);
  tracks.push(bass);
  const mallets: MidiEvent[] = [{ type: 'programChange', tick: 0, channel: 3, program: 12 }];
  for (let t = 0.125; t < seconds; t += 0.5) note(mallets, 3, t, 72 + pick(scale), 80, 0.2);
  tracks.push(mallets);
  const sorted = tracks.map((events) => {
    events.sort((a, b) => a.tick - b.tick);
    return { events: [...events, endOfTrack(tick(seconds + 5))] };
  });
  return {
    format: 1,
    division: { type: 'ppq', ppq: 480 },
    tracks: [{ events: [tempoMeta(0, 120), endOfTrack(0)] }, ...sorted],
  };
}

/** Renders a generated session and prints the speed against real time. */
export async function run(minutes = 60): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'attune-render-bench-'));
  try {
    const midi = join(dir, 'session.mid');
    writeFileSync(midi, writeMidi(sessionFile(minutes)));
    const cpu0 = process.cpuUsage();
    let cpuLoaded = cpu0;
    const started = performance.now();
    const { notes, duration } = scoreOf(
      readMidi(new Uint8Array(await import('node:fs').then((fs) => fs.readFileSync(midi)))),
    );
    const read = performance.now();
    const library = NodeSampleLibrary.open(48000);
    let loaded = 0;
    const summary = await renderToWavFile(notes, join(dir, 'session.wav'), {
      sampleRate: 48000,
      library,
      onLoaded: () => {
        loaded = performance.now();
        cpuLoaded = process.cpuUsage();
      },
    });
    const done = performance.now();
    const cpu1 = process.cpuUsage();
    const cpuSeconds = (a: NodeJS.CpuUsage, b: NodeJS.CpuUsage) =>
      (b.user + b.system - a.user - a.system) / 1e6;
    const voiceSeconds = summary.voiceSeconds;
    const total = (done - started) / 1000;
    console.log(
      `${minutes} min session, ${notes.length} notes (${(notes.length / duration).toFixed(1)}/s), ${summary.voices} voices, ${summary.samplesDecoded} samples decoded`,
    );
    console.log(
      `read ${((read - started) / 1000).toFixed(2)} s, decode ${((loaded - read) / 1000).toFixed(2)} s, mix+write ${((done - loaded) / 1000).toFixed(2)} s`,
    );
    console.log(
      `CPU time: decode ${cpuSeconds(cpu0, cpuLoaded).toFixed(2)} s, mix+write ${cpuSeconds(cpuLoaded, cpu1).toFixed(2)} s, total ${cpuSeconds(cpu0, cpu1).toFixed(1)} s: ${(summary.seconds / cpuSeconds(cpu0, cpu1)).toFixed(0)}× real time per core; ${(voiceSeconds / summary.seconds).toFixed(1)} voices sounding on average`,
    );
    console.log(
      `wall clock ${total.toFixed(1)} s for ${summary.seconds.toFixed(0)} s of audio: ${(summary.seconds / total).toFixed(0)}× real time ; WAV ${(statSync(join(dir, 'session.wav')).size / 2 ** 20).toFixed(0)} MiB, peak ${summary.peak.toFixed(2)}, ${summary.clipped} clipped`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run(Number(process.argv[2] ?? 60));
