/**
 * The studio killed mid-session: the real server process (`node --import tsx
 * apps/server/src/main.ts`), a therapist and a participant playing and getting acknowledgements,
 * SIGKILL, a restart on the same data folder. Every acknowledged event must be in the log, and
 * the session, listed as open but not live, can be resumed (same code, numbering continued) and
 * ended.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type Browser, loggedIn, WsDevice } from './test-support.ts';

const root = join(import.meta.dirname, '..', '..', '..');
const top = mkdtempSync(join(tmpdir(), 'attune-fault-'));
const dataDir = join(top, 'data');
const children: ChildProcess[] = [];
const devices: WsDevice[] = [];

afterAll(() => {
  for (const d of devices) d.close();
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  rmSync(top, { recursive: true, force: true });
});

/** Starts the studio process and resolves with its URL once it prints its line. */
async function startProcess(): Promise<{ child: ChildProcess; base: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'apps/server/src/main.ts'], {
    cwd: root,
    env: { ...process.env, PORT: '0', ATTUNE_DATA: dataDir, ATTUNE_WEB: join(top, 'no-web') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  const base = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`studio did not start: ${out}`)), 30_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /http:\/\/localhost:(\d+)/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve(`http://localhost:${match[1]}`);
      }
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.on('exit', (code) => reject(new Error(`studio exited with ${code}: ${out}`)));
  });
  return { child, base };
}

async function open(base: string): Promise<WsDevice> {
  const d = await WsDevice.open(base);
  devices.push(d);
  return d;
}

const anna = { name: 'Anna Berg', email: 'anna@clinic.example', password: 'correct horse battery' };

describe('the studio killed mid-session', () => {
  it('loses nothing acknowledged, and the session resumes where it was and ends', async () => {
    const first = await startProcess();
    const admin: Browser = await loggedIn(first.base, anna, true);
    const { session, key } = (await admin.request('POST', '/api/sessions', { title: 'Killed' })).body;

    const therapist = await open(first.base);
    therapist.hello({ role: 'therapist', room: session.code, key, device: 'console' });
    await therapist.next('welcome');
    const player = await open(first.base);
    player.hello({ role: 'participant', room: session.code, device: 'tablet', name: 'Sam' });
    const waiting = await player.next('waiting');
    await therapist.next('state', (s) => s.waiting.length === 1);
    therapist.send({ type: 'admit', participant: waiting.participant });
    const admitted = await player.next('admitted');

    // Play steadily; stop reading acks at the kill.
    const sent = 60;
    for (let i = 0; i < sent; i++) {
      player.send({
        type: 'play',
        clientSeq: i,
        event: {
          type: 'note',
          t: admitted.now + i * 0.01,
          pitch: 60 + (i % 12),
          velocity: 80,
          duration: 0.1,
        },
      });
      if (i % 10 === 9) await new Promise((resolve) => setTimeout(resolve, 5));
    }
    therapist.send({ type: 'mark', clientSeq: 0, t: admitted.now + 0.5, note: 'before the crash', tags: [] });
    await player.next('ack', (a) => a.clientSeq >= 20, 10_000);
    await therapist.next('ack', () => true, 10_000);
    first.child.kill('SIGKILL');
    await new Promise((resolve) => first.child.once('exit', resolve));
    const acked = new Map<number, number>();
    for (const m of player.received) if (m.type === 'ack') acked.set(m.clientSeq, m.seq);
    expect(acked.size).toBeGreaterThanOrEqual(21);

    const second = await startProcess();
    const again = await loggedIn(second.base, anna, false);
    const listed = (await again.request('GET', `/api/sessions/${session.id}`)).body;
    expect(listed.session).toMatchObject({ status: 'open', live: false, code: null });
    expect(listed.key).toBeUndefined();

    const logged = (await again.request('GET', `/api/sessions/${session.id}/events?limit=10000`)).body.events;
    const bySeq = new Map<number, { participant: string; payload: { event?: { pitch: number } } }>(
      logged.map((e: { seq: number }) => [e.seq, e]),
    );
    for (const [clientSeq, seq] of acked) {
      const event = bySeq.get(seq);
      expect(event?.participant, `ack ${clientSeq} → seq ${seq}`).toBe(waiting.participant);
      expect(event?.payload.event?.pitch).toBe(60 + (clientSeq % 12));
    }
    expect(
      logged.some((e: { type: string; payload: { note?: string } }) => e.payload.note === 'before the crash'),
    ).toBe(true);

    // Resume: the room reopens with its code; the therapist's numbering and the log continue.
    const resumed = await again.request('POST', `/api/sessions/${session.id}/resume`);
    expect(resumed.status).toBe(200);
    expect(resumed.body.session).toMatchObject({ live: true, code: session.code });
    const console2 = await open(second.base);
    console2.hello({ role: 'therapist', room: session.code, key: resumed.body.key, device: 'console' });
    const welcome = await console2.next('welcome');
    expect(welcome.nextClientSeq).toBe(1);
    expect(welcome.now).toBeGreaterThanOrEqual(admitted.now + 0.5);
    const newcomer = await open(second.base);
    newcomer.hello({ role: 'participant', room: session.code, device: 'tablet-2' });
    const seat = await newcomer.next('waiting');
    expect(seat.participant).not.toBe(waiting.participant);
    console2.send({ type: 'mark', clientSeq: 1, t: welcome.now, note: 'after the restart', tags: [] });
    const ack = await console2.next('ack');
    expect(ack.seq).toBeGreaterThan(Math.max(...logged.map((e: { seq: number }) => e.seq)));
    expect((await again.request('POST', `/api/sessions/${session.id}/resume`)).body.error.code).toBe('live');

    const ended = await again.request('POST', `/api/sessions/${session.id}/end`);
    expect(ended.body.session).toMatchObject({ status: 'closed', live: false });
    expect(await newcomer.next('refused')).toMatchObject({ code: 'room-closed' });
    second.child.kill('SIGTERM');
    const code = await new Promise<number | null>((resolve) => second.child.once('exit', resolve));
    expect(code).toBe(0);
  }, 90_000);
});
