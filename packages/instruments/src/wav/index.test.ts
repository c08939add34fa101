import { describe, expect, it } from 'vitest';
import { encodeFrames, encodeWav, wavHeader } from './index.ts';

describe('WAV', () => {
  it('writes a canonical 44-byte header', () => {
    const h = wavHeader(1000, 2, 48000, 'pcm16');
    const v = new DataView(h.buffer);
    const text = (at: number) => String.fromCharCode(...h.subarray(at, at + 4));
    expect([text(0), text(8), text(12), text(36)]).toEqual(['RIFF', 'WAVE', 'fmt ', 'data']);
    expect(v.getUint32(4, true)).toBe(36 + 4000);
    expect(v.getUint16(20, true)).toBe(1);
    expect(v.getUint16(22, true)).toBe(2);
    expect(v.getUint32(24, true)).toBe(48000);
    expect(v.getUint32(28, true)).toBe(192000);
    expect(v.getUint16(32, true)).toBe(4);
    expect(v.getUint16(34, true)).toBe(16);
    expect(v.getUint32(40, true)).toBe(4000);
    const f = new DataView(wavHeader(10, 2, 44100, 'float32').buffer);
    expect([f.getUint16(20, true), f.getUint16(34, true), f.getUint32(40, true)]).toEqual([3, 32, 80]);
    expect(() => wavHeader(2 ** 30, 2, 48000, 'pcm16')).toThrow(/at most 4 GiB/);
    expect(() => wavHeader(-1, 2, 48000, 'pcm16')).toThrow(/got: -1/);
  });

  it('interleaves channels and counts clipped samples', () => {
    const { bytes, clipped } = encodeFrames(
      [Float32Array.of(0, 0.5, 2), Float32Array.of(-1, -3, 0.25)],
      'pcm16',
    );
    expect([...new Int16Array(bytes.buffer)]).toEqual([0, -32767, 16384, -32767, 32767, 8192]);
    expect(clipped).toBe(2);
    const float = encodeFrames([Float32Array.of(2)], 'float32');
    expect([...new Float32Array(float.bytes.buffer)]).toEqual([2]);
    expect(encodeWav([Float32Array.of(0.5)], 8000).length).toBe(46);
  });
});
