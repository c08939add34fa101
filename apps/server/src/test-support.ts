/**
 * What the studio's HTTP and WebSocket tests share: a studio started in a temporary folder, a
 * browser-like client that keeps cookies and sends the CSRF header as the web app does, and a
 * WebSocket device that checks every message it receives against the protocol's schemas.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type ClientMessage,
  encode,
  PROTOCOL_VERSION,
  parseServerMessage,
  type ServerMessage,
  type ServerMessageOf,
  type ServerType,
} from '@attune/protocol';
import WebSocket from 'ws';
import { type Studio, type StudioOptions, startStudio } from './app.ts';

/** A studio on SQLite in a fresh temporary folder, removed again by `close`. */
export async function tempStudio(options: Partial<StudioOptions> = {}): Promise<Studio & { dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'attune-studio-'));
  const studio = await startStudio({
    port: 0,
    host: '127.0.0.1',
    dataDir: join(dir, 'data'),
    webDir: join(dir, 'no-web-app'),
    onError: () => {},
    ...options,
  });
  return {
    ...studio,
    dir,
    async close() {
      await studio.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** An answer as a test reads it. */
export interface Answer {
  readonly status: number;
  readonly headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: tests read whatever the API answered
  readonly body: any;
}

/** A browser as the API sees it: cookies kept and sent back, the CSRF header added as the app does. */
export class Browser {
  readonly cookies = new Map<string, string>();
  /** Every Set-Cookie line received, for checking flags. */
  readonly setCookies: string[] = [];

  constructor(readonly base: string) {}

  /** GET /api/state, which hands out the CSRF cookie. */
  state(): Promise<Answer> {
    return this.request('GET', '/api/state');
  }

  async request(
    method: string,
    path: string,
    body?: unknown,
    options: { csrf?: boolean; headers?: Record<string, string>; raw?: string } = {},
  ): Promise<Answer> {
    const headers: Record<string, string> = { ...options.headers };
    if (this.cookies.size > 0) headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const csrf = this.cookies.get('attune_csrf');
    if (options.csrf !== false && csrf && method !== 'GET') headers['x-attune-csrf'] = csrf;
    let payload: string | undefined = options.raw;
    if (body !== undefined) payload = JSON.stringify(body);
    if (payload !== undefined) headers['content-type'] ??= 'application/json';
    const res = await fetch(`${this.base}${path}`, {
      method,
      headers,
      redirect: 'manual',
      ...(payload !== undefined ? { body: payload } : {}),
    });
    for (const line of res.headers.getSetCookie()) {
      this.setCookies.push(line);
      const [pair] = line.split(';');
      const eq = (pair ?? '').indexOf('=');
      const name = (pair ?? '').slice(0, eq).trim();
      const value = (pair ?? '').slice(eq + 1).trim();
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    const text = await res.text();
    let parsed: unknown = text;
    if ((res.headers.get('content-type') ?? '').includes('application/json') && text !== '')
      parsed = JSON.parse(text);
    return { status: res.status, headers: res.headers, body: parsed };
  }
}

/** A therapist logged in on a fresh browser (the first account sets the studio up). */
export async function loggedIn(
  base: string,
  account: { name: string; email: string; password: string },
  setup: boolean,
): Promise<Browser> {
  const browser = new Browser(base);
  await browser.state();
  const answer = setup
    ? await browser.request('POST', '/api/setup', account)
    : await browser.request('POST', '/api/login', { email: account.email, password: account.password });
  if (answer.status !== (setup ? 201 : 200))
    throw new Error(`could not log in: ${answer.status} ${JSON.stringify(answer.body)}`);
  return browser;
}

/** A device on a real WebSocket: every server message checked against its schema and kept. */
export class WsDevice {
  readonly received: ServerMessage[] = [];
  readonly invalid: string[] = [];
  closed: { code: number; reason: string } | null = null;
  private waiters: Array<() => void> = [];

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const checked = parseServerMessage(data.toString());
      if (checked.ok) this.received.push(checked.message);
      else this.invalid.push(data.toString());
      this.wake();
    });
    ws.on('close', (code, reason) => {
      this.closed = { code, reason: reason.toString() };
      this.wake();
    });
    ws.on('error', () => {});
  }

  /** Opens a connection to a studio's `/ws`. */
  static async open(base: string, options: WebSocket.ClientOptions = {}): Promise<WsDevice> {
    const ws = new WebSocket(`${base.replace(/^http/, 'ws')}/ws`, options);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    return new WsDevice(ws);
  }

  send(message: ClientMessage): void {
    this.ws.send(encode(message));
  }

  sendRaw(data: string | Buffer, binary = false): void {
    this.ws.send(data, { binary });
  }

  /** Says hello as the protocol's first message. */
  hello(fields: Omit<Extract<ClientMessage, { type: 'hello' }>, 'type' | 'protocol'>): void {
    this.send({ type: 'hello', protocol: PROTOCOL_VERSION, ...fields });
  }

  /** Waits for the next message of a type received after `from` (an index into `received`). */
  async next<T extends ServerType>(
    type: T,
    where: (m: ServerMessageOf<T>) => boolean = () => true,
    timeoutMs = 5000,
  ): Promise<ServerMessageOf<T>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.received.find((m) => m.type === type && where(m as ServerMessageOf<T>));
      if (found) return found as ServerMessageOf<T>;
      if (this.closed) throw new Error(`closed (${this.closed.code} ${this.closed.reason}) before ${type}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no ${type} within ${timeoutMs} ms; got ${this.types().join(', ')}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Waits for the server to close the connection. */
  async closedWithin(timeoutMs = 5000): Promise<{ code: number; reason: string }> {
    const deadline = Date.now() + timeoutMs;
    while (!this.closed) {
      if (Date.now() > deadline) throw new Error('the connection was not closed');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    return this.closed;
  }

  types(): string[] {
    return this.received.map((m) => m.type);
  }

  close(): void {
    this.ws.close();
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }
}
