/**
 * The solo page for the input tests: the app built into a folder of its own (tests building at
 * once must not overwrite each other's `dist`), served on 127.0.0.1, and opened at `/solo` in a
 * page whose app-route requests are answered with the app's index.html, as the studio does.
 */

import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import type { BrowserContext, Page } from 'playwright-core';
import { type AppServer, serveApp, WEB_DIR } from '../support/serve.ts';

const run = promisify(execFile);
const require = createRequire(import.meta.url);

/** A built app served from a temporary folder. */
export interface BuiltApp {
  readonly server: AppServer;
  close(): Promise<void>;
}

/** Builds the app into a temporary folder and serves it. */
export async function buildAndServe(): Promise<BuiltApp> {
  const outDir = await mkdtemp(join(tmpdir(), 'attune-inputs-web-'));
  const vite = join(dirname(require.resolve('vite/package.json')), 'bin', 'vite.js');
  await run(process.execPath, [vite, 'build', '--logLevel', 'warn', '--outDir', outDir, '--emptyOutDir'], {
    cwd: WEB_DIR,
    maxBuffer: 1 << 24,
  });
  const server = await serveApp(outDir);
  return {
    server,
    close: async () => {
      await server.close();
      await rm(outDir, { recursive: true, force: true });
    },
  };
}

/**
 * Opens solo play in a new page and waits until it is ready to play; throws what the page said
 * if not. `prepare` runs before the page loads (to install stand-ins with `addInitScript`).
 */
export async function openSolo(
  context: BrowserContext,
  origin: string,
  errors: string[],
  prepare: (page: Page) => Promise<void> = async () => {},
): Promise<Page> {
  const page = await context.newPage();
  await prepare(page);
  page.on('pageerror', (error) => errors.push(error.message));
  await page.route(`${origin}/solo`, async (route) => {
    const response = await route.fetch({ url: `${origin}/index.html` });
    await route.fulfill({ response });
  });
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(`${origin}/solo`);
  await page.waitForFunction(
    () => window.__attune !== undefined || document.querySelector('.status .problem'),
    undefined,
    { timeout: 120_000 },
  );
  const problem = await page
    .locator('.status .problem')
    .textContent({ timeout: 100 })
    .catch(() => null);
  if (problem) throw new Error(`the page could not start: ${problem}`);
  await page.waitForFunction(() => window.__attuneInputs !== undefined);
  return page;
}
