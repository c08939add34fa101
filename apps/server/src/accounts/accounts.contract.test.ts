/**
 * Accounts, logged-in sessions and the audit trail on every store: SQLite and PostgreSQL (for real,
 * at 127.0.0.1:5432), through the same tests.
 */
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../storage/index.ts';
import { testStores } from '../storage/test-stores.ts';
import { AccountError, Accounts } from './accounts.ts';
import { Audit } from './audit.ts';
import { AuthSessions, IDLE_LIMIT } from './auth-sessions.ts';

const { backends, removeAll } = testStores('accounts');
afterAll(removeAll);

const anna = { name: 'Anna Berg', email: 'Anna@Clinic.example', password: 'correct horse battery' };

describe.each(backends)('%s accounts', (_name, open) => {
  let store: Store;
  let accounts: Accounts;
  beforeEach(async () => {
    store = await open();
    accounts = new Accounts(store.db, () => '2026-11-25T10:00:00.000Z');
  });
  afterEach(async () => {
    await store.close();
  });

  it('sets the studio up once with an admin, stores only an argon2id hash, and finds the email in any case', async () => {
    expect(await accounts.setupNeeded()).toBe(true);
    const admin = await accounts.setup(anna);
    expect(admin).toMatchObject({ name: 'Anna Berg', email: 'anna@clinic.example', role: 'admin' });
    expect(await accounts.setupNeeded()).toBe(false);
    const row = await store.db.selectFrom('account').selectAll().executeTakeFirstOrThrow();
    expect(row.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(row.password_hash).not.toContain(anna.password);
    expect(await accounts.authenticate('ANNA@clinic.example ', anna.password)).toEqual(admin);
    expect(await accounts.authenticate(anna.email, 'correct horse batter')).toBeNull();
    expect(await accounts.authenticate('nobody@clinic.example', anna.password)).toBeNull();
    await expect(accounts.setup({ ...anna, email: 'b@clinic.example' })).rejects.toMatchObject({
      code: 'already-set-up',
    });
    expect(await accounts.list()).toHaveLength(1);
  });

  it('lets exactly one of several racing setups through', async () => {
    const results = await Promise.allSettled(
      [0, 1, 2].map((i) => accounts.setup({ ...anna, email: `admin${i}@clinic.example` })),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results)
      if (r.status === 'rejected') expect((r.reason as AccountError).code).toBe('already-set-up');
    expect(await accounts.list()).toHaveLength(1);
  });

  it('refuses weak passwords, bad emails and a second account for one email, writing nothing', async () => {
    await accounts.setup(anna);
    const refusals: Array<[Parameters<Accounts['create']>[0], string]> = [
      [{ name: 'Ben', email: 'ben@clinic.example', password: 'short', role: 'therapist' }, 'weak-password'],
      [{ name: 'Ben', email: 'not an email', password: 'long enough now', role: 'therapist' }, 'invalid'],
      [
        { name: '  ', email: 'ben@clinic.example', password: 'long enough now', role: 'therapist' },
        'invalid',
      ],
      [
        { name: 'Anna 2', email: 'ANNA@clinic.example', password: 'long enough now', role: 'therapist' },
        'email-taken',
      ],
    ];
    for (const [input, code] of refusals) {
      const error = await accounts.create(input).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AccountError);
      expect((error as AccountError).code).toBe(code);
    }
    expect(await accounts.list()).toHaveLength(1);
  });

  it('keeps logged-in sessions by a token it stores only hashed, ending them at logout or after 12 idle hours', async () => {
    const admin = await accounts.setup(anna);
    let now = Date.parse('2026-11-25T10:00:00Z');
    const sessions = new AuthSessions(store.db, () => now);
    const token = await sessions.open(admin.id, '192.0.2.7');
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const stored = await store.db.selectFrom('auth_session').selectAll().executeTakeFirstOrThrow();
    expect(stored.id).not.toContain(token);
    expect(stored.address).toBe('192.0.2.7');
    expect(await sessions.user(token)).toEqual(admin);
    expect(await sessions.user(`${token.slice(0, -1)}x`)).toBeNull();
    expect(await sessions.user('short')).toBeNull();

    // Used within the limit, the session lives on from its last use.
    now += (IDLE_LIMIT - 60) * 1000;
    expect(await sessions.user(token)).toEqual(admin);
    now += (IDLE_LIMIT - 60) * 1000;
    expect(await sessions.user(token)).toEqual(admin);
    now += (IDLE_LIMIT + 1) * 1000;
    expect(await sessions.user(token)).toBeNull();
    expect(await store.db.selectFrom('auth_session').selectAll().execute()).toEqual([]);

    const again = await sessions.open(admin.id, null);
    await sessions.close(again);
    expect(await sessions.user(again)).toBeNull();
  });

  it('keeps an audit trail, newest first', async () => {
    let second = 0;
    const audit = new Audit(store.db, () => `2026-11-25T10:00:0${second++}.000Z`);
    await audit.record({ actor: 'a1', action: 'login', target: 'a1', address: '192.0.2.7' });
    await audit.record({ actor: 'a1', action: 'session-read', target: 's1', detail: { after: 0 } });
    const latest = await audit.latest();
    expect(latest.map((e) => e.action)).toEqual(['session-read', 'login']);
    expect(latest[0]).toMatchObject({ actor: 'a1', target: 's1', detail: { after: 0 } });
  });
});
