/**
 * The studio: one HTTP server (Fastify) for the API, the web app and the live rooms' WebSocket at
 * `/ws`, over one store (SQLite under the data folder, or PostgreSQL). `startStudio` is what
 * `main.ts` runs and what the tests start in-process.
 *
 * On start, sessions left open by a stop or a crash are listed as open but not live; their
 * therapist can resume them (the room reopens and its log continues) or end them.
 */
import type { IncomingMessage } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyCookie from '@fastify/cookie';
import Ajv from 'ajv';
import Fastify, { type RouteOptions } from 'fastify';
import { Accounts } from './accounts/accounts.ts';
import { AttemptLimit, type AttemptRule, LOGIN_RULE } from './accounts/attempt-limit.ts';
import { Audit } from './accounts/audit.ts';
import { AuthSessions } from './accounts/auth-sessions.ts';
import { Cluster, type ClusterOptions, NEEDS_POSTGRES } from './cluster/index.ts';
import { installErrorHandler } from './http/errors.ts';
import { type CookiePolicy, checkCsrf } from './http/security.ts';
import { LiveSessions } from './live/live-sessions.ts';
import { Summaries } from './review/summaries.ts';
import { DEFAULT_GUESS_LIMIT, type GuessLimit, RoomDirectory, realScheduler } from './room/index.ts';
import { accountRoutes } from './routes/accounts.ts';
import { exportRoutes } from './routes/exports.ts';
import { markRoutes } from './routes/marks.ts';
import { ratingRoutes } from './routes/ratings.ts';
import { recordRoutes } from './routes/records.ts';
import { sessionRoutes } from './routes/sessions.ts';
import { shareRoutes } from './routes/shares.ts';
import { openStore, type Store } from './storage/index.ts';
import { serveWebApp } from './web-app.ts';
import { RoomGate } from './ws.ts';

/** Where the web app is built by default. */
export const DEFAULT_WEB_DIR = join(fileURLToPath(new URL('.', import.meta.url)), '..', '..', 'web', 'dist');

/** Largest API request body. */
const BODY_LIMIT = 16 * 1024;

/** How a studio is started. */
export interface StudioOptions {
  /** Port to listen on (0: any free port; default 8080). */
  readonly port?: number;
  /** Address to listen on (default every IPv4 interface, so devices on the LAN can join). */
  readonly host?: string;
  /** Folder of the SQLite file (and later recordings). */
  readonly dataDir: string;
  /** postgres://... selects PostgreSQL. */
  readonly databaseUrl?: string;
  /**
   * Redis, for rooms spanning several studio instances behind a load balancer (see `cluster/`);
   * needs `databaseUrl`, since the instances must share one database.
   */
  readonly redisUrl?: string;
  /** Key prefix and timing of the cluster (with `redisUrl`; tests use a prefix of their own). */
  readonly cluster?: Pick<ClusterOptions, 'prefix' | 'beat' | 'ttl' | 'answerWithin'>;
  /** Folder of the built web app. */
  readonly webDir?: string;
  /** Wall-clock milliseconds (default Date.now). */
  readonly now?: () => number;
  /** Monotonic seconds (default performance.now() / 1000). */
  readonly monotonic?: () => number;
  /** Secure on every cookie even over plain http (behind a TLS-terminating proxy). */
  readonly secureCookies?: boolean;
  /** Trust X-Forwarded-* headers for the client's address, protocol and host. */
  readonly trustProxy?: boolean;
  /** Failed logins allowed per address (default 5 a minute, then 5 minutes' lockout). */
  readonly loginRule?: AttemptRule;
  /** Wrong room codes allowed per address (the room directory's default otherwise). */
  readonly guessLimit?: GuessLimit;
  /** Whether rooms run the companion (default true). */
  readonly companion?: boolean;
  /** Seconds between WebSocket pings; a link silent through one is ended (default 30). */
  readonly heartbeat?: number;
  /** Where failures the studio survives are reported (default stderr). */
  readonly onError?: (error: unknown, where: string) => void;
  /**
   * Told of every route as it is registered, and may add hooks to it (the access sweep test lists
   * every route and checks that each of its calls reached the route it meant).
   */
  readonly onRoute?: (route: RouteOptions) => void;
}

/** A running studio. */
export interface Studio {
  /** http://localhost:PORT */
  readonly url: string;
  readonly port: number;
  readonly store: Store;
  /**
   * The session clock of a live session's room, or null when none runs: lets a benchmark or a
   * test compare what a device estimates with the truth.
   */
  sessionClock(id: string): (() => number) | null;
  /** Stops taking requests, closes every room (sessions stay open, to be resumed) and the store. */
  close(): Promise<void>;
}

/** The client's address, as the guess and login limits count it. */
function peerOf(request: IncomingMessage, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = request.headers['x-forwarded-for'];
    const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim();
    if (first) return first;
  }
  return request.socket.remoteAddress ?? 'unknown';
}

