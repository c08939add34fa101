/**
 * Therapist accounts: the first (admin) account made at setup, more made by an admin, and the
 * check of an email and password at login. Emails are kept lowercased, so `Anna@Clinic.org` and
 * `anna@clinic.org` are one account. Passwords are kept only as argon2id hashes.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../storage/index.ts';
import {
  hashPassword,
  MAX_PASSWORD_LENGTH,
  MIN_PASSWORD_LENGTH,
  verifyNobody,
  verifyPassword,
} from './passwords.ts';

/** What a therapist can do: an admin also manages accounts and sees every session. */
export type AccountRole = 'admin' | 'therapist';

/** An account as the API shows it (never its hash). */
export interface User {
  readonly id: string;
  readonly name: string;
  readonly email: string;
  readonly role: AccountRole;
}

/** What a new account needs. */
export interface NewAccount {
  readonly name: string;
  readonly email: string;
  readonly password: string;
  readonly role: AccountRole;
}

/** A request the accounts refuse; nothing was written. */
export class AccountError extends Error {
  constructor(
    readonly code: 'already-set-up' | 'weak-password' | 'email-taken' | 'invalid',
    message: string,
  ) {
    super(message);
  }
}

/** The fact that marks a studio as set up; its key is unique, so setup happens once. */
const SET_UP = 'first-admin';

/** Whether an error is a database's refusal of a duplicate key (SQLite or PostgreSQL). */
export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

/** Lowercased and trimmed, the form emails are stored and looked up in. */
export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** The studio's accounts. */
export class Accounts {
  constructor(
    private readonly db: Kysely<Database>,
    /** Wall-clock time as ISO text. */
    private readonly wallClock: () => string = () => new Date().toISOString(),
  ) {}

  /** Whether the studio still waits for its first account. */
  async setupNeeded(): Promise<boolean> {
    const fact = await this.db
      .selectFrom('studio_fact')
      .select('key')
      .where('key', '=', SET_UP)
      .executeTakeFirst();
    return fact === undefined;
  }

  /**
   * Makes the first account, an admin. Only once: a second call, even one racing the first,
   * is refused with `already-set-up` and changes nothing.
   */
  async setup(input: Omit<NewAccount, 'role'>): Promise<User> {
    if (!(await this.setupNeeded()))
      throw new AccountError('already-set-up', 'This studio is already set up.');
    const row = await this.prepare({ ...input, role: 'admin' });
    try {
      await this.db.transaction().execute(async (trx) => {
        await trx
          .insertInto('studio_fact')
          .values({ key: SET_UP, value: row.id, set_at: row.created_at })
          .execute();
        await trx.insertInto('account').values(row).execute();
      });
    } catch (error) {
      if (isUniqueViolation(error))
        throw new AccountError('already-set-up', 'This studio is already set up.');
      throw error;
    }
    return toUser(row);
  }

  /** Makes another account (an admin's doing). */
  async create(input: NewAccount): Promise<User> {
    const row = await this.prepare(input);
    try {
      await this.db.insertInto('account').values(row).execute();
    } catch (error) {
      if (isUniqueViolation(error))
        throw new AccountError('email-taken', `There is already an account for ${row.email}.`);
      throw error;
    }
    return toUser(row);
  }

  /** The account this email and password open, or null (the same time is spent either way). */
  async authenticate(email: string, password: string): Promise<User | null> {
    if (password.length > MAX_PASSWORD_LENGTH) {
      await verifyNobody('');
      return null;
    }
    const row = await this.db
      .selectFrom('account')
      .selectAll()
      .where('email', '=', normaliseEmail(email))
      .executeTakeFirst();
    if (!row || row.disabled_at !== null) {
      await verifyNobody(password);
      return null;
    }
    return (await verifyPassword(row.password_hash, password)) ? toUser(row) : null;
  }

  /** The account with this id, or null (also for a disabled one). */
  async get(id: string): Promise<User | null> {
    const row = await this.db.selectFrom('account').selectAll().where('id', '=', id).executeTakeFirst();
    return row && row.disabled_at === null ? toUser(row) : null;
  }

  /** Every account, by name. */
  async list(): Promise<User[]> {
    const rows = await this.db.selectFrom('account').selectAll().orderBy('name').orderBy('id').execute();
    return rows.map(toUser);
  }

  private async prepare(input: NewAccount): Promise<Database['account']> {
    const name = input.name.trim();
    const email = normaliseEmail(input.email);
    if (name.length === 0 || name.length > 100)
      throw new AccountError('invalid', 'A name must be 1 to 100 characters.');
    if (!/^[^\s@]+@[^\s@]+$/.test(email) || email.length > 254)
      throw new AccountError(
        'invalid',
        `An email address looks like name@example.org, got: ${input.email.slice(0, 60)}`,
      );
    if (input.role !== 'admin' && input.role !== 'therapist')
      throw new AccountError(
        'invalid',
        `A role is admin or therapist, got: ${String(input.role).slice(0, 20)}`,
      );
    if (input.password.length < MIN_PASSWORD_LENGTH)
      throw new AccountError('weak-password', `A password needs at least ${MIN_PASSWORD_LENGTH} characters.`);
    if (input.password.length > MAX_PASSWORD_LENGTH)
      throw new AccountError(
        'weak-password',
        `A password may have at most ${MAX_PASSWORD_LENGTH} characters.`,
      );
    return {
      id: randomUUID(),
      name,
      email,
      role: input.role,
      password_hash: await hashPassword(input.password),
      created_at: this.wallClock(),
      disabled_at: null,
    };
  }
}

function toUser(row: Database['account']): User {
  return { id: row.id, name: row.name, email: row.email, role: row.role };
}
