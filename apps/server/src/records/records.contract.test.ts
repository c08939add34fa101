/**
 * The records on every store: SQLite and PostgreSQL (for real, at 127.0.0.1:5432), through the
 * same tests. Access refusals with their audit entries, the cascade of an erasure, and an export
 * whose MIDI holds every participant and companion voice.
 */
import { readPerformance } from '@attune/engine';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Accounts, type User } from '../accounts/accounts.ts';
import { Audit } from '../accounts/audit.ts';
import type { AppendInput, Store } from '../storage/index.ts';
import { testStores } from '../storage/test-stores.ts';
import { RecordsError } from './checks.ts';
import { type Actor, Records } from './records.ts';

const { backends, removeAll } = testStores('records');
afterAll(removeAll);

const NOW = '2026-11-25T10:00:00.000Z';
const mia = {
  name: 'Mia Jansen',
  birthDate: '2016-02-29',
  displayName: 'Mia',
  consent: { recording: true, research: false, family: true },
  notes: 'Loves the drum.',
};
const tom = { ...mia, name: 'Tom Reyes', displayName: 'T.R.', notes: '' };

const play = (participant: string, clientSeq: number, event: Record<string, unknown>): AppendInput => ({
  participant,
  clientSeq,
  t: event.t as number,
  type: 'play',
  payload: { event },
});

