/**
 * Checks the browser player in real Chromium: the page `chromium-page.ts` plays notes into an
 * OfflineAudioContext through BrowserPlayer, and this script compares each onset with its
 * scheduled time (the bar: 1 ms) and each peak with the offline mixer's render of the same note.
 * Needs the `chromium` command (Debian package `chromium`).
 * Run: `node --import tsx packages/instruments/scripts/chromium-onsets.ts`
 */
import { spawn } from 'node:child_process';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { catalogueEntry } from '../src/catalogue/index.ts';
import { OfflineMixer } from '../src/mixer/index.ts';
import { NodeSampleLibrary } from '../src/node/index.ts';
import { planNotes, samplesNeeded } from '../src/planner/index.ts';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../../..');
const bundle = (
  await build({ entryPoints: [join(here, 'chromium-page.ts')], bundle: true, format: 'esm', write: false })
).outputFiles[0]!.text;
const page = '<!doctype html><html><body><script type="module" src="/page.js"></script></body></html>';

const results = await new Promise<Record<string, { errorMs: number; peak: number }>>((done, fail) => {
  let chrome: ReturnType<typeof spawn> | null = null;
  const server = createServer((req, res) => {
    const url = decodeURIComponent((req.url ?? '/').split('?')[0]!);
    if (req.method === 'POST' && url === '/result') {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        res.end('ok');
        chrome?.kill();
        server.close();
        if (body.startsWith('ERROR')) fail(new Error(body));
        else done(JSON.parse(body));
      });
      return;
    }
    if (url === '/') {
      res.end(page);
      return;
    }
    if (url === '/page.js') {
      res.setHeader('content-type', 'text/javascript');
      res.end(bundle);
      return;
    }
    // Only the packages' sound files are served.
    const file = join(root, url);
    if (!url.startsWith('/node_modules/') || !existsSync(file) || statSync(file).isDirectory()) {
      res.statusCode = 404;
      res.end();
      return;
    }
    res.setHeader('content-type', extname(file) === '.mp3' ? 'audio/mpeg' : 'application/octet-stream');
    createReadStream(file).pipe(res);
  });
  server.listen(0, '127.0.0.1', () => {
    const { port } = server.address() as { port: number };
    chrome = spawn('chromium', ['--headless', '--no-sandbox', '--disable-gpu', `http://127.0.0.1:${port}/`], {
      stdio: 'ignore',
    });
    chrome.on('error', (error) => {
      server.close();
      fail(new Error(`cannot start chromium (apt-get install chromium): ${error.message}`));
    });
    setTimeout(() => {
      chrome?.kill();
      server.close();
      fail(new Error('no result from the page within 150 s'));
    }, 150_000).unref();
  });
});

// The same notes through the offline mixer, for the peaks.
const library = NodeSampleLibrary.open(48000);
const sources = {
  piano: [{ kind: 'piano' } as const, 60],
  'piano-shifted': [{ kind: 'piano' } as const, 61],
  marimba: [catalogueEntry('marimba').source, 67],
  snare: [catalogueEntry('drums').source, 38],
  kick: [catalogueEntry('drums').source, 36],
} as const;
let worst = 0;
for (const [name, r] of Object.entries(results)) {
  const [instrumentName, v, t] = name.split(' ');
  const [source, key] = sources[instrumentName as keyof typeof sources];
  const notes = [
    {
      t: Number(t!.slice(1)),
      key,
      velocity: Number(v!.slice(1)),
      duration: 0.3,
      instrument: library.instrument(source),
    },
  ];
  await library.load(samplesNeeded(notes));
  const mixer = new OfflineMixer(
    planNotes(notes, (id) => library.info(id)),
    (id) => library.sample(id),
    48000,
  );
  const [left, right] = mixer.render(96000);
  let peak = 0;
  for (let i = 0; i < left.length; i++) peak = Math.max(peak, Math.abs(left[i]!), Math.abs(right[i]!));
  worst = Math.max(worst, Math.abs(r.errorMs));
  console.log(
    `${name.padEnd(32)} onset ${r.errorMs.toFixed(3).padStart(7)} ms   peak ${r.peak.toFixed(4)} (offline ${peak.toFixed(4)})`,
  );
}
console.log(`worst onset error in Chromium: ${worst.toFixed(3)} ms (bar: 1 ms)`);
process.exitCode = worst <= 1 ? 0 : 1;
