/** The studio's HTTP API as the web app meets it: real HTTP against `startStudio` on SQLite. */
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { lanAddress } from './http/join-origin.ts';
import { Browser, loggedIn, tempStudio } from './test-support.ts';

const anna = { name: 'Anna Berg', email: 'anna@clinic.example', password: 'correct horse battery' };
const ben = { name: 'Ben Ode', email: 'ben@clinic.example', password: 'another long secret' };

type Running = Awaited<ReturnType<typeof tempStudio>>;
let studio: Running;

beforeEach(async () => {
  studio = await tempStudio({ companion: false });
});
afterEach(async () => {
  await studio.close();
});

describe('first setup', () => {
  it('asks for setup, makes the first admin once, and logs them in', async () => {
    const browser = new Browser(studio.url);
    const state = await browser.state();
    expect(state.status).toBe(200);
    expect(state.body).toEqual({ setupNeeded: true, user: null, protocol: 1 });

    const made = await browser.request('POST', '/api/setup', anna);
    expect(made.status).toBe(201);
    expect(made.body.user).toMatchObject({ name: 'Anna Berg', email: 'anna@clinic.example', role: 'admin' });
    expect((await browser.request('GET', '/api/me')).body.user.id).toBe(made.body.user.id);
    expect((await browser.state()).body).toMatchObject({ setupNeeded: false, user: { role: 'admin' } });

    const again = new Browser(studio.url);
    await again.state();
    const second = await again.request('POST', '/api/setup', ben);
    expect(second.status).toBe(409);
    expect(second.body).toEqual({
      error: { code: 'already-set-up', message: 'This studio is already set up.' },
    });
    expect(
      (await again.request('POST', '/api/login', { email: ben.email, password: ben.password })).status,
    ).toBe(401);
  });

  it('lets only one of two racing setups through', async () => {
    const [a, b] = [new Browser(studio.url), new Browser(studio.url)];
    await Promise.all([a.state(), b.state()]);
    const answers = await Promise.all([
      a.request('POST', '/api/setup', anna),
      b.request('POST', '/api/setup', ben),
    ]);
    expect(answers.map((x) => x.status).sort()).toEqual([201, 409]);
    const admin = answers[0]?.status === 201 ? a : b;
    expect((await admin.request('GET', '/api/therapists')).body.therapists).toHaveLength(1);
  });

  it('refuses a short password and a malformed body, and nothing is set up', async () => {
    const browser = new Browser(studio.url);
    await browser.state();
    const weak = await browser.request('POST', '/api/setup', { ...anna, password: 'short' });
    expect(weak.status).toBe(400);
    expect(weak.body.error.code).toBe('weak-password');
    const extra = await browser.request('POST', '/api/setup', { ...anna, admin: true });
    expect(extra.status).toBe(400);
    expect(extra.body.error.code).toBe('invalid');
    expect(extra.body.error.message).toBe('The body has a field it does not take: admin.');
    const missing = await browser.request('POST', '/api/setup', { name: 'Anna' });
    expect(missing.body.error).toEqual({ code: 'invalid', message: 'The body lacks the field email.' });
    const wrongType = await browser.request('POST', '/api/setup', { ...anna, password: 1234567890123 });
    expect(wrongType.body.error).toMatchObject({ code: 'invalid' });
    const notJson = await browser.request('POST', '/api/setup', undefined, { raw: '{"name":' });
    expect(notJson.status).toBe(400);
    expect(notJson.body.error.code).toBe('malformed');
    const huge = await browser.request('POST', '/api/setup', { ...anna, name: 'x'.repeat(40_000) });
    expect(huge.status).toBe(413);
    expect(huge.body.error.code).toBe('too-large');
    expect((await browser.state()).body.setupNeeded).toBe(true);
  });
});

