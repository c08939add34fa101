/**
 * A test page: renders notes through the app's AudioEngine into an OfflineAudioContext, so the
 * browser tests can check where each note's sound lands, frame by frame.
 */
import { AudioEngine } from '../../src/audio/engine.ts';

/** A note to render: its attack time in seconds of the render. */
interface RenderNote {
  readonly t: number;
  readonly key: number;
  readonly velocity: number;
  readonly duration: number;
}

declare global {
  interface Window {
    renderNotes?: (notes: readonly RenderNote[], seconds: number) => Promise<number[]>;
  }
}

const SAMPLE_RATE = 44100;

window.renderNotes = async (notes, seconds) => {
  const context = new OfflineAudioContext(1, Math.ceil(seconds * SAMPLE_RATE), SAMPLE_RATE);
  const engine = new AudioEngine(context, async (path) => {
    const url = new URL(`/${path.split('/').map(encodeURIComponent).join('/')}`, location.origin);
    const response = await fetch(url);
    if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
    return response.arrayBuffer();
  });
  await engine.open();
  const piano = engine.instrument({ kind: 'piano' });
  for (const note of notes) engine.playAt({ ...note, group: 'test' }, piano);
  const rendered = await context.startRendering();
  return Array.from(rendered.getChannelData(0));
};
