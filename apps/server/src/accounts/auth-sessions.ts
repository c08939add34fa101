/**
 * Logged-in sessions behind the `attune_session` cookie. The cookie holds a random token; the
 * database holds only its SHA-256, so a copy of the database opens no one's session. A session
 * ends at logout or after twelve hours without use.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../storage/index.ts';
import type { User } from './accounts.ts';

/** Seconds without a request after which a session has ended. */
export const IDLE_LIMIT = 12 * 3600;
/** Seconds between writes of `last_seen_at`: a busy console does not write on every request. */
const TOUCH_EVERY = 60;

/** What a token looks like: 32 random bytes as base64url. */
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

const digest = (token: string) => createHash('sha256').update(token).digest('hex');

/** The studio's logged-in sessions. */
export class AuthSessions {
  constructor(
    private readonly db: Kysely<Database>,
    /** Wall-clock milliseconds. */
    private readonly now: () => number = Date.now,
    private readonly idleLimit: number = IDLE_LIMIT,
  ) {}

  /** Opens a session for an account; returns the token for the cookie. */
  async open(accountId: string, address: string | null): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    const at = new Date(this.now()).toISOString();
    await this.db
      .insertInto('auth_session')
      .values({ id: digest(token), account_id: accountId, created_at: at, last_seen_at: at, address })
      .execute();
    return token;
  }

  /** The account a token is logged in as, or null; a session idle too long is ended here. */
  async user(token: string | undefined): Promise<User | null> {
    if (token === undefined || !TOKEN.test(token)) return null;
    const id = digest(token);
    const row = await this.db
      .selectFrom('auth_session')
      .innerJoin('account', 'account.id', 'auth_session.account_id')
      .select([
        'account.id as id',
        'account.name as name',
        'account.email as email',
        'account.role as role',
        'account.disabled_at as disabled_at',
        'auth_session.last_seen_at as last_seen_at',
      ])
      .where('auth_session.id', '=', id)
      .executeTakeFirst();
    if (!row) return null;
    const idle = (this.now() - Date.parse(row.last_seen_at)) / 1000;
    if (idle > this.idleLimit || row.disabled_at !== null) {
      await this.db.deleteFrom('auth_session').where('id', '=', id).execute();
      return null;
    }
    if (idle > TOUCH_EVERY) {
      await this.db
        .updateTable('auth_session')
        .set({ last_seen_at: new Date(this.now()).toISOString() })
        .where('id', '=', id)
        .execute();
    }
    return { id: row.id, name: row.name, email: row.email, role: row.role };
  }

  /** Ends a session (logout); an unknown token changes nothing. */
  async close(token: string | undefined): Promise<void> {
    if (token === undefined || !TOKEN.test(token)) return;
    await this.db.deleteFrom('auth_session').where('id', '=', digest(token)).execute();
  }
}
