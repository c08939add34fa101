/**
 * The studio's HTTP API as the therapist's pages use it: accounts, live sessions and the session
 * log (the routes are listed in docs/ARCHITECTURE.md). Every state-changing request carries
 * the `x-attune-csrf` header equal to the `attune_csrf` cookie the studio set on `GET /api/state`
 * (double-submit: another site's page cannot read the cookie, so it cannot forge the header).
 * Failures arrive as {@link ApiError}s with the studio's code and plain sentence.
 */

/** A therapist's account. */
export interface User {
  readonly id: string;
  readonly name: string;
  readonly email: string;
  readonly role: 'admin' | 'therapist';
}

/** A live session and its recording. */
export interface Session {
  readonly id: string;
  readonly title: string;
  /** 'open' until ended; an open session whose room is gone (after a restart) can be resumed. */
  readonly status: 'open' | 'closed';
  /** Whether a room is running now. */
  readonly live: boolean;
  /** The room code, only while live. */
  readonly code: string | null;
  readonly joinUrl: string | null;
  readonly startedAt: string;
  readonly endedAt: string | null;
  /** How many events the recording holds. */
  readonly events: number;
  /** The therapist who ran it (their id). */
  readonly therapist: string;
}

/** What the studio says about itself and who is logged in. */
export interface StudioState {
  readonly setupNeeded: boolean;
  readonly user: User | null;
  readonly protocol: number;
}

/** One event of a session log. */
export interface LoggedEvent {
  readonly seq: number;
  readonly participant: string;
  readonly t: number;
  readonly type: string;
  readonly payload: unknown;
}

/** A refusal from the studio: the HTTP status, its kebab-case code and a sentence to show. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Seconds to wait before trying again, when the studio said (429). */
    readonly retryAfter: number | null = null,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** The CSRF cookie's value in `cookies` (a `document.cookie` string), or null. */
export function csrfToken(cookies: string): string | null {
  for (const part of cookies.split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === 'attune_csrf' && value.length > 0) return decodeURIComponent(value.join('='));
  }
  return null;
}

/** Reads the studio's error body, or makes a plain sentence when the answer is not one. */
export async function failure(response: Response): Promise<ApiError> {
  const retry = Number(response.headers.get('retry-after'));
  const retryAfter = Number.isFinite(retry) && retry > 0 ? retry : null;
  try {
    const body = (await response.json()) as { error?: { code?: unknown; message?: unknown } };
    const code = typeof body.error?.code === 'string' ? body.error.code : `http-${response.status}`;
    const message =
      typeof body.error?.message === 'string'
        ? body.error.message
        : `The studio answered ${response.status} ${response.statusText}.`;
    return new ApiError(response.status, code, message, retryAfter);
  } catch {
    return new ApiError(
      response.status,
      `http-${response.status}`,
      `The studio answered ${response.status} ${response.statusText}.`,
      retryAfter,
    );
  }
}

/** How the client reaches the studio; the browser's by default, replaceable for tests. */
export interface Transport {
  fetch(input: string, init?: RequestInit): Promise<Response>;
  cookies(): string;
}

export const browserTransport: Transport = {
  fetch: (input, init) => fetch(input, init),
  cookies: () => document.cookie,
};

/**
 * Sends one request to the studio, as JSON when there is a body; a change carries the CSRF header,
 * and a page that has no cookie yet asks for it first with `askState` (GET /api/state sets it).
 * Unreachable, or a refusal, throws an {@link ApiError} with the studio's code and sentence.
 */
export async function send(
  transport: Transport,
  method: string,
  path: string,
  body: unknown,
  askState: () => Promise<unknown>,
): Promise<Response> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (method !== 'GET') {
    let token = csrfToken(transport.cookies());
    if (token === null) {
      await askState();
      token = csrfToken(transport.cookies());
    }
    if (token !== null) headers['x-attune-csrf'] = token;
  }
  if (body !== undefined) headers['content-type'] = 'application/json';
  let response: Response;
  try {
    response = await transport.fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
  } catch {
    throw new ApiError(0, 'offline', 'The studio cannot be reached. Check the connection and try again.');
  }
  if (!response.ok) throw await failure(response);
  return response;
}

/** The studio's HTTP API. */
export class StudioApi {
  constructor(private readonly transport: Transport = browserTransport) {}

  private async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await send(this.transport, method, path, body, () => this.state());
    if (response.status === 204) return undefined as T;
    return (await response.json()) as T;
  }

  /** Whether the studio needs its first account, and who is logged in. */
  state(): Promise<StudioState> {
    return this.request('GET', '/api/state');
  }

  /** Creates the first (admin) account and logs it in. */
  async setup(name: string, email: string, password: string): Promise<User> {
    return (await this.request<{ user: User }>('POST', '/api/setup', { name, email, password })).user;
  }

  async login(email: string, password: string): Promise<User> {
    return (await this.request<{ user: User }>('POST', '/api/login', { email, password })).user;
  }

  logout(): Promise<void> {
    return this.request('POST', '/api/logout');
  }

  async sessions(): Promise<Session[]> {
    return (await this.request<{ sessions: Session[] }>('GET', '/api/sessions')).sessions;
  }

  /** A session, with the room's key while it is live (for the console to connect). */
  session(id: string): Promise<{ session: Session; key?: string }> {
    return this.request('GET', `/api/sessions/${encodeURIComponent(id)}`);
  }

  startSession(title?: string): Promise<{ session: Session; key: string }> {
    return this.request('POST', '/api/sessions', title ? { title } : {});
  }

  async endSession(id: string): Promise<Session> {
    return (await this.request<{ session: Session }>('POST', `/api/sessions/${encodeURIComponent(id)}/end`))
      .session;
  }

  /** Reopens the room of an open session left by a restart; its log continues. */
  resumeSession(id: string): Promise<{ session: Session; key: string }> {
    return this.request('POST', `/api/sessions/${encodeURIComponent(id)}/resume`);
  }

  /** Events of the session log after `after` (a seq), oldest first, at most `limit`. */
  async events(id: string, after?: number, limit = 500): Promise<LoggedEvent[]> {
    const query = `${after === undefined ? '' : `after=${after}&`}limit=${limit}`;
    return (
      await this.request<{ events: LoggedEvent[] }>(
        'GET',
        `/api/sessions/${encodeURIComponent(id)}/events?${query}`,
      )
    ).events;
  }
}

/** The app's one client. */
export const api = new StudioApi();
