/**
 * Mixing one stretch of a render into its place in a WAV file: the work one thread does when a
 * long render is shared between threads. The header is written by the caller.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { OfflineMixer } from '../mixer/index.ts';
import type { VoiceCommand } from '../planner/index.ts';
import type { PcmBuffer } from '../sample/index.ts';
import { encodeFrames, type WavFormat } from '../wav/index.ts';

/** What one stretch needs: the whole plan, the samples, and which frames to write where. */
export interface MixRange {
  readonly voices: readonly VoiceCommand[];
  readonly samples: ReadonlyMap<string, PcmBuffer>;
  readonly sampleRate: number;
  readonly format: WavFormat;
  readonly path: string;
  /** Byte offset of frame 0 in the file (after the header). */
  readonly dataOffset: number;
  readonly from: number;
  readonly to: number;
  /** Linear gain on the mix; the live default when absent. */
  readonly masterGain?: number;
}

/** What a stretch measured. */
export interface RangeResult {
  readonly peak: number;
  readonly clipped: number;
}

/** Frames per mixed block: large enough to be fast, small enough to stream. */
export const BLOCK_FRAMES = 1 << 16;

/** Mixes frames [from, to) and writes them at their place in the file; reports after each block. */
export function mixRange(range: MixRange, onBlock?: (frames: number) => void): RangeResult {
  const { sampleRate, format, from, to } = range;
  const bytesPerFrame = format === 'pcm16' ? 4 : 8;
  const mixer = new OfflineMixer(range.voices, (id) => range.samples.get(id), sampleRate, {
    ...(range.masterGain === undefined ? {} : { masterGain: range.masterGain }),
  });
  mixer.seek(from);
  const fd = openSync(range.path, 'r+');
  let peak = 0;
  let clipped = 0;
  try {
    const left = new Float32Array(BLOCK_FRAMES);
    const right = new Float32Array(BLOCK_FRAMES);
    for (let at = from; at < to; ) {
      const n = Math.min(BLOCK_FRAMES, to - at);
      const l = n === BLOCK_FRAMES ? left : left.subarray(0, n);
      const r = n === BLOCK_FRAMES ? right : right.subarray(0, n);
      l.fill(0);
      r.fill(0);
      mixer.renderInto(l, r);
      for (let i = 0; i < n; i++) {
        const x = Math.max(Math.abs(l[i]!), Math.abs(r[i]!));
        if (x > peak) peak = x;
      }
      const block = encodeFrames([l, r], format);
      clipped += block.clipped;
      writeSync(fd, block.bytes, 0, block.bytes.length, range.dataOffset + at * bytesPerFrame);
      at += n;
      onBlock?.(n);
    }
  } finally {
    closeSync(fd);
  }
  return { peak, clipped };
}
