/**
 * The command as a user runs it: `bin/attune.js` runs the prebuilt bundle while it is current,
 * and the TypeScript sources otherwise (a fresh clone before install, or a source edited since).
 */
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { finishAnalysis, prepareAnalysis } from '@attune/engine/analysis';
import type { NoteEvent } from '@attune/engine/events';
import { createRng } from '@attune/engine/random';
import { simulatePlayer } from '@attune/engine/simulate';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain JavaScript build script, without types.
import { bundle } from '../scripts/bundle.mjs';
import { players } from './commands/analyze.ts';
import { loadPerformance } from './input.ts';
import { runCli, tempDir, writeMidiFile } from './test-support.ts';

const run = promisify(execFile);
const cli = fileURLToPath(new URL('..', import.meta.url));
const root = join(cli, '..', '..');
const tmp = tempDir();
afterAll(() => tmp.cleanup());

function trioFile(): string {
  const notes = (events: ReadonlyArray<{ type: string }>) =>
    events.filter((e): e is NoteEvent => e.type === 'note');
  const path = tmp.file('trio.mid');
  writeMidiFile(path, [
    {
      name: 'Piano',
      notes: notes(simulatePlayer({ bpm: 84, bars: 12, style: 'piano' }, createRng(5)).events),
    },
    { name: 'Flute', notes: notes(simulatePlayer({ bpm: 84, bars: 12 }, createRng(6)).events) },
    {
      name: 'Drums',
      notes: notes(
        simulatePlayer({ bpm: 84, bars: 12, style: 'drums', drumOutput: 'notes' }, createRng(7)).events,
      ),
      channel: 9,
    },
  ]);
  return path;
}

describe('the prebuilt command', () => {
  const file = trioFile();

  it('prints what the sources print, its listening threads loaded from the bundled worker', async () => {
    const out = tmp.file('dist');
    expect(await bundle({ out, quiet: true })).toBe(true);
    const built = (await import(pathToFileURL(join(out, 'attune.js')).href)) as typeof import('./bundle.ts');
    // Every track on the bundled workers, none on this thread: a worker that failed to load would show.
    const performance = await loadPerformance(file);
    const prepared = prepareAnalysis(players(performance, 'track'));
    const listeners = built.startListeners(2);
    try {
      const analysis = finishAnalysis(prepared, await listeners.listen(prepared, { here: false }));
      expect(listeners.failures).toEqual([]);
      expect(`${JSON.stringify(analysis)}\n`).toBe((await runCli(['analyze', file, '--json'])).stdout);
    } finally {
      await listeners.close();
    }
    let printed = '';
    const status = await built.main(['analyze', file, '--json'], {
      stdout: { write: (s: string) => (printed += s) },
      stderr: { write: () => true },
    });
    expect(status).toBe(0);
    expect(printed).toBe((await runCli(['analyze', file, '--json'])).stdout);
    expect(JSON.parse(printed).tracks).toHaveLength(3);

    // The audio engine, loaded only when rendering, is found from the bundle too.
    const short = tmp.file('short.mid');
    writeMidiFile(short, [
      { name: 'Piano', notes: [{ type: 'note', t: 0, pitch: 60, velocity: 90, duration: 0.3 }] },
    ]);
    const wavs = [tmp.file('bundled.wav'), tmp.file('sources.wav')];
    const quiet = { stdout: { write: () => true }, stderr: { write: () => true } };
    expect(await built.main(['render', short, '--out', wavs[0] as string], quiet)).toBe(0);
    expect((await runCli(['render', short, '--out', wavs[1] as string])).status).toBe(0);
    expect(readFileSync(wavs[0] as string).equals(readFileSync(wavs[1] as string))).toBe(true);
  }, 60_000);
});

describe('bin/attune.js', () => {
  /** A package folder laid out as apps/cli, with a stand-in bundle and stand-in sources that say which ran. */
  function layout() {
    const dir = tmp.file(`package-${Math.random().toString(36).slice(2)}`);
    mkdirSync(join(dir, 'bin'), { recursive: true });
    mkdirSync(join(dir, 'dist'));
    mkdirSync(join(dir, 'src'));
    cpSync(join(cli, 'bin', 'attune.js'), join(dir, 'bin', 'attune.js'));
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ type: 'module' }));
    symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'));
    const say = (what: string) =>
      `export async function main(argv, io) { io.stdout.write('${what} ' + argv.join(' ') + '\\n'); return 0; }\n`;
    writeFileSync(join(dir, 'src', 'main.ts'), say('sources'));
    writeFileSync(join(dir, 'dist', 'inputs.json'), JSON.stringify(['src/main.ts']));
    writeFileSync(join(dir, 'dist', 'attune.js'), say('bundle'));
    const old = new Date(Date.now() - 60_000);
    utimesSync(join(dir, 'src', 'main.ts'), old, old);
    return { dir, source: join(dir, 'src', 'main.ts') };
  }
  const attune = async (dir: string, env: Record<string, string> = {}) =>
    (
      await run(process.execPath, [join(dir, 'bin', 'attune.js'), 'key', 'x.mid'], {
        env: { ...process.env, ...env },
      })
    ).stdout;

  it('runs the bundle while every source it was built from is older', async () => {
    const { dir } = layout();
    expect(await attune(dir)).toBe('bundle key x.mid\n');
  });

  it('runs the sources through tsx once a source is newer than the bundle', async () => {
    const { dir, source } = layout();
    const later = new Date(Date.now() + 60_000);
    utimesSync(source, later, later);
    expect(await attune(dir)).toBe('sources key x.mid\n');
  });

  it('runs the sources when told to with ATTUNE_BUNDLE=0, or when the list of sources is damaged', async () => {
    const { dir } = layout();
    expect(await attune(dir, { ATTUNE_BUNDLE: '0' })).toBe('sources key x.mid\n');
    writeFileSync(join(dir, 'dist', 'inputs.json'), 'not JSON');
    expect(await attune(dir)).toBe('sources key x.mid\n');
  });

  it('runs the sources without a bundle, as in a fresh clone before npm install', async () => {
    const { dir } = layout();
    rmSync(join(dir, 'dist'), { recursive: true });
    expect(await attune(dir)).toBe('sources key x.mid\n');
  });
});