/** Starts a studio. */
export async function startStudio(options: StudioOptions): Promise<Studio> {
  const now = options.now ?? Date.now;
  const monotonic = options.monotonic ?? (() => performance.now() / 1000);
  const onError =
    options.onError ??
    ((error: unknown, where: string) =>
      console.error(
        `Attune: ${where}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      ));

  if (options.redisUrl && !options.databaseUrl) throw new Error(NEEDS_POSTGRES);
  const store = await openStore({ dataDir: options.dataDir, databaseUrl: options.databaseUrl, onError });
  // With Redis, this instance is one of several sharing the rooms; without, it is the only one.
  let cluster: Cluster | null = null;
  try {
    if (options.redisUrl)
      cluster = await Cluster.join({
        url: options.redisUrl,
        guesses: options.guessLimit ?? DEFAULT_GUESS_LIMIT,
        onError,
        ...options.cluster,
      });
    return await serve(options, store, now, monotonic, onError, cluster);
  } catch (error) {
    await cluster?.close();
    await store.close();
    throw error;
  }
}

async function serve(
  options: StudioOptions,
  store: Store,
  now: () => number,
  monotonic: () => number,
  onError: (error: unknown, where: string) => void,
  cluster: Cluster | null,
): Promise<Studio> {
  const wallIso = () => new Date(now()).toISOString();
  const directory: RoomDirectory = new RoomDirectory({
    now: monotonic,
    scheduler: realScheduler,
    onError,
    awaited: (code) => live.awaits(code),
    ...(options.guessLimit ? { guesses: options.guessLimit } : {}),
    ...(cluster ? { router: cluster.router, codeInTokens: true } : {}),
  });
  const live: LiveSessions = new LiveSessions({
    log: store.sessions,
    journal: store.journal,
    directory,
    monotonic,
    now,
    companion: options.companion ?? true,
    onError,
    ...(cluster ? { registry: cluster.sessions } : {}),
  });
  cluster?.attach(directory, live);
  await live.load();
  const cookies: CookiePolicy = { alwaysSecure: options.secureCookies ?? false };
  const ctx = {
    accounts: new Accounts(store.db, wallIso),
    authSessions: new AuthSessions(store.db, now),
    audit: new Audit(store.db, wallIso),
    live,
    loginLimit: new AttemptLimit(options.loginRule ?? LOGIN_RULE, monotonic),
    cookies,
  };

  // Bodies are checked as sent: no coercion, no defaults, no silently dropped fields. Queries
  // and parameters arrive as text, so numbers in them are read as numbers.
  const strict = new Ajv({
    allErrors: false,
    coerceTypes: false,
    useDefaults: false,
    removeAdditional: false,
  });
  const lenient = new Ajv({
    allErrors: false,
    coerceTypes: true,
    useDefaults: false,
    removeAdditional: false,
  });
  const app = Fastify({
    logger: false,
    bodyLimit: BODY_LIMIT,
    trustProxy: options.trustProxy ?? false,
    return503OnClosing: true,
    forceCloseConnections: true,
  });
  app.setValidatorCompiler(({ schema, httpPart }) =>
    (httpPart === 'body' ? strict : lenient).compile(schema),
  );
  if (options.onRoute) app.addHook('onRoute', options.onRoute);
  installErrorHandler(app, onError);
  // An empty body is an empty object, so `POST /api/logout` needs no body.
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text.trim() === '') {
      done(null, {});
      return;
    }
    try {
      done(null, JSON.parse(text));
    } catch {
      done(Object.assign(new Error('The request body is not valid JSON.'), { statusCode: 400 }), undefined);
    }
  });
  app.addHook('preValidation', async (request) => {
    if (request.body === undefined && request.method !== 'GET' && request.method !== 'HEAD')
      request.body = {};
  });
  await app.register(fastifyCookie);
  app.addHook('onRequest', async (request) => checkCsrf(request));
  app.addHook('onSend', async (request, reply, payload) => {
    if (request.url.startsWith('/api/')) void reply.header('cache-control', 'no-store');
    // No page of the studio is framed by another site, sniffed as another type, or tells other
    // sites its address (a join link carries the room code).
    void reply.headers({
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
      'referrer-policy': 'no-referrer',
    });
    return payload;
  });

  app.get('/healthz', async () => ({ ok: true }));
  accountRoutes(app, ctx);
  sessionRoutes(app, ctx);
  // One summary thread for the studio: the review, the MIDI export and the assessment share it.
  const summaries = new Summaries(store.db, wallIso);
  app.addHook('onClose', () => summaries.close());
  markRoutes(app, ctx, store.db, wallIso, summaries);
  recordRoutes(app, ctx, store.db, wallIso);
  exportRoutes(app, ctx, store.db, { dataDir: options.dataDir, wallIso, onError, summaries });
  shareRoutes(app, ctx, store.db, { dataDir: options.dataDir, wallClock: wallIso, monotonic, onError });
  ratingRoutes(app, ctx, store.db, wallIso, summaries);
  await serveWebApp(app, options.webDir ?? DEFAULT_WEB_DIR);

  const gate = new RoomGate(app.server, {
    directory: cluster ?? directory,
    peerOf: (request) => peerOf(request, options.trustProxy ?? false),
    ...(options.heartbeat !== undefined ? { heartbeat: options.heartbeat } : {}),
  });

  try {
    await app.listen({ port: options.port ?? 8080, host: options.host ?? '0.0.0.0' });
  } catch (error) {
    gate.close();
    cluster?.leave();
    await live.shutdown();
    throw error;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : (options.port ?? 8080);

  let closing: Promise<void> | null = null;
  return {
    url: `http://localhost:${port}`,
    port,
    store,
    sessionClock: (id) => live.clockOf(id),
    close() {
      closing ??= (async () => {
        gate.close();
        // Devices bridged here from other instances are sent away before the rooms close, so
        // they hear going-away (and resume later), not that the session ended.
        cluster?.leave();
        await live.shutdown();
        await app.close();
        await cluster?.close();
        await store.close();
      })();
      return closing;
    },
  };
}
