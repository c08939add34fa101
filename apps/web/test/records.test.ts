/**
 * Client records in real Chromium against the real studio (`node --import tsx
 * apps/server/src/main.ts`, SQLite in a fresh folder). Three people on their own browsers: Ann
 * (the admin who set the studio up), Cara and Ben (therapists). Cara makes a client (after a
 * refused date of birth that changes nothing), edits their consent and sees them listed; Ben sees
 * neither the client nor, by the direct address, their record; Ann assigns Ben and he sees them.
 * Cara links a session, makes a group, exports the record as JSON and, last, erases it; Ann reads
 * the audit trail. Screenshots at tablet and laptop sizes go to /tmp/shots/records-*.png.
 */
import { mkdir, readFile } from 'node:fs/promises';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, launchSharedBrowser } from './support/browser.ts';
import { expectChromiumInCI } from './support/chromium-ci.ts';
import { collectErrors } from './support/page-errors.ts';
import { NodeRoom, deviceNow as now } from './support/room.ts';
import { startTestStudio, type TestStudio } from './support/studio.ts';
import { type StartedSession, Therapist } from './support/therapist.ts';

const SHOTS = '/tmp/shots';
const SETUP_TIMEOUT = 240_000;
const SIZES = [
  { name: 'tablet', width: 1024, height: 768 },
  { name: 'laptop', width: 1440, height: 900 },
] as const;

interface ClientRecord {
  id: string;
  name: string;
  consent: { recording: boolean; research: boolean; family: boolean };
  therapists: { id: string; name: string }[];
  sessions: { id: string }[];
}

expectChromiumInCI();