describe('login', () => {
  beforeEach(async () => {
    await loggedIn(studio.url, anna, true);
  });

  it('logs in and out with cookies that scripts and other sites cannot use', async () => {
    const browser = await loggedIn(studio.url, anna, false);
    const session = browser.setCookies.find((c) => c.startsWith('attune_session='));
    expect(session).toMatch(/HttpOnly/i);
    expect(session).toMatch(/SameSite=Strict/i);
    expect(session).toMatch(/Path=\//);
    expect(session).not.toMatch(/Secure/i);
    const csrf = browser.setCookies.find((c) => c.startsWith('attune_csrf='));
    expect(csrf).toMatch(/SameSite=Strict/i);
    expect(csrf).not.toMatch(/HttpOnly/i);

    expect((await browser.request('GET', '/api/me')).status).toBe(200);
    const out = await browser.request('POST', '/api/logout');
    expect(out.status).toBe(204);
    const me = await browser.request('GET', '/api/me');
    expect(me.status).toBe(401);
    expect(me.body.error.code).toBe('not-logged-in');
  });

  it('marks cookies Secure when the request came over https through a trusted proxy', async () => {
    const proxied = await tempStudio({ trustProxy: true });
    try {
      const browser = new Browser(proxied.url);
      await browser.request('GET', '/api/state', undefined, { headers: { 'x-forwarded-proto': 'https' } });
      expect(browser.setCookies.find((c) => c.startsWith('attune_csrf='))).toMatch(/Secure/);
    } finally {
      await proxied.close();
    }
  });

  it('marks cookies Secure everywhere when told to (ATTUNE_SECURE_COOKIES=1)', async () => {
    const secure = await tempStudio({ secureCookies: true });
    try {
      const browser = new Browser(secure.url);
      await browser.state();
      expect(browser.setCookies.find((c) => c.startsWith('attune_csrf='))).toMatch(/; Secure/);
    } finally {
      await secure.close();
    }
  });

  it('a logged-out session cookie replayed opens nothing', async () => {
    const browser = await loggedIn(studio.url, anna, false);
    const stolen = new Map(browser.cookies);
    await browser.request('POST', '/api/logout');
    const thief = new Browser(studio.url);
    for (const [k, v] of stolen) thief.cookies.set(k, v);
    expect((await thief.request('GET', '/api/me')).status).toBe(401);
  });

  it('answers a wrong password or unknown email alike, and logs in with any capitals in the email', async () => {
    const browser = new Browser(studio.url);
    await browser.state();
    const wrong = await browser.request('POST', '/api/login', {
      email: anna.email,
      password: 'not the one!',
    });
    const nobody = await browser.request('POST', '/api/login', { email: 'no@one.example', password: 'x' });
    expect(wrong.status).toBe(401);
    expect(nobody.body).toEqual(wrong.body);
    expect(wrong.body.error.code).toBe('bad-credentials');
    const ok = await browser.request('POST', '/api/login', {
      email: 'Anna@Clinic.Example',
      password: anna.password,
    });
    expect(ok.status).toBe(200);
  });

  it('locks an address out after five failures, with Retry-After, even for the right password', async () => {
    const browser = new Browser(studio.url);
    await browser.state();
    const statuses: number[] = [];
    let last = null as Awaited<ReturnType<Browser['request']>> | null;
    for (let i = 0; i < 5; i++) {
      last = await browser.request('POST', '/api/login', {
        email: anna.email,
        password: `guess number ${i}`,
      });
      statuses.push(last.status);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 429]);
    expect(last?.headers.get('retry-after')).toBe('300');
    const right = await browser.request('POST', '/api/login', { email: anna.email, password: anna.password });
    expect(right.status).toBe(429);
    expect(right.body.error.code).toBe('too-many-attempts');
    expect(Number(right.headers.get('retry-after'))).toBeGreaterThan(290);
    expect(browser.cookies.has('attune_session')).toBe(false);
  });
});

