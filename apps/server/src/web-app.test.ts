/** The built web app as a browser meets it: files, the app's own routes, caching and the old address. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser, tempStudio } from './test-support.ts';

type Running = Awaited<ReturnType<typeof tempStudio>>;
let built: Running;
let unbuilt: Running;
let web: Browser;
let top = '';

beforeAll(async () => {
  unbuilt = await tempStudio();
  top = mkdtempSync(join(tmpdir(), 'attune-web-'));
  const dir = join(top, 'dist');
  mkdirSync(join(dir, 'assets'), { recursive: true });
  writeFileSync(join(dir, 'index.html'), '<h1>Attune app</h1>');
  writeFileSync(join(dir, 'assets', 'app-1a2b.js'), 'console.log(1)');
  writeFileSync(join(dir, 'favicon.svg'), '<svg/>');
  writeFileSync(join(top, 'secret.txt'), 'not for the web');
  built = await tempStudio({ webDir: dir });
  web = new Browser(built.url);
});

afterAll(async () => {
  await built.close();
  await unbuilt.close();
  rmSync(top, { recursive: true, force: true });
});

describe('the web app', () => {
  it("serves the app's page for its own routes, never cached", async () => {
    for (const path of ['/', '/console/abc123', '/join/K7QX2M', '/join', '/solo', '/about']) {
      const page = await web.request('GET', path);
      expect(page.status, path).toBe(200);
      expect(page.body).toBe('<h1>Attune app</h1>');
      expect(page.headers.get('content-type')).toContain('text/html');
      expect(page.headers.get('cache-control')).toBe('no-cache');
      expect(page.headers.get('x-frame-options')).toBe('DENY');
      expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    }
  });

  it('serves files with their types; hashed assets are cached for a year', async () => {
    const script = await web.request('GET', '/assets/app-1a2b.js');
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toContain('javascript');
    expect(script.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const icon = await web.request('GET', '/favicon.svg');
    expect(icon.headers.get('cache-control')).toBe('no-cache');
  });

  it('answers a missing file with 404, not the page, and never leaves the build folder', async () => {
    expect((await web.request('GET', '/assets/gone-9z.js')).status).toBe(404);
    expect((await web.request('GET', '/../secret.txt')).body).not.toContain('not for the web');
    for (const path of ['/%2e%2e/secret.txt', '/..%2fsecret.txt', '/assets/..%2f..%2fsecret.txt']) {
      const answer = await web.request('GET', path);
      expect([403, 404], path).toContain(answer.status);
      expect(answer.body).not.toContain('not for the web');
    }
  });

  it('keeps API misses as JSON and sends the old solo address to /solo', async () => {
    const miss = await web.request('GET', '/api/nothing/here');
    expect(miss.status).toBe(404);
    expect(miss.body.error.code).toBe('not-found');
    for (const path of ['/play', '/play/', '/play/index.html']) {
      const moved = await web.request('GET', path);
      expect(moved.status, path).toBe(301);
      expect(moved.headers.get('location')).toBe('/solo');
    }
  });

  it('says how to build the app when it is not built', async () => {
    const page = await new Browser(unbuilt.url).request('GET', '/');
    expect(page.status).toBe(503);
    expect(page.body).toContain('npm run build -w @attune/web');
  });
});
