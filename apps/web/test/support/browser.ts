/**
 * Real Chromium for the browser tests: Debian's build driven by playwright-core, each run with a
 * fresh profile, nothing reaching out to Google's services, audio allowed without a gesture, and
 * every request the page makes recorded.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, type BrowserContext, chromium } from 'playwright-core';

/** Where the tests expect Chromium (`apt-get install -y chromium`). */
export const CHROMIUM = process.env.ATTUNE_CHROMIUM ?? '/usr/bin/chromium';

/** Whether Chromium is installed where the tests look for it. */
export function hasChromium(): boolean {
  return existsSync(CHROMIUM);
}

/** A browser with a fresh profile and the URLs of every request its pages made. */
export interface TestBrowser {
  readonly context: BrowserContext;
  readonly requests: string[];
  close(): Promise<void>;
}

/**
 * The switches every test's Chromium runs with: no sandbox or GPU in the container, nothing
 * reaching out to Google's services, audio allowed without a gesture; then `extra`.
 */
function switches(extra: readonly string[] = []): string[] {
  return [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--autoplay-policy=no-user-gesture-required',
    ...extra,
  ];
}

/**
 * The switches that make the microphone a file: every page that asks for it is allowed at once and
 * hears `wav`, looped.
 */
export function fakeMicrophone(wav: string): string[] {
  return [
    '--use-fake-device-for-media-stream',
    '--use-fake-ui-for-media-stream',
    `--use-file-for-fake-audio-capture=${wav}`,
  ];
}

/**
 * Launches Chromium with a fresh profile; `args` adds command-line switches (a fake microphone
 * playing a file, for instance).
 */
export async function launchBrowser(options: { args?: readonly string[] } = {}): Promise<TestBrowser> {
  const profile = await mkdtemp(join(tmpdir(), 'attune-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: switches(options.args),
  });
  const requests: string[] = [];
  context.on('request', (request) => requests.push(request.url()));
  return {
    context,
    requests,
    close: async () => {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

/**
 * Launches one Chromium for several devices at once, each a `newContext()` with storage of its own
 * (the players of a group on their own tablets), with the same switches as {@link launchBrowser}.
 */
export function launchSharedBrowser(options: { args?: readonly string[] } = {}): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: switches(options.args) });
}
