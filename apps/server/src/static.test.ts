import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveStatic } from './static.ts';

const top = mkdtempSync(join(tmpdir(), 'attune-static-'));
const built = join(top, 'dist');
const unbuilt = join(top, 'empty');
let server: Server;
let base = '';

beforeAll(async () => {
  mkdirSync(join(built, 'assets'), { recursive: true });
  mkdirSync(unbuilt);
  writeFileSync(join(built, 'index.html'), '<h1>Play</h1>');
  writeFileSync(join(built, 'assets', 'app-1a2b.js'), 'console.log(1)');
  writeFileSync(join(top, 'secret.txt'), 'not for the web');
  server = createServer((req, res) => {
    const root = req.headers['x-root'] === 'empty' ? unbuilt : built;
    if (!serveStatic(root, '/play', req, res)) res.writeHead(418).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});

afterAll(() => {
  server.close();
  rmSync(top, { recursive: true, force: true });
});

describe('serveStatic', () => {
  it('serves the app page and its assets with their types', async () => {
    const page = await fetch(`${base}/play/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await page.text()).toBe('<h1>Play</h1>');
    const script = await fetch(`${base}/play/assets/app-1a2b.js`);
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(script.headers.get('cache-control')).toContain('immutable');
  });

  it('sends /play to /play/ so relative asset paths resolve', async () => {
    const res = await fetch(`${base}/play`, { redirect: 'manual' });
    expect(res.status).toBe(301);
    expect(res.headers.get('location')).toBe('/play/');
  });

  it('never serves a file outside the built app', async () => {
    for (const path of [
      '/play/../secret.txt',
      '/play/..%2Fsecret.txt',
      '/play/%2e%2e/secret.txt',
      '/play/assets/%00',
    ]) {
      const res = await fetch(`${base}${path}`);
      expect([400, 404, 418]).toContain(res.status);
      expect(await res.text()).not.toContain('not for the web');
    }
    expect((await fetch(`${base}/play/missing.js`)).status).toBe(404);
    expect((await fetch(`${base}/play/%E0%A4%A`)).status).toBe(400);
  });

  it('leaves other paths alone and explains a missing build', async () => {
    expect((await fetch(`${base}/elsewhere`)).status).toBe(418);
    const res = await fetch(`${base}/play/`, { headers: { 'x-root': 'empty' } });
    expect(res.status).toBe(503);
    expect(await res.text()).toContain('npm run build -w @attune/web');
  });
});
