/**
 * Session exports through the real studio (HTTP on SQLite) for a one-hour four-player session
 * (bench/session.ts), as the review screen asks for them: the MIDI file (target under 1 s) and
 * the WAV file at 48 kHz, started as a job and followed to the end (target at least 50× real
 * time, job start to file ready). ATTUNE_EXPORT_MINUTES shortens the session for a quick look;
 * ATTUNE_EXPORT_WAV=0 leaves the WAV out. The MIDI file is written from the session's summary,
 * made when the session ends: the first download waits for it, the others read it as kept.
 */
import { loggedIn, tempStudio } from '../apps/server/src/test-support.ts';
import { groupSession } from './session.ts';
import { figure, nowMs, quantile } from './stats.ts';

const account = { name: 'Bench Therapist', email: 'bench@clinic.example', password: 'a long bench password' };

export async function run(): Promise<void> {
  const minutes = Number(process.env.ATTUNE_EXPORT_MINUTES ?? 60);
  if (!(Number.isFinite(minutes) && minutes > 0))
    throw new RangeError(
      `ATTUNE_EXPORT_MINUTES must be a positive number, got: ${process.env.ATTUNE_EXPORT_MINUTES}`,
    );
  const studio = await tempStudio({ companion: false });
  try {
    const therapist = await loggedIn(studio.url, account, true);
    const session = (await therapist.request('POST', '/api/sessions', { title: 'Bench hour' })).body.session
      .id;
    const players = groupSession(minutes * 60);
    const events = players.flatMap((p, i) =>
      p.events.map((event, k) => ({
        participant: `p${i + 1}`,
        clientSeq: k + 1,
        t: event.t,
        type: 'play',
        payload: { event },
      })),
    );
    events.sort((a, b) => a.t - b.t);
    for (let i = 0; i < events.length; i += 5000) {
      await studio.store.sessions.append(session, events.slice(i, i + 5000), new Date().toISOString());
    }
    await therapist.request('POST', `/api/sessions/${session}/end`);
    const cookie = [...therapist.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    console.log(`  ${minutes}-minute simulated session, ${players.length} players, ${events.length} events`);

    const midi: number[] = [];
    const midiCpu: number[] = [];
    let bytes = 0;
    let first = 0;
    for (let i = 0; i < 6; i++) {
      const t0 = nowMs();
      const c0 = process.cpuUsage();
      const res = await fetch(`${studio.url}/api/sessions/${session}/export.mid`, { headers: { cookie } });
      bytes = (await res.arrayBuffer()).byteLength;
      if (res.status !== 200) throw new Error(`MIDI export answered ${res.status}`);
      const used = process.cpuUsage(c0);
      if (i === 0) {
        first = nowMs() - t0;
        continue;
      }
      midi.push(nowMs() - t0);
      midiCpu.push((used.user + used.system) / 1000);
    }
    figure('MIDI export, first (waits for the summary made as the session ended)', first, 'ms', 0);
    figure('MIDI export through HTTP, wall, median of 5', quantile(midi, 0.5), 'ms', 0);
    figure('MIDI export, wall, fastest', Math.min(...midi), 'ms', 0);
    figure('MIDI export, CPU (server and client), median', quantile(midiCpu, 0.5), 'ms', 0);
    figure('MIDI file size', bytes / 1024, 'KiB', 0);
    if (process.env.ATTUNE_EXPORT_WAV === '0') return;

    const t0 = nowMs();
    const c0 = process.cpuUsage();
    const started = await therapist.request('POST', `/api/sessions/${session}/exports/wav`, {
      sampleRate: 48000,
    });
    const job = started.body.job.id as string;
    let state = started.body.job;
    while (state.state === 'queued' || state.state === 'rendering') {
      await new Promise((r) => setTimeout(r, 100));
      state = (await therapist.request('GET', `/api/exports/${job}`)).body.job;
    }
    const wall = (nowMs() - t0) / 1000;
    const cpu = process.cpuUsage(c0);
    if (state.state !== 'done') throw new Error(`the WAV export ended ${state.state}: ${state.error}`);
    figure('WAV export (job start to file ready), wall', wall, 's', 1);
    figure('WAV export, audio length', state.seconds, 's', 0);
    figure('WAV export speed, wall', state.seconds / wall, '× real time', 0);
    figure(
      'WAV export speed, per core of CPU',
      state.seconds / ((cpu.user + cpu.system) / 1e6),
      '× real time',
      0,
    );
    await therapist.request('DELETE', `/api/exports/${job}`);
  } finally {
    await studio.close();
  }
}
