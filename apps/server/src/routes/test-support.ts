/**
 * For the route tests over real HTTP: the people of a fresh studio (the admin who set it up and
 * the therapists she made, each logged in) and a session's room with the therapist's console in
 * it, so each test file says only who and what its tests need.
 */
import { type Browser, loggedIn, WsDevice } from '../test-support.ts';

/** An account as the setup page and the admin's form take it. */
export interface Account {
  readonly name: string;
  readonly email: string;
  readonly password: string;
}

/** Ada, the admin who sets a route test's studio up. */
export const ada: Account = {
  name: 'Ada Admin',
  email: 'ada@clinic.example',
  password: 'correct horse battery',
};
/** Anna, a therapist Ada makes; the clients and sessions of a route test are usually hers. */
export const anna: Account = {
  name: 'Anna Berg',
  email: 'anna@clinic.example',
  password: 'another long secret',
};
/** Ben, another therapist, who must not reach what is Anna's. */
export const ben: Account = { name: 'Ben Ode', email: 'ben@clinic.example', password: 'yet another secret' };

/** A studio's admin and therapists, each logged in in a browser of their own, and the therapists' ids. */
export interface Staff<K extends string> {
  readonly admin: Browser;
  readonly therapists: Record<K, Browser>;
  readonly ids: Record<K, string>;
}

/**
 * Sets the fresh studio at `url` up with `admin`, who makes each of `therapists` a therapist, one
 * after another; then each logs in, in the same order.
 */
export async function staffed<K extends string>(
  url: string,
  admin: Account,
  therapists: Record<K, Account>,
): Promise<Staff<K>> {
  const setUp = await loggedIn(url, admin, true);
  const accounts = Object.entries(therapists) as [K, Account][];
  const ids = {} as Record<K, string>;
  for (const [key, account] of accounts)
    ids[key] = (
      await setUp.request('POST', '/api/therapists', { ...account, role: 'therapist' })
    ).body.user.id;
  const browsers = {} as Record<K, Browser>;
  for (const [key, account] of accounts) browsers[key] = await loggedIn(url, account, false);
  return { admin: setUp, therapists: browsers, ids };
}

/**
 * The therapist's console in the room of a session she started, over a real WebSocket, kept in
 * `devices` for the test to close; answers with the console and the room's welcome.
 */
export async function consoleIn(
  url: string,
  started: { session: { code: string }; key: string },
  devices: WsDevice[],
) {
  const therapist = await WsDevice.open(url);
  devices.push(therapist);
  therapist.hello({ role: 'therapist', room: started.session.code, key: started.key, device: 'console' });
  const welcome = await therapist.next('welcome');
  return { therapist, welcome };
}
