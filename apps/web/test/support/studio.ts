/**
 * The real studio for the browser tests: the web app built into a folder of its own (so tests
 * running at once do not overwrite each other's build), and the server started as a user starts
 * it (`node --import tsx apps/server/src/main.ts`) on a free port with a fresh data folder. The
 * port is read from the line the server prints when it listens.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { WEB_DIR } from './serve.ts';

const run = promisify(execFile);
const require = createRequire(import.meta.url);
const ROOT = resolve(WEB_DIR, '..', '..');

/** Builds the web app into `outDir`. */
export async function buildAppInto(outDir: string): Promise<void> {
  const vite = join(dirname(require.resolve('vite/package.json')), 'bin', 'vite.js');
  await run(process.execPath, [vite, 'build', '--logLevel', 'warn', '--outDir', outDir, '--emptyOutDir'], {
    cwd: WEB_DIR,
    maxBuffer: 1 << 24,
  });
}

/** A running studio. */
export interface TestStudio {
  /** `http://127.0.0.1:PORT` */
  readonly origin: string;
  /** The folder holding the built app and the data, removed by {@link TestStudio.close}. */
  readonly base: string;
  /** Everything the server printed. */
  readonly output: () => string;
  /** Kills the server at once (SIGKILL, as a power cut would) and keeps its folder for a restart. */
  kill(): Promise<void>;
  /** Stops the server (SIGTERM) and removes its folder. */
  close(): Promise<void>;
}

/**
 * Builds the app and starts the studio on a free port with a fresh data folder; or, given the
 * folder of a studio that was killed, starts it again on what it left (its data and build).
 */
export async function startTestStudio(
  again?: string,
  options: {
    /** A file holding milliseconds to add to the studio's wall clock (see shifted-clock.mjs). */
    clockFile?: string;
  } = {},
): Promise<TestStudio> {
  const base = again ?? (await mkdtemp(join(tmpdir(), 'attune-studio-')));
  const webDir = join(base, 'web');
  const dataDir = join(base, 'data');
  if (again === undefined) await buildAppInto(webDir);
  const clock = options.clockFile
    ? ['--import', pathToFileURL(join(WEB_DIR, 'test', 'support', 'shifted-clock.mjs')).href]
    : [];
  const child: ChildProcess = spawn(
    process.execPath,
    [...clock, '--import', 'tsx', 'apps/server/src/main.ts'],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        PORT: '0',
        ATTUNE_DATA: dataDir,
        ATTUNE_WEB: webDir,
        ...(options.clockFile ? { ATTUNE_TEST_CLOCK_FILE: options.clockFile } : {}),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  const port = await new Promise<number>((done, fail) => {
    const timer = setTimeout(() => fail(new Error(`the studio did not start in 30 s:\n${output}`)), 30_000);
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Attune is running on http:\/\/[^:]+:(\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        done(Number(match[1]));
      }
    };
    child.stdout?.on('data', read);
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`the studio exited with ${code} before listening:\n${output}`));
    });
  });
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  return {
    origin: `http://127.0.0.1:${port}`,
    base,
    output: () => output,
    kill: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
    close: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((done) => setTimeout(done, 5000))]);
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      }
      await rm(base, { recursive: true, force: true });
    },
  };
}
