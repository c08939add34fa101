/** What the API's routes share: the accounts, the logged-in sessions, the live sessions and the audit. */
import type { Accounts } from '../accounts/accounts.ts';
import type { AttemptLimit } from '../accounts/attempt-limit.ts';
import type { Audit } from '../accounts/audit.ts';
import type { AuthSessions } from '../accounts/auth-sessions.ts';
import type { CookiePolicy } from '../http/security.ts';
import type { LiveSessions } from '../live/live-sessions.ts';

export interface ApiContext {
  readonly accounts: Accounts;
  readonly authSessions: AuthSessions;
  readonly audit: Audit;
  readonly live: LiveSessions;
  readonly loginLimit: AttemptLimit;
  readonly cookies: CookiePolicy;
}