describe.each(backends)('%s records', (_name, open) => {
  let store: Store;
  let audit: Audit;
  let records: Records;
  let live: Set<string>;
  let admin: Actor;
  let anna: Actor;
  let ben: Actor;
  beforeEach(async () => {
    store = await open();
    const accounts = new Accounts(store.db, () => NOW);
    const as = (user: User): Actor => ({ user, address: '192.0.2.7' });
    admin = as(
      await accounts.setup({ name: 'Ada', email: 'ada@clinic.example', password: 'correct horse battery' }),
    );
    anna = as(
      await accounts.create({
        name: 'Anna',
        email: 'anna@clinic.example',
        password: 'another long secret',
        role: 'therapist',
      }),
    );
    ben = as(
      await accounts.create({
        name: 'Ben',
        email: 'ben@clinic.example',
        password: 'yet another secret',
        role: 'therapist',
      }),
    );
    audit = new Audit(store.db, () => NOW);
    live = new Set();
    records = new Records(store.db, { audit, wallClock: () => NOW, isLive: (id) => live.has(id) });
  });
  afterEach(async () => {
    await store.close();
  });

  /** A closed session of `owner` with a client lane p1 (notes, hits, singing), another p2, the therapist and two companion voices. */
  async function recorded(id: string, owner: Actor): Promise<void> {
    await store.sessions.create({ id, title: id, therapistId: owner.user.id, startedAt: NOW });
    await store.sessions.append(
      id,
      [
        play('p1', 0, { type: 'note', t: 1, pitch: 64, velocity: 80, duration: 0.5 }),
        play('p1', 1, { type: 'hit', t: 1.5, instrument: 38, velocity: 90 }),
        play('p1', 2, { type: 'voice', t: 2, pitch: 67, loudness: 0.5, onset: true }),
        play('p1', 3, { type: 'voice', t: 2.4, pitch: null, loudness: 0, onset: false }),
        play('p2', 0, { type: 'note', t: 1.2, pitch: 50, velocity: 70, duration: 0.5 }),
        play('therapist', 0, { type: 'note', t: 0.5, pitch: 48, velocity: 60, duration: 1 }),
        {
          participant: 'companion',
          clientSeq: 0,
          t: 1,
          type: 'companion',
          payload: { pitch: 36, velocity: 70, duration: 1, voice: 'bass' },
        },
        {
          participant: 'companion',
          clientSeq: 1,
          t: 1,
          type: 'companion',
          payload: { pitch: 60, velocity: 60, duration: 1, voice: 'chords' },
        },
      ],
      NOW,
    );
    await store.sessions.close(id, NOW);
  }

  const refusal = (promise: Promise<unknown>) =>
    promise.then(
      () => 'allowed',
      (e: unknown) => (e instanceof RecordsError ? `${e.status} ${e.code}` : String(e)),
    );

  it("keeps therapist B out of every record of therapist A's, logging each attempt", async () => {
    const client = await records.createClient(anna, mia);
    const group = await records.createGroup(anna, { name: 'Tuesday', clientIds: [client.id] });
    await recorded('s1', anna);
    await records.linkSession(anna, 's1', {
      clients: [{ id: client.id, participant: 'p1' }],
      group: group.id,
    });
    const note = await records.addNote(anna, 's1', 'A good week.');
    await recorded('s2', ben);

    expect(await records.listClients(ben)).toEqual([]);
    expect(await records.listGroups(ben)).toEqual([]);
    const attempts: Array<[string, () => Promise<unknown>]> = [
      ['404 not-found', () => records.getClient(ben, client.id)],
      ['404 not-found', () => records.updateClient(ben, client.id, { notes: 'x' })],
      ['404 not-found', () => records.exportClient(ben, client.id)],
      ['404 not-found', () => records.eraseClient(ben, client.id, 'Mia Jansen')],
      ['403 admin-only', () => records.assignClient(ben, client.id, [ben.user.id])],
      ['404 not-found', () => records.getGroup(ben, group.id)],
      ['404 not-found', () => records.updateGroup(ben, group.id, { name: 'x' })],
      ['404 not-found', () => records.deleteGroup(ben, group.id)],
      ['404 not-found', () => records.getSessionRecord(ben, 's1')],
      ['404 not-found', () => records.linkSession(ben, 's1', { clients: [], group: null })],
      ['404 not-found', () => records.addNote(ben, 's1', 'x')],
      ['404 not-found', () => records.updateNote(ben, note.id, 'x')],
      ['404 not-found', () => records.deleteNote(ben, note.id)],
      ['404 not-found', () => records.createGroup(ben, { name: 'x', clientIds: [client.id] })],
      [
        '404 not-found',
        () =>
          records.linkSession(ben, 's2', { clients: [{ id: client.id, participant: null }], group: null }),
      ],
    ];
    for (const [expected, attempt] of attempts) expect(await refusal(attempt())).toBe(expected);
    const refused = (await audit.search({ actor: ben.user.id, limit: 1000 })).filter((e) =>
      e.action.endsWith('-refused'),
    );
    expect(refused).toHaveLength(attempts.length);
    for (const e of refused) expect(e.address).toBe('192.0.2.7');
    expect((await audit.search({ target: client.id, action: 'client-read-refused' }))[0]?.detail).toEqual({
      reason: 'not-assigned',
    });
    // Nothing changed.
    const record = await records.getClient(anna, client.id);
    expect(record.notes).toBe('Loves the drum.');
    expect((await records.getSessionRecord(anna, 's1')).notes).toEqual([note]);
    expect((await records.getSessionRecord(ben, 's2')).clients).toEqual([]);
  });

  it('lets a therapist assigned to a group see its members by display name, and not their records', async () => {
    const client = await records.createClient(anna, mia);
    const group = await records.createGroup(admin, {
      name: 'Tuesday',
      clientIds: [client.id],
      therapistIds: [ben.user.id],
    });
    expect((await records.getGroup(ben, group.id)).members).toEqual([{ id: client.id, displayName: 'Mia' }]);
    expect(await refusal(records.getClient(ben, client.id))).toBe('404 not-found');
    expect((await audit.search({ target: client.id, actor: ben.user.id })).map((e) => e.action)).toEqual(
      expect.arrayContaining(['client-listed', 'client-read-refused']),
    );
  });

  it('erases a client: their own session goes whole, a shared one keeps its music with their lane renamed', async () => {
    const client = await records.createClient(anna, mia);
    const other = await records.createClient(anna, tom);
    await recorded('own', anna);
    await recorded('shared', anna);
    await records.linkSession(anna, 'own', { clients: [{ id: client.id, participant: 'p1' }], group: null });
    await records.addNote(anna, 'own', 'Mia sang.');
    await records.linkSession(anna, 'shared', {
      clients: [
        { id: client.id, participant: 'p1' },
        { id: other.id, participant: 'p2' },
      ],
      group: null,
    });
    live.add('own');
    expect(await refusal(records.eraseClient(anna, client.id, 'Mia Jansen'))).toBe('409 session-live');
    live.clear();
    expect(await refusal(records.eraseClient(anna, client.id, 'Mia'))).toBe('400 confirmation-mismatch');
    expect((await records.getClient(anna, client.id)).sessions).toHaveLength(2);

    const erased = await records.eraseClient(anna, client.id, 'Mia Jansen');
    expect(erased).toEqual({
      sessionsDeleted: 1,
      sessionsKept: ['shared'],
      lanesPseudonymised: 1,
      groupsLeft: 0,
    });
    expect(await store.sessions.get('own')).toBeNull();
    expect(await store.sessions.read('own')).toEqual([]);
    const count = async (table: 'session_note' | 'session_client' | 'client_assignment') =>
      Number(
        (
          await sql<{ n: number | string }>`select count(*) as n from ${sql.table(table)} where ${sql.ref(
            table === 'session_note' ? 'session_id' : 'client_id',
          )} = ${table === 'session_note' ? 'own' : client.id}`.execute(store.db)
        ).rows[0]?.n,
      );
    expect(await count('session_note')).toBe(0);
    expect(await count('session_client')).toBe(0);
    expect(await count('client_assignment')).toBe(0);
    const lanes = new Set((await store.sessions.read('shared')).map((e) => e.participant));
    expect(lanes.has('p1')).toBe(false);
    expect(lanes.has('p2')).toBe(true);
    expect([...lanes].some((p) => /^erased-[0-9a-f]{12}$/.test(p))).toBe(true);
    expect(await refusal(records.getClient(admin, client.id))).toBe('404 not-found');
    const trail = await audit.search({ target: client.id, action: 'client-erased' });
    expect(trail).toHaveLength(1);
    expect(JSON.stringify(await audit.search({ limit: 10_000 }))).not.toMatch(
      /Mia|Jansen|2016-02-29|drum|sang/,
    );
  });

  it('exports every lane of a session of one client, and only theirs of a shared one, as MIDI tracks', async () => {
    const client = await records.createClient(anna, mia);
    const other = await records.createClient(anna, tom);
    await recorded('own', anna);
    await recorded('shared', anna);
    await records.linkSession(anna, 'own', { clients: [{ id: client.id, participant: 'p1' }], group: null });
    await records.linkSession(anna, 'shared', {
      clients: [
        { id: client.id, participant: 'p1' },
        { id: other.id, participant: 'p2' },
      ],
      group: null,
    });
    const exported = await records.exportClient(anna, client.id);
    const [own, shared] = exported.recordings;
    expect(own?.tracks).toEqual(['therapist', 'Mia', 'p2', 'companion: bass', 'companion: chords']);
    expect(shared?.tracks).toEqual(['therapist', 'Mia', 'companion: bass', 'companion: chords']);
    const performance = readPerformance(new Uint8Array(Buffer.from(shared?.base64 ?? '', 'base64')));
    const miaNotes = performance.tracks[1]?.notes.map((n) => [n.t, n.pitch, n.channel]);
    // Her note, her hit on the percussion channel, her sung note (until the voice fell silent).
    expect(miaNotes).toEqual([
      [1, 64, 1],
      [1.5, 38, 9],
      [2, 67, 1],
    ]);
    expect(performance.tracks[1]?.notes[2]?.duration).toBeCloseTo(0.4, 3);
    expect(exported.sessions[1]).toMatchObject({ shared: true, lanesLeftOut: 1 });
    expect((await audit.search({ action: 'client-exported' }))[0]).toMatchObject({
      target: client.id,
      detail: { sessions: ['own', 'shared'], recordings: 2 },
    });
  });
});
