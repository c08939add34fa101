/**
 * Builds the web app once and serves `dist` on a free localhost port, recording every request the
 * server receives, as the browser tests' stand-in for Attune's own server.
 */
import { execFile } from 'node:child_process';
import { readFile, stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { dirname, extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const require = createRequire(import.meta.url);

/** The web app's folder. */
export const WEB_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Runs `vite build` for the web app into `apps/web/dist`. */
export async function buildApp(): Promise<void> {
  // The package exports no bin path; it sits beside its package.json.
  const vite = join(dirname(require.resolve('vite/package.json')), 'bin', 'vite.js');
  await run(process.execPath, [vite, 'build', '--logLevel', 'warn'], { cwd: WEB_DIR, maxBuffer: 1 << 24 });
}

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.mp3': 'audio/mpeg',
  '.sf3': 'application/octet-stream',
  '.svg': 'image/svg+xml',
};

/** A static server over the built app. */
export interface AppServer {
  readonly origin: string;
  /** Paths the server was asked for. */
  readonly requests: string[];
  close(): Promise<void>;
}

/**
 * Builds a test page of `test/pages` (with the app's sound files) into `outDir`; it is served at
 * `/test/pages/<name>.html`.
 */
export async function buildTestPage(name: string, outDir: string): Promise<void> {
  const { build } = await import('vite');
  const { attuneSounds } = await import('../../build/sounds.ts');
  await build({
    configFile: false,
    root: WEB_DIR,
    base: '/',
    logLevel: 'warn',
    plugins: [attuneSounds()],
    build: {
      outDir,
      emptyOutDir: true,
      rollupOptions: { input: join(WEB_DIR, 'test', 'pages', `${name}.html`) },
    },
  });
}

/**
 * Serves a folder (by default the built app, `apps/web/dist`) on 127.0.0.1 at a free port; an
 * address with no file extension that is no file gets `index.html`, as the studio serves the app.
 */
export async function serveApp(root = join(WEB_DIR, 'dist')): Promise<AppServer> {
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent((req.url ?? '/').split('?')[0] ?? '/');
    requests.push(path);
    const file = normalize(join(root, path === '/' ? 'index.html' : path));
    if (!file.startsWith(root)) {
      res.writeHead(403).end();
      return;
    }
    // As the studio does, an address that is no file (`/solo`, `/join/K7QP2M`) gets the app's page.
    const page = join(root, 'index.html');
    stat(file)
      .then((info) => {
        if (!info.isFile()) throw new Error('not a file');
        return file;
      })
      .catch((error: unknown) => {
        if (extname(path) === '') return page;
        throw error;
      })
      .then(async (found) => {
        res.writeHead(200, { 'Content-Type': TYPES[extname(found)] ?? 'application/octet-stream' });
        res.end(await readFile(found));
      })
      .catch(() => res.writeHead(404).end());
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}