describe.skipIf(!hasChromium())('client records in the app', () => {
  let studio: TestStudio;
  let browser: Browser;
  let ann: Therapist;
  let cara: Therapist;
  let ben: Therapist;
  const pages: Record<'ann' | 'cara' | 'ben', Page> = {} as never;
  let session = '';
  let client = '';
  const errors: string[] = [];

  /** A therapist account made by the admin and logged in from Node. */
  async function account(name: string, email: string): Promise<Therapist> {
    await ann.request('POST', '/api/therapists', { name, email, password: 'a long enough password' });
    return Therapist.logIn(studio.origin, email, 'a long enough password');
  }

  /** A browser of its own for a person, logged in with their cookies. */
  async function pageFor(therapist: Therapist): Promise<Page> {
    const context = await browser.newContext({
      acceptDownloads: true,
      viewport: { width: 1440, height: 900 },
    });
    await therapist.logInto(context);
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    collectErrors(page, errors, { ignore: /the server responded with a status of 4\d\d/ });
    return page;
  }

  /**
   * A short session for real: Cara's console and one device per name join over `ws` as the pages
   * do, each player plays a note, so the recording holds seats p1, p2, ….
   */
  async function play(started: StartedSession, names: readonly string[]): Promise<void> {
    const room = await NodeRoom.open(studio.origin, started);
    for (const [i, name] of names.entries()) {
      const { player } = await room.admit(name);
      player.play({ type: 'note', pitch: 60 + i * 4, velocity: 80, duration: 0.3 }, now());
    }
    await room.acknowledged('every note recorded');
    room.close();
  }

  async function shoot(page: Page, name: string): Promise<void> {
    for (const size of SIZES) {
      await page.setViewportSize(size);
      await page.screenshot({ path: `${SHOTS}/records-${name}-${size.name}.png`, fullPage: true });
    }
    await page.setViewportSize({ width: 1440, height: 900 });
  }

  beforeAll(async () => {
    await mkdir(SHOTS, { recursive: true });
    studio = await startTestStudio();
    ann = await Therapist.setUp(studio.origin);
    cara = await account('Cara Diaz', 'cara@clinic.example');
    ben = await account('Ben Okafor', 'ben@clinic.example');
    const started = await cara.startSession('Tuesday, Mia');
    session = started.session.id;
    await play(started, ['SB', 'MIA']);
    await cara.request('POST', `/api/sessions/${session}/end`);
    browser = await launchSharedBrowser();
    pages.ann = await pageFor(ann);
    pages.cara = await pageFor(cara);
    pages.ben = await pageFor(ben);
  }, SETUP_TIMEOUT);

  afterAll(async () => {
    await browser?.close();
    await studio?.close();
  });

  it('Cara makes a client; a date of birth in the future is refused under its field and makes nothing', async () => {
    const page = pages.cara;
    await page.goto(`${studio.origin}/`);
    await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Clients' }).click();
    await page.getByText('No clients yet.').waitFor();
    await page.getByRole('button', { name: 'New client' }).click();
    await page.getByLabel('Full name', { exact: true }).fill('Mia Jansen');
    await page.getByLabel('Name in live rooms').fill('Mia');
    await page.getByLabel('Date of birth').fill('2099-01-01');
    await page.getByRole('checkbox', { name: /^Recording/ }).check();
    await page.getByRole('checkbox', { name: /^Family/ }).check();
    await page.getByLabel('Notes').fill('Loves the big drum; loud sounds near her ears upset her.');
    await page.getByRole('button', { name: 'Make the client' }).click();
    const said = page.getByText('Birth date must not be in the future, got: "2099-01-01".');
    await said.waitFor();
    expect(await page.getByLabel('Date of birth').getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByLabel('Date of birth').evaluate((e) => e === document.activeElement)).toBe(true);
    expect((await cara.request<{ clients: unknown[] }>('GET', '/api/clients')).clients).toEqual([]);

    await page.getByLabel('Date of birth').fill('2016-02-29');
    await page.getByRole('button', { name: 'Make the client' }).click();
    await page.getByRole('heading', { name: 'Mia Jansen' }).waitFor();
    client = new URL(page.url()).pathname.split('/')[2] ?? '';
    const record = (await cara.request<{ client: ClientRecord }>('GET', `/api/clients/${client}`)).client;
    expect(record.consent).toEqual({ recording: true, research: false, family: true });
    expect(record.therapists.map((t) => t.name)).toEqual(['Cara Diaz']);
  });

  it('Cara edits the consent and sees the client listed and found by name', async () => {
    const page = pages.cara;
    await page.getByRole('button', { name: 'Edit the record' }).click();
    // The form opens on its first field; a blank name is refused there and changes nothing.
    expect(
      await page.getByLabel('Full name', { exact: true }).evaluate((e) => e === document.activeElement),
    ).toBe(true);
    await page.getByLabel('Full name', { exact: true }).fill('   ');
    await page.getByRole('button', { name: 'Save the changes' }).click();
    await page.getByText('Name must not be blank.').waitFor();
    expect(await page.getByLabel('Full name', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    expect((await cara.request<{ client: ClientRecord }>('GET', `/api/clients/${client}`)).client.name).toBe(
      'Mia Jansen',
    );
    await page.getByLabel('Full name', { exact: true }).fill('Mia Jansen');
    await page.getByRole('checkbox', { name: /^Research/ }).check();
    await page.getByRole('checkbox', { name: /^Family/ }).uncheck();
    await page.getByRole('button', { name: 'Save the changes' }).click();
    await page.getByText('Research: yes').waitFor();
    expect(await page.getByTestId('consent').textContent()).toMatch(
      /Recording: yes\s*Research: yes\s*Family: no/,
    );
    const record = (await cara.request<{ client: ClientRecord }>('GET', `/api/clients/${client}`)).client;
    expect(record.consent).toEqual({ recording: true, research: true, family: false });
    await shoot(page, 'client');

    await page.getByRole('link', { name: 'Clients' }).click();
    const list = page.getByRole('list', { name: 'Clients' });
    await list.getByRole('link', { name: 'Mia Jansen' }).waitFor();
    await page.getByLabel('Find a client by name').fill('jansen');
    expect(await list.getByRole('listitem').count()).toBe(1);
    await page.getByLabel('Find a client by name').fill('okafor');
    await page.getByText("No client's name holds “okafor”.").waitFor();
    await page.getByLabel('Find a client by name').fill('');
    await shoot(page, 'clients');
  });

  it('Ben, not assigned, sees no client, and the direct address shows a not-found page', async () => {
    const page = pages.ben;
    await page.goto(`${studio.origin}/clients`);
    await page.getByText('No clients yet.').waitFor();
    await page.goto(`${studio.origin}/clients/${client}`);
    await page.getByRole('heading', { name: 'There is no client here' }).waitFor();
    expect(await page.content()).not.toContain('Mia');
    // The same page as for a client that does not exist.
    await page.goto(`${studio.origin}/clients/no-such-client`);
    await page.getByRole('heading', { name: 'There is no client here' }).waitFor();
    await shoot(page, 'not-found');
    // Ben is no admin: no admin link, and the admin page says it is not his.
    expect(await page.getByRole('link', { name: 'Admin' }).count()).toBe(0);
    await page.goto(`${studio.origin}/admin`);
    await page.getByRole('heading', { name: 'This page is for admins' }).waitFor();
  });

  it('Ann assigns Ben to the client and he then sees them', async () => {
    const page = pages.ann;
    await page.goto(`${studio.origin}/`);
    await page.getByRole('heading', { name: 'Sessions', exact: true }).waitFor();
    await shoot(page, 'home');
    await page.getByRole('link', { name: 'Admin' }).click();
    await page.getByRole('cell', { name: 'ben@clinic.example' }).waitFor();
    await page.getByLabel('Client or group').selectOption({ label: 'Mia Jansen' });
    await page.getByRole('checkbox', { name: 'Cara Diaz' }).waitFor();
    expect(await page.getByRole('checkbox', { name: 'Cara Diaz' }).isChecked()).toBe(true);
    await page.getByRole('checkbox', { name: 'Ben Okafor' }).check();
    await page.getByRole('button', { name: 'Save the assignment' }).click();
    await page.getByText('Saved: Mia Jansen is now assigned to').waitFor();
    const record = (await ann.request<{ client: ClientRecord }>('GET', `/api/clients/${client}`)).client;
    expect(record.therapists.map((t) => t.name).sort()).toEqual(['Ben Okafor', 'Cara Diaz']);

    await pages.ben.goto(`${studio.origin}/clients`);
    await pages.ben.getByRole('link', { name: 'Mia Jansen' }).click();
    await pages.ben.getByRole('heading', { name: 'Mia Jansen' }).waitFor();
  });

  it('Ann adds an account; a short password and a taken email are refused and add nobody', async () => {
    const page = pages.ann;
    const count = async () =>
      (await ann.request<{ therapists: unknown[] }>('GET', '/api/therapists')).therapists.length;
    const before = await count();
    await page.getByLabel('Name', { exact: true }).fill('Dee Fox');
    await page.getByLabel('Email address').fill('cara@clinic.example');
    await page.getByLabel('First password').fill('too short');
    await page.getByRole('button', { name: 'Add the account' }).click();
    await page
      .getByRole('alert')
      .filter({ hasText: 'The password needs at least 10 characters; it has 9.' })
      .waitFor();
    await page.getByLabel('First password').fill('a long enough password');
    await page.getByRole('button', { name: 'Add the account' }).click();
    await page
      .getByRole('alert')
      .filter({ hasText: 'There is already an account for cara@clinic.example.' })
      .waitFor();
    expect(await count()).toBe(before);

    await page.getByLabel('Email address').fill('dee@clinic.example');
    await page.getByRole('button', { name: 'Add the account' }).click();
    await page.getByRole('cell', { name: 'dee@clinic.example' }).waitFor();
    await page.getByText('Dee Fox can now log in with dee@clinic.example.').waitFor();
    expect(await count()).toBe(before + 1);
    expect(await page.getByLabel('First password').inputValue()).toBe('');
  });

  it('Cara links her session to the client, in a group she makes', async () => {
    const page = pages.cara;
    await page.goto(`${studio.origin}/groups`);
    await page.getByLabel('Name', { exact: true }).fill('Tuesday group');
    await page.getByRole('checkbox', { name: /Mia Jansen/ }).check();
    await page.getByRole('button', { name: 'Make the group' }).click();
    await page.getByRole('heading', { name: 'Tuesday group' }).waitFor();
    await page.getByLabel('Name', { exact: true }).fill('Tuesday music group');
    await page.getByRole('button', { name: 'Save the group' }).click();
    await page.getByRole('heading', { name: 'Tuesday music group' }).waitFor();
    await shoot(page, 'group');
    // Ben, not assigned to the group, gets the not-found page at its address.
    await pages.ben.goto(page.url());
    await pages.ben.getByRole('heading', { name: 'There is no group here' }).waitFor();
    expect(await pages.ben.content()).not.toContain('Tuesday');

    await page.goto(`${studio.origin}/clients/${client}`);
    await page.getByLabel('Link a session to Mia').selectOption(session);
    // The seats heard in the recording are offered; Mia played second.
    const seat = page.getByLabel('Seat', { exact: true });
    await seat.locator('option', { hasText: 'Seat 2 (p2)' }).waitFor({ state: 'attached' });
    expect(await seat.locator('option').allTextContents()).toEqual([
      'Not known',
      'Seat 1 (p1)',
      'Seat 2 (p2)',
    ]);
    await seat.selectOption('p2');
    await page.getByLabel('Group', { exact: true }).selectOption({ label: 'Tuesday music group' });
    await shoot(page, 'links');
    await page.getByRole('button', { name: 'Save the links' }).click();
    await page.getByRole('row', { name: /Tuesday, Mia/ }).waitFor();
    await page.getByRole('link', { name: 'Review Tuesday, Mia' }).waitFor();
    const record = (await cara.request<{ client: ClientRecord }>('GET', `/api/clients/${client}`)).client;
    expect(record.sessions.map((s) => s.id)).toEqual([session]);
    const links = await cara.request<{
      clients: { id: string; participant: string | null }[];
      group: { name: string } | null;
    }>('GET', `/api/sessions/${session}/record`);
    expect(links.clients.map((c) => c.id)).toEqual([client]);
    expect(links.clients.map((c) => c.participant)).toEqual(['p2']);
    await page.getByRole('row', { name: /Seat 2 \(p2\)/ }).waitFor();
    expect(links.group?.name).toBe('Tuesday music group');
  });

  it("Cara exports everything: a JSON file with the client's record and session", async () => {
    const page = pages.cara;
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export everything' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(
      new RegExp(`^attune-client-${client}-\\d{4}-\\d{2}-\\d{2}\\.json$`),
    );
    const exported = JSON.parse(await readFile((await download.path()) ?? '', 'utf8')) as {
      format: string;
      client: { name: string; birthDate: string; consent: unknown };
      sessions: { session: { id: string } }[];
    };
    expect(exported.format).toBe('attune-client-export');
    expect(exported.client).toMatchObject({
      name: 'Mia Jansen',
      birthDate: '2016-02-29',
      consent: { recording: true, research: true, family: false },
    });
    expect(exported.sessions.map((s) => s.session.id)).toEqual([session]);
  });

  it('Ann downloads the research export from the admin page: the consenting client, named by nothing of theirs', async () => {
    const page = pages.ann;
    await page.goto(`${studio.origin}/admin`);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download the research export' }).click(),
    ]);
    const text = await readFile((await download.path()) ?? '', 'utf8');
    const exported = JSON.parse(text) as {
      format: string;
      clients: { client: string; sessions: number }[];
      sessions: { clients: { client: string; participant: string; ageYears: number }[] }[];
    };
    expect(exported.format).toBe('attune-research-export');
    // Mia consented to research (edited above) and her session is linked, her seat p2: she is in it, once.
    expect(exported.clients).toHaveLength(1);
    expect(exported.clients[0]?.sessions).toBe(1);
    expect(exported.sessions[0]?.clients[0]).toMatchObject({ participant: 'p2', ageYears: 10 });
    for (const personal of ['Mia Jansen', 'Mia', '2016-02-29', client, session, 'Cara']) {
      expect(text).not.toContain(personal);
    }
  });

  it('Ann reads the audit trail, filtered by client, with names for ids', async () => {
    const page = pages.ann;
    await page.goto(`${studio.origin}/admin`);
    await page.getByLabel('Client', { exact: true }).selectOption({ label: 'Mia Jansen' });
    await page.getByRole('button', { name: 'Show the entries' }).click();
    const table = page.getByRole('table', { name: 'Audit entries' });
    await table.getByRole('row', { name: /Cara Diaz exported a client's record Mia Jansen/ }).waitFor();
    await table
      .getByRole('row', { name: /Ben Okafor tried to read a client's record: refused \(not assigned\)/ })
      .waitFor();
    await table
      .getByRole('row', { name: /Cara Diaz changed a client's record Mia Jansen consent\./ })
      .waitFor();
    await table.getByRole('row', { name: /Ann Lee assigned therapists to a client Mia Jansen/ }).waitFor();
    // Newest first: the export came after the assignment.
    const rows = await table.getByRole('row').allInnerTexts();
    const exportAt = rows.findIndex((r) => r.includes('exported'));
    const assignAt = rows.findIndex((r) => r.includes('assigned therapists'));
    expect(exportAt).toBeGreaterThan(0);
    expect(exportAt).toBeLessThan(assignAt);

    await page.getByLabel('Who').selectOption({ label: 'Ben Okafor' });
    await page.getByLabel('What').selectOption({ label: "refused: read a client's record" });
    await page.getByRole('button', { name: 'Show the entries' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: /^1 entry$/ })
      .waitFor();
    expect(await table.getByRole('row').count()).toBe(2); // the header and one entry
    await table.getByRole('row', { name: /refused \(not assigned\)/ }).waitFor();

    // A range that ends before today holds nothing of today's.
    await page.getByLabel('Who').selectOption({ label: 'Anyone' });
    await page.getByLabel('What').selectOption({ label: 'Anything' });
    await page.getByLabel('To', { exact: true }).fill('2020-01-01');
    await page.getByRole('button', { name: 'Show the entries' }).click();
    await page.getByText('No entry matches.').waitFor();
    await page.getByLabel('To', { exact: true }).fill('');
    await page.getByRole('button', { name: 'Show the entries' }).click();
    await table.waitFor();
    await shoot(page, 'admin');
  });

  it('Cara erases the client on request, confirmed by the exact full name', async () => {
    const page = pages.cara;
    await page.goto(`${studio.origin}/clients/${client}`);
    const erase = page.getByRole('button', { name: "Erase Mia Jansen's record" });
    await page.getByLabel("Type the client's full name to confirm").fill('mia jansen');
    expect(await erase.isDisabled()).toBe(true);
    await page.getByLabel("Type the client's full name to confirm").fill('Mia Jansen');
    await erase.click();
    await page.getByRole('heading', { name: "Mia Jansen's record is erased" }).waitFor();
    await page
      .getByText('1 session that was theirs alone was deleted with its recording and notes.')
      .waitFor();
    await expect(cara.request('GET', `/api/clients/${client}`)).rejects.toThrow(/404/);
    await page.getByRole('link', { name: 'Back to the clients' }).click();
    await page.getByText('No clients yet.').waitFor();
  });

  it('Cara deletes the group after saying so in a dialog', async () => {
    const page = pages.cara;
    await page.getByRole('link', { name: 'Groups' }).click();
    await page.getByRole('link', { name: 'Tuesday music group' }).click();
    await page.getByRole('button', { name: 'Delete Tuesday music group' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete this group?' });
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.getByRole('button', { name: 'Delete Tuesday music group' }).click();
    await dialog.getByRole('button', { name: 'Delete the group' }).click();
    await page.getByText('No groups yet.').waitFor();
    expect((await cara.request<{ groups: unknown[] }>('GET', '/api/groups')).groups).toEqual([]);
    expect(errors).toEqual([]);
  });
});