describe('cross-site request forgery', () => {
  it('refuses a state change without the CSRF header, with a wrong one, or from another origin', async () => {
    const browser = new Browser(studio.url);
    await browser.state();
    const none = await browser.request('POST', '/api/setup', anna, { csrf: false });
    expect(none.status).toBe(403);
    expect(none.body.error.code).toBe('csrf');
    const wrong = await browser.request('POST', '/api/setup', anna, {
      csrf: false,
      headers: { 'x-attune-csrf': 'not-the-cookie' },
    });
    expect(wrong.status).toBe(403);
    const foreign = await browser.request('POST', '/api/setup', anna, {
      headers: { origin: 'https://evil.example' },
    });
    expect(foreign.status).toBe(403);
    expect(foreign.body.error.code).toBe('csrf');
    // A form post from another site: no header, and a content type the API does not take.
    const form = await browser.request('POST', '/api/setup', undefined, {
      csrf: false,
      raw: 'name=x',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(form.status).toBe(403);
    expect((await browser.state()).body.setupNeeded).toBe(true);
    const own = await browser.request('POST', '/api/setup', anna, { headers: { origin: studio.url } });
    expect(own.status).toBe(201);
  });
});

describe('therapist accounts', () => {
  it('an admin adds a therapist; a therapist may not list or add accounts', async () => {
    const admin = await loggedIn(studio.url, anna, true);
    const made = await admin.request('POST', '/api/therapists', ben);
    expect(made.status).toBe(201);
    expect(made.body.user).toMatchObject({ name: 'Ben Ode', role: 'therapist' });
    expect((await admin.request('POST', '/api/therapists', ben)).body.error.code).toBe('email-taken');
    const list = await admin.request('GET', '/api/therapists');
    expect(list.body.therapists.map((t: { name: string }) => t.name)).toEqual(['Anna Berg', 'Ben Ode']);
    expect(JSON.stringify(list.body)).not.toMatch(/argon2/);

    const therapist = await loggedIn(studio.url, ben, false);
    const refused = await therapist.request('GET', '/api/therapists');
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('admin-only');
    const add = await therapist.request('POST', '/api/therapists', { ...ben, email: 'c@clinic.example' });
    expect(add.status).toBe(403);
    expect((await admin.request('GET', '/api/therapists')).body.therapists).toHaveLength(2);
  });
});

describe('live sessions', () => {
  it('starts, lists, shows and ends a session, keeping its log', async () => {
    const admin = await loggedIn(studio.url, anna, true);
    const started = await admin.request('POST', '/api/sessions', { title: 'Tuesday group' });
    expect(started.status).toBe(201);
    const { session, key } = started.body;
    expect(session).toMatchObject({
      title: 'Tuesday group',
      status: 'open',
      live: true,
      events: 0,
      therapist: 'Anna Berg',
      endedAt: null,
    });
    expect(session.code).toMatch(/^[A-Z2-9]{6}$/);
    expect(session.joinUrl).toMatch(new RegExp(`^http://[^/]+:${studio.port}/join/${session.code}$`));
    // Opened on localhost, the link names the machine's address on the network, for the tablets.
    if (lanAddress() !== null) expect(session.joinUrl).toContain(`//${lanAddress()}:`);
    expect(key.length).toBeGreaterThanOrEqual(32);

    const got = await admin.request('GET', `/api/sessions/${session.id}`);
    expect(got.body).toEqual({ session, key });
    const untitled = await admin.request('POST', '/api/sessions');
    expect(untitled.status).toBe(201);
    expect(untitled.body.session.title).toMatch(/^Session of \d{4}-\d\d-\d\d \d\d:\d\d$/);
    const list = await admin.request('GET', '/api/sessions');
    expect(list.body.sessions.map((s: { id: string }) => s.id)).toContain(session.id);

    const ended = await admin.request('POST', `/api/sessions/${session.id}/end`);
    expect(ended.status).toBe(200);
    expect(ended.body.session).toMatchObject({ status: 'closed', live: false, code: null, joinUrl: null });
    expect(ended.body.session.endedAt).toMatch(/^\d{4}-/);
    const after = await admin.request('GET', `/api/sessions/${session.id}`);
    expect(after.body.key).toBeUndefined();
    const resume = await admin.request('POST', `/api/sessions/${session.id}/resume`);
    expect(resume.status).toBe(409);
    expect(resume.body.error.code).toBe('closed');
  });

  it("keeps each therapist's sessions their own; an admin sees all but gets no one else's key", async () => {
    const admin = await loggedIn(studio.url, anna, true);
    await admin.request('POST', '/api/therapists', ben);
    await admin.request('POST', '/api/therapists', { ...ben, name: 'Cleo', email: 'cleo@clinic.example' });
    const b = await loggedIn(studio.url, ben, false);
    const c = await loggedIn(studio.url, { ...ben, email: 'cleo@clinic.example' }, false);
    const mine = (await b.request('POST', '/api/sessions', { title: 'Ben and Sam' })).body.session;

    for (const [method, path] of [
      ['GET', `/api/sessions/${mine.id}`],
      ['POST', `/api/sessions/${mine.id}/end`],
      ['POST', `/api/sessions/${mine.id}/resume`],
      ['GET', `/api/sessions/${mine.id}/events`],
    ] as const) {
      const answer = await c.request(method, path);
      expect(answer.status, `${method} ${path}`).toBe(404);
      expect(answer.body.error.code).toBe('not-found');
    }
    expect((await c.request('GET', '/api/sessions')).body.sessions).toEqual([]);
    expect((await b.request('GET', `/api/sessions/${mine.id}`)).body.session).toMatchObject({
      status: 'open',
      live: true,
    });

    const seen = await admin.request('GET', `/api/sessions/${mine.id}`);
    expect(seen.body.session.therapist).toBe('Ben Ode');
    expect(seen.body.key).toBeUndefined();
    expect((await admin.request('GET', '/api/sessions')).body.sessions).toHaveLength(1);
    expect((await admin.request('POST', `/api/sessions/${mine.id}/resume`)).status).toBe(403);
    expect((await admin.request('POST', `/api/sessions/${mine.id}/end`)).body.session.status).toBe('closed');
  });

  it('needs a login, and says which session does not exist', async () => {
    const browser = new Browser(studio.url);
    await browser.state();
    expect((await browser.request('POST', '/api/sessions', {})).status).toBe(401);
    expect((await browser.request('GET', '/api/sessions')).status).toBe(401);
    const admin = await loggedIn(studio.url, anna, true);
    expect((await admin.request('GET', '/api/sessions/nope')).status).toBe(404);
    expect((await admin.request('GET', '/api/sessions/bad%20id')).body.error.code).toBe('invalid');
    const badTitle = await admin.request('POST', '/api/sessions', { title: 7 });
    expect(badTitle.body.error.code).toBe('invalid');
    expect((await admin.request('GET', '/api/sessions')).body.sessions).toEqual([]);
  });
});

describe('other routes', () => {
  it('answers health checks, unknown API routes and plain GETs of /ws clearly', async () => {
    const browser = new Browser(studio.url);
    expect((await browser.request('GET', '/healthz')).body).toEqual({ ok: true });
    const unknown = await browser.request('GET', '/api/nothing');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('not-found');
    const ws = await browser.request('GET', '/ws');
    expect(ws.status).toBe(426);
  });
});

afterAll(() => {});
