/**
 * For tests that read back a WAV file the studio wrote (a session's export, a shared clip): its
 * header fields and its 16-bit samples, read by hand so the test does not trust the writer.
 */

/** A 16-bit PCM WAV file as a test reads it. */
export interface ReadWav {
  /** `RIFF` for a well-formed file. */
  readonly riff: string;
  /** `WAVE` for a well-formed file. */
  readonly wave: string;
  readonly channels: number;
  readonly sampleRate: number;
  readonly bits: number;
  /** The size the RIFF header states (the file's length less 8, if it is right). */
  readonly riffSize: number;
  readonly fileSize: number;
  /** Sample frames (one sample per channel each). */
  readonly frames: number;
  /** Every sample, channels interleaved, as -1..1. */
  readonly samples: Float32Array;
}

/** Reads a 16-bit PCM WAV file with the canonical 44-byte header. */
export function readWav(bytes: Uint8Array): ReadWav {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const text = (from: number) => new TextDecoder('latin1').decode(bytes.subarray(from, from + 4));
  const channels = view.getUint16(22, true);
  const dataBytes = view.getUint32(40, true);
  const samples = new Float32Array(dataBytes / 2);
  for (let i = 0; i < samples.length; i++) samples[i] = view.getInt16(44 + i * 2, true) / 32768;
  return {
    riff: text(0),
    wave: text(8),
    channels,
    sampleRate: view.getUint32(24, true),
    bits: view.getUint16(34, true),
    riffSize: view.getUint32(4, true),
    fileSize: bytes.length,
    frames: dataBytes / 2 / channels,
    samples,
  };
}

/** The root-mean-square level of `samples` (0 for silence or none). */
export function rms(samples: Float32Array): number {
  return Math.sqrt(samples.reduce((sum, x) => sum + x * x, 0) / Math.max(1, samples.length));
}
