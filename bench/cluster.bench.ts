/**
 * A room shared by two studio instances (REDIS_URL, one PostgreSQL database): what bridging costs.
 * The room is hosted by instance A; listeners on A hear it directly, listeners on B through the
 * Redis bridge. A player plays 50 notes a second; latency from its send to each listener's
 * receipt of the relay, p50 and p99:
 *
 * - A to A: player and listener on the host (the baseline, measured in the same run);
 * - A to B: the relay crosses the bridge once (host to bridge);
 * - B to B: the note crosses twice (bridge to host, then host to bridge).
 *
 * Then a room of 40: the player and 19 listeners on A, 20 listeners on B.
 *
 * Each instance runs in a process of its own and the devices in this one, all on one machine, so
 * the figures compare the paths; they are not the latency of a deployment. Needs PostgreSQL at
 * 127.0.0.1:5432 and Redis at 127.0.0.1:6379 (ATTUNE_TEST_DATABASE_URL / ATTUNE_TEST_REDIS_URL
 * otherwise).
 */
import { admittedOn, consoleOn, TestCluster, therapistOn } from '../apps/server/src/cluster/test-support.ts';
import type { WsDevice } from '../apps/server/src/test-support.ts';
import { figure, quantile } from './stats.ts';

const NOTES = 300;
const PER_SECOND = 50;
/** The next clientSeq of each player. */
const nextSeq = new Map<WsDevice, number>();

/** Plays NOTES notes from `player` and returns, per listener, each note's latency in ms. */
async function measure(
  player: WsDevice,
  clock: () => number,
  listeners: readonly WsDevice[],
  notes = NOTES,
): Promise<number[][]> {
  const from = (nextSeq.get(player) ?? 0) as number;
  nextSeq.set(player, from + notes);
  const sentAt = new Map<number, number>();
  const latencies = listeners.map(() => [] as number[]);
  const stops = listeners.map((listener, i) => {
    const handler = (data: Buffer) => {
      const at = performance.now();
      const text = data.toString();
      if (!text.includes('"relay"')) return;
      const message = JSON.parse(text) as { type: string; event: { t: number } };
      const sent = sentAt.get(message.event.t);
      if (message.type === 'relay' && sent !== undefined) latencies[i]?.push(at - sent);
    };
    listener.ws.on('message', handler);
    return () => listener.ws.off('message', handler);
  });
  for (let n = 0; n < notes; n++) {
    const t = clock();
    sentAt.set(t, performance.now());
    player.send({
      type: 'play',
      clientSeq: from + n,
      event: { type: 'note', t, pitch: 60 + (n % 12), velocity: 80, duration: 0.1 },
    });
    await new Promise((resolve) => setTimeout(resolve, 1000 / PER_SECOND));
  }
  await new Promise((resolve) => setTimeout(resolve, 500));
  for (const stop of stops) stop();
  return latencies;
}

function report(name: string, values: readonly number[], expected = NOTES): void {
  figure(`${name} p50`, quantile(values, 0.5), 'ms', 3);
  figure(`${name} p99`, quantile(values, 0.99), 'ms', 3);
  if (values.length < expected) figure(`${name} relays missing`, expected - values.length, '', 0);
}

export async function run(): Promise<void> {
  let cluster: TestCluster;
  try {
    cluster = await TestCluster.create();
  } catch (error) {
    console.log(`  skipped: PostgreSQL or Redis not reachable (${(error as Error).message})`);
    return;
  }
  try {
    const a = await cluster.process({ companion: false });
    const b = await cluster.process({ companion: false });
    const onA = await therapistOn(a.url, true);
    const { session, key } = (await onA.request('POST', '/api/sessions', { title: 'Bench' })).body;
    const { therapist, welcome } = await consoleOn(cluster, a.url, session.code, key);
    // The session clock as the console read it at its welcome, a little behind to stay in time.
    const welcomedAt = performance.now();
    const clock = () => welcome.now + (performance.now() - welcomedAt) / 1000 - 0.05;
    const onHost = await admittedOn(cluster, a.url, therapist, session.code, 'Host player');
    const hostListener = await admittedOn(cluster, a.url, therapist, session.code, 'Host listener');
    const bridgedListener = await admittedOn(cluster, b.url, therapist, session.code, 'Bridged listener');
    const bridgedPlayer = await admittedOn(cluster, b.url, therapist, session.code, 'Bridged player');
    // Warm up both paths (compiled code, pools, Redis links) before measuring.
    await measure(onHost.player, clock, [], 100);
    await measure(bridgedPlayer.player, clock, [], 100);
    console.log(`  ${NOTES} notes at ${PER_SECOND} a second, room hosted by A, five devices in the room`);

    const [direct, down] = await measure(onHost.player, clock, [hostListener.player, bridgedListener.player]);
    report('A to A (direct)', direct ?? []);
    report('A to B (bridged once)', down ?? []);
    const [upDown, up] = await measure(bridgedPlayer.player, clock, [
      bridgedListener.player,
      hostListener.player,
    ]);
    report('B to A (bridged once, device to host)', up ?? []);
    report('B to B (bridged twice)', upDown ?? []);
    figure(
      'extra p50, bridged once vs direct',
      quantile(down ?? [], 0.5) - quantile(direct ?? [], 0.5),
      'ms',
      3,
    );

    // A full room: the player and 19 listeners on A, 20 listeners on B, every relay fanned out
    // to 20 bridged devices.
    const near: WsDevice[] = [hostListener.player];
    const far: WsDevice[] = [bridgedListener.player, bridgedPlayer.player];
    for (let i = near.length; i < 19; i++)
      near.push((await admittedOn(cluster, a.url, therapist, session.code, `Near ${i}`)).player);
    for (let i = far.length; i < 20; i++)
      far.push((await admittedOn(cluster, b.url, therapist, session.code, `Far ${i}`)).player);
    console.log('  a room of 40: the player and 19 listeners on A, 20 listeners on B');
    const full = await measure(onHost.player, clock, [...near, ...far]);
    report('40 in the room, listeners on A', full.slice(0, near.length).flat(), near.length * NOTES);
    report('40 in the room, listeners on B', full.slice(near.length).flat(), far.length * NOTES);
  } finally {
    await cluster.dispose();
  }
}
