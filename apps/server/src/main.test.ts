/** `npm start` as a newcomer meets it: the studio process, over real HTTP. */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..', '..');
let child: ChildProcess;
let base = '';
let dataDir = '';

beforeAll(async () => {
  dataDir = join(mkdtempSync(join(tmpdir(), 'attune-start-')), 'data');
  child = spawn(process.execPath, ['--import', 'tsx', 'apps/server/src/main.ts'], {
    cwd: root,
    env: { ...process.env, PORT: '0', ATTUNE_DATA: dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  base = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`studio did not start: ${out}`)), 20_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /^Attune is running on http:\/\/localhost:(\d+) \(data in (.+)\)$/m.exec(out);
      if (match) {
        clearTimeout(timer);
        expect(match[2]).toBe(dataDir);
        resolve(`http://localhost:${match[1]}`);
      }
    });
    child.on('exit', (code) => reject(new Error(`studio exited with ${code}: ${out}`)));
  });
}, 30_000);

afterAll(() => {
  child.kill('SIGTERM');
  rmSync(join(dataDir, '..'), { recursive: true, force: true });
});

describe('npm start', () => {
  it('answers the API and creates its data folder with the SQLite store', async () => {
    const state = await fetch(`${base}/api/state`);
    expect(await state.json()).toEqual({ setupNeeded: true, user: null, protocol: 1 });
    expect(existsSync(join(dataDir, 'attune.sqlite'))).toBe(true);
    expect(await (await fetch(`${base}/healthz`)).json()).toEqual({ ok: true });
  });
});

/** Runs main.ts with a setting and returns its exit code and what it printed to stderr. */
async function runWith(env: Record<string, string>): Promise<{ code: number | null; err: string }> {
  const bad = spawn(process.execPath, ['--import', 'tsx', 'apps/server/src/main.ts'], {
    cwd: root,
    env: { ...process.env, PORT: '0', ATTUNE_DATA: dataDir, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  bad.stderr?.on('data', (c: Buffer) => {
    err += c.toString();
  });
  const code = await new Promise<number | null>((resolve) => bad.on('exit', resolve));
  return { code, err };
}

describe('settings', () => {
  it('stops with one line naming a bad value', async () => {
    const port = await runWith({ PORT: 'eighty' });
    expect(port.code).toBe(1);
    expect(port.err.trim()).toBe('PORT must be a whole number from 0 to 65535, got: eighty');
    const db = await runWith({ DATABASE_URL: 'mysql://x' });
    expect(db.err.trim()).toBe('DATABASE_URL must start with postgres: or postgresql://, got: mysql://x');
  });

  it('stops with one line when the port is taken', async () => {
    const taken = await runWith({ PORT: new URL(base).port });
    expect(taken.code).toBe(1);
    expect(taken.err.trim().split('\n')).toHaveLength(1);
    expect(taken.err).toMatch(/^Attune could not start: .*EADDRINUSE/);
  });

  it('stops with one line when the database cannot be reached', async () => {
    const down = await runWith({ DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' });
    expect(down.code).toBe(1);
    expect(down.err.trim().split('\n')).toHaveLength(1);
    expect(down.err).toMatch(/^Attune could not start: .*(ECONNREFUSED|connect)/);
  });
});
