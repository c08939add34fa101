import { describe, expect, it } from 'vitest';
import type { NoteEvent } from '../events/index.ts';
import { createRng, type Rng } from '../random/index.ts';
import { performanceToMidi, readPerformance } from './performance.ts';
import { readMidi } from './read.ts';
import { metaEvent, tempoMeta } from './tempo.ts';
import { MidiFileError } from './types.ts';
import { writeMidi } from './write.ts';

/** A valid two-track file with notes, a tempo change, sysex and meta events. */
function seedFile(): Uint8Array {
  const notes: NoteEvent[] = Array.from({ length: 24 }, (_, i) => ({
    type: 'note',
    t: i * 0.125,
    pitch: 48 + ((i * 7) % 24),
    velocity: 40 + i,
    duration: 0.2,
    channel: i % 3 === 0 ? 9 : 0,
  }));
  const file = performanceToMidi([{ name: 'Player', notes }], { ppq: 96, bpm: 100 });
  const [tempoTrack, noteTrack] = file.tracks;
  const extra = [
    tempoMeta(96, 140),
    metaEvent(100, 0x58, Uint8Array.of(4, 2, 24, 8)),
    { type: 'sysex' as const, tick: 120, escape: false, data: Uint8Array.of(0x43, 0x10, 0x4c, 0xf7) },
  ];
  const events = [...(tempoTrack?.events ?? [])];
  events.splice(2, 0, ...extra);
  return writeMidi({ ...file, tracks: [{ events }, noteTrack ?? { events: [] }] });
}

/** One random damage to a file: a changed, inserted, deleted or repeated byte, a cut, or a huge length. */
function mutate(bytes: Uint8Array, rng: Rng): Uint8Array {
  const out = Array.from(bytes);
  const at = rng.int(0, Math.max(0, out.length - 1));
  switch (rng.int(0, 6)) {
    case 0:
      out[at] = rng.int(0, 255);
      break;
    case 1:
      out[at] = (out[at] ?? 0) ^ (1 << rng.int(0, 7));
      break;
    case 2:
      out.splice(at, 0, rng.int(0, 255));
      break;
    case 3:
      out.splice(at, rng.int(1, 8));
      break;
    case 4:
      return Uint8Array.from(out.slice(0, at));
    case 5:
      out.splice(at, 0, ...out.slice(at, at + rng.int(1, 32)));
      break;
    default:
      // Lengths and VLQs with every high bit set.
      for (let k = 0; k < rng.int(1, 5); k++) out[at + k] = rng.chance(0.5) ? 0xff : 0x80;
  }
  return Uint8Array.from(out);
}

describe('reading damaged files', () => {
  it('gives a performance or a one-line MidiFileError for thousands of mutations, never anything else', () => {
    const original = seedFile();
    expect(readPerformance(original).tracks[0]?.notes).toHaveLength(24);
    const rng = createRng(20_261_125);
    let read = 0;
    let refused = 0;
    for (let trial = 0; trial < 5000; trial++) {
      let bytes = original;
      for (let k = rng.int(1, 4); k > 0; k--) bytes = mutate(bytes, rng);
      try {
        const p = readPerformance(bytes, { maxSeconds: 3600 });
        const sound = p.tracks.every((t) =>
          t.notes.every((n) => n.t >= 0 && n.duration >= 0 && n.t <= p.duration),
        );
        if (!(Number.isFinite(p.duration) && sound)) throw new Error(`trial ${trial}: impossible notes`);
        read++;
      } catch (error) {
        if (!(error instanceof MidiFileError && /^[^\n]+$/.test(error.message))) {
          throw new Error(`trial ${trial}: ${String(error)}`);
        }
        refused++;
      }
    }
    // Both outcomes must really occur, or the mutations are not exercising the reader.
    expect(read).toBeGreaterThan(250);
    expect(refused).toBeGreaterThan(2500);
  });

  it('writes back every damaged file it could read, and reads the same file again', () => {
    const original = seedFile();
    const rng = createRng(7);
    let checked = 0;
    for (let trial = 0; trial < 3000; trial++) {
      const bytes = mutate(original, rng);
      let file: ReturnType<typeof readMidi>;
      try {
        file = readMidi(bytes);
      } catch {
        continue;
      }
      // A format-0 header with several tracks is read leniently but not written.
      if (file.format === 0 && file.tracks.length !== 1) continue;
      expect(readMidi(writeMidi(file))).toEqual(file);
      checked++;
    }
    expect(checked).toBeGreaterThan(200);
  });
});
