/**
 * The therapist's side of the studio over plain HTTP, for browser tests that set a session up (or
 * read its log) without clicking through the console: cookies kept by hand as a browser keeps
 * them, and the CSRF header sent on every change as the web app sends it.
 */
import type { BrowserContext } from 'playwright-core';

/** A session the therapist started: its id and join code, and the key her console joins with. */
export interface StartedSession {
  readonly session: { readonly id: string; readonly code: string };
  readonly key: string;
}

/** One therapist's HTTP client against a running studio. */
export class Therapist {
  /** The cookies the studio set (name to value), to hand on to a browser if the test needs to. */
  readonly cookies = new Map<string, string>();
  constructor(readonly origin: string) {}

  /**
   * Sets a fresh studio up with its first therapist (Ann Lee) and returns her, logged in, as a new
   * therapist does on the setup page.
   */
  static async setUp(origin: string): Promise<Therapist> {
    const therapist = new Therapist(origin);
    await therapist.request('GET', '/api/state');
    await therapist.request('POST', '/api/setup', {
      name: 'Ann Lee',
      email: 'ann@clinic.example',
      password: 'a long enough password',
    });
    return therapist;
  }

  /** Logs an existing account in, as the login page does, and returns it. */
  static async logIn(origin: string, email: string, password: string): Promise<Therapist> {
    const therapist = new Therapist(origin);
    await therapist.request('GET', '/api/state');
    await therapist.request('POST', '/api/login', { email, password });
    return therapist;
  }

  /** Sends one request as JSON; throws with the status and body if the studio refuses it. */
  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = {
      cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
    };
    if (method !== 'GET') {
      headers['x-attune-csrf'] = this.cookies.get('attune_csrf') ?? '';
      headers['content-type'] = 'application/json';
    }
    const response = await fetch(`${this.origin}${path}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const [name, ...value] = (pair ?? '').split('=');
      if (name) this.cookies.set(name.trim(), value.join('='));
    }
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
    return (text ? JSON.parse(text) : null) as T;
  }

  /** Hands this therapist's login to a browser, as if she had logged in there. */
  async logInto(context: BrowserContext): Promise<void> {
    const { hostname } = new URL(this.origin);
    await context.addCookies(
      [...this.cookies].map(([name, value]) => ({
        name,
        value,
        domain: hostname,
        path: '/',
        sameSite: 'Strict' as const,
        httpOnly: name === 'attune_session',
      })),
    );
  }

  /** Starts a session with this title. */
  startSession(title: string): Promise<StartedSession> {
    return this.request<StartedSession>('POST', '/api/sessions', { title });
  }

  /** The session's log, up to 5000 events, in the shape the test reads it as. */
  async events<E>(session: string): Promise<E[]> {
    return (await this.request<{ events: E[] }>('GET', `/api/sessions/${session}/events?limit=5000`)).events;
  }
}
