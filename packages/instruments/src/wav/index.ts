/**
 * WAV files: a RIFF header for 16-bit PCM or 32-bit float, and the interleaving of stereo
 * blocks into its data, written block by block so long renders stream to disk.
 */

/** The sample formats Attune writes. */
export type WavFormat = 'pcm16' | 'float32';

/**
 * The 44-byte header of a WAV file of `frames` frames.
 * @example wavHeader(48000, 2, 48000, 'pcm16').length // 44
 */
export function wavHeader(
  frames: number,
  channels: number,
  sampleRate: number,
  format: WavFormat,
): Uint8Array {
  if (!(Number.isInteger(frames) && frames >= 0))
    throw new RangeError(`frames must be a whole number >= 0, got: ${frames}`);
  const bytesPerSample = format === 'pcm16' ? 2 : 4;
  const dataBytes = frames * channels * bytesPerSample;
  if (dataBytes + 36 > 0xffffffff)
    throw new RangeError(`a WAV file holds at most 4 GiB of audio, got: ${dataBytes} bytes`);
  const header = new Uint8Array(44);
  const view = new DataView(header.buffer);
  const text = (at: number, s: string) => {
    for (let i = 0; i < s.length; i++) header[at + i] = s.charCodeAt(i);
  };
  text(0, 'RIFF');
  view.setUint32(4, 36 + dataBytes, true);
  text(8, 'WAVE');
  text(12, 'fmt ');
  view.setUint32(16, 16, true);
  view.setUint16(20, format === 'pcm16' ? 1 : 3, true);
  view.setUint16(22, channels, true);
  view.setUint32(24, sampleRate, true);
  view.setUint32(28, sampleRate * channels * bytesPerSample, true);
  view.setUint16(32, channels * bytesPerSample, true);
  view.setUint16(34, bytesPerSample * 8, true);
  text(36, 'data');
  view.setUint32(40, dataBytes, true);
  return header;
}

/**
 * Interleaves channel blocks into WAV sample bytes; 16-bit values are clipped to full scale
 * and the number of clipped samples is returned.
 */
export function encodeFrames(
  channels: readonly Float32Array[],
  format: WavFormat,
): { bytes: Uint8Array; clipped: number } {
  const frames = channels[0]?.length ?? 0;
  const n = channels.length;
  let clipped = 0;
  if (format === 'float32') {
    const out = new Float32Array(frames * n);
    for (let c = 0; c < n; c++) {
      const channel = channels[c]!;
      for (let i = 0; i < frames; i++) out[i * n + c] = channel[i]!;
    }
    return { bytes: new Uint8Array(out.buffer), clipped };
  }
  const out = new Int16Array(frames * n);
  for (let c = 0; c < n; c++) {
    const channel = channels[c]!;
    for (let i = 0; i < frames; i++) {
      let x = channel[i]!;
      if (x > 1) {
        x = 1;
        clipped++;
      } else if (x < -1) {
        x = -1;
        clipped++;
      }
      out[i * n + c] = Math.round(x * 32767);
    }
  }
  return { bytes: new Uint8Array(out.buffer), clipped };
}

/** A whole WAV file from channel data (for short renders and tests). */
export function encodeWav(
  channels: readonly Float32Array[],
  sampleRate: number,
  format: WavFormat = 'pcm16',
): Uint8Array {
  const frames = channels[0]?.length ?? 0;
  const header = wavHeader(frames, channels.length, sampleRate, format);
  const { bytes } = encodeFrames(channels, format);
  const out = new Uint8Array(header.length + bytes.length);
  out.set(header, 0);
  out.set(bytes, header.length);
  return out;
}
