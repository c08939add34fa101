/**
 * Review of a recorded session in real Chromium against the real studio
 * (`node --import tsx apps/server/src/main.ts`, SQLite in a fresh folder). The session is
 * recorded for real: the therapist and two players connect from Node over `ws` with the same
 * LiveConnection the pages use, a player plays a tune and another a drum, the therapist steers
 * and marks live, the companion answers, and the session is ended. Then the therapist opens it
 * from the home page: the lanes, zooming, a mark added, edited, stepped to and deleted (checked
 * through the API), the lanes soloed, and replay handing the recorded notes to the instruments
 * in step. Player 1's lane is linked to a client, whose display name the lane shows. The review
 * opens from the summary the studio made when the session ended. Screenshots go to /tmp/shots/
 * (review-laptop, review-tablet at 1440×900 and 1024×768, and more).
 */
import { mkdir } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import '../src/review/hook.ts';
import { hasChromium, launchBrowser, type TestBrowser } from './support/browser.ts';
import { expectChromiumInCI } from './support/chromium-ci.ts';
import { collectErrors } from './support/page-errors.ts';
import { NodeRoom, deviceNow as now, sleep } from './support/room.ts';
import { startTestStudio, type TestStudio } from './support/studio.ts';
import { Therapist } from './support/therapist.ts';

const SHOTS = '/tmp/shots';
const SETUP_TIMEOUT = 240_000;
/** Loading the instruments in a page takes a while on a busy machine. */
const AUDIO_TIMEOUT = 120_000;

interface ReviewMark {
  id: string;
  t: number;
  end: number | null;
  note: string;
  tags: string[];
}

/** The tune player 1 plays: pitch and seconds after the first note. */
const TUNE = [60, 62, 64, 65, 67, 65, 64, 62, 60, 64, 67, 72];

expectChromiumInCI();

describe.skipIf(!hasChromium())('reviewing a recorded session', () => {
  let studio: TestStudio;
  let browser: TestBrowser;
  let page: Page;
  let therapist: Therapist;
  let session = '';
  const errors: string[] = [];

  beforeAll(async () => {
    await mkdir(SHOTS, { recursive: true });
    studio = await startTestStudio();
    therapist = await Therapist.setUp(studio.origin);
    const started = await therapist.startSession('Sam and Jo, Tuesday');
    session = started.session.id;
    const room = await NodeRoom.open(studio.origin, started);
    const { player: tune } = await room.admit('SB');
    const { player: drum } = await room.admit('JO');
    room.therapist.steer({ type: 'energy', energy: 0.7 }, now());
    for (const [i, pitch] of TUNE.entries()) {
      tune.play({ type: 'note', pitch, velocity: 70 + i * 3, duration: 0.35 }, now());
      if (i % 2 === 0) drum.play({ type: 'hit', instrument: i % 4 === 0 ? 36 : 38, velocity: 90 }, now());
      if (i === 6) room.therapist.mark('smiled at the drum', ['first eye contact'], now());
      await sleep(400);
    }
    await room.acknowledged();
    await sleep(1500); // the companion's last notes
    room.close();
    await therapist.request('POST', `/api/sessions/${session}/end`);
    // Player 1 is Sam Brown, shown in sessions as "Sam".
    const sam = await therapist.request<{ client: { id: string } }>('POST', '/api/clients', {
      name: 'Sam Brown',
      birthDate: '2015-05-04',
      displayName: 'Sam',
      consent: { recording: true, research: false, family: true },
    });
    await therapist.request('PUT', `/api/sessions/${session}/links`, {
      clients: [{ id: sam.client.id, participant: 'p1' }],
      group: null,
    });

    browser = await launchBrowser();
    await therapist.logInto(browser.context);
    page = await browser.context.newPage();
    await page.setViewportSize({ width: 1440, height: 900 });
    collectErrors(page, errors);
  }, SETUP_TIMEOUT);

  afterAll(async () => {
    await browser?.close();
    await studio?.close();
  });

  const hook = <T>(read: () => T): Promise<T> => page.evaluate(read);
  const review = () =>
    therapist.request<{ marks: ReviewMark[]; deleted: string[] }>('GET', `/api/sessions/${session}/review`);

  it('opens from the home page with a lane per player and companion voice, steering, the live mark and the curves', async () => {
    await page.goto(studio.origin);
    await page.getByRole('link', { name: 'Review Sam and Jo, Tuesday' }).click();
    await page.waitForURL(`**/review/${session}`);
    await page.waitForFunction(() => window.__attuneReview?.ready() === true);
    const lanes = await hook(() => window.__attuneReview?.lanes() ?? []);
    expect(lanes.slice(0, 2)).toEqual(['p1', 'p2']);
    expect(lanes.some((l) => l.startsWith('companion:'))).toBe(true);
    // Player 1's lane carries the client's display name, the seat above it; Player 2 has no client.
    const labels = page.locator('.labels .label[data-kind="lane"] .name');
    await expect.poll(() => labels.allInnerTexts()).toEqual(['Player 1\nSam', 'Player 2']);
    const drawn = await hook(() => window.__attuneReview?.drawn() ?? {});
    expect(drawn.p1).toBe(TUNE.length);
    expect(drawn.p2).toBe(TUNE.length / 2);
    const marks = await hook(() => window.__attuneReview?.marks() ?? []);
    expect(marks).toMatchObject([
      { source: 'live', note: 'smiled at the drum', tags: ['first eye contact'] },
    ]);
    await page.getByText('made live').waitFor();
    await page.waitForFunction(() => window.__attuneReview?.measured() === true, undefined, {
      timeout: 60_000,
    });
    await page.getByText('Curves under the lanes').waitFor();
    expect(await page.locator('[data-ready="true"]').count()).toBe(1);
    expect(errors).toEqual([]);
    await page.screenshot({ path: `${SHOTS}/review-laptop.png`, fullPage: true });
  }, 90_000);

  it('shows the measures as numbers with plain labels, a column per player, and between each pair', async () => {
    const panel = page.getByRole('region', { name: 'Measures' });
    await panel.scrollIntoViewIfNeeded();
    const heads = await panel.locator('thead th').allInnerTexts();
    expect(heads.slice(1)).toEqual(['Sam', 'Player 2', 'Companion']);
    const rowLabels = await panel
      .locator('tbody th')
      .evaluateAll((ths) => ths.map((th) => th.firstChild?.textContent?.trim()));
    expect(rowLabels).toEqual([
      'Played',
      'Tempo',
      'Steady pulse',
      'Loudness',
      'Activity',
      'Pitch range',
      'Silent',
      'Phrases',
      'Key',
    ]);
    const played = await panel
      .getByRole('row', { name: /^Played/ })
      .locator('td')
      .allInnerTexts();
    expect(played.slice(0, 2)).toEqual([`${TUNE.length} onsets`, `${TUNE.length / 2} onsets`]);
    // The tune's range from its lowest to its highest note, and the drum has none.
    const range = await panel
      .getByRole('row', { name: /^Pitch range/ })
      .locator('td')
      .allInnerTexts();
    expect(range.slice(0, 2)).toEqual(['C4–C5', 'no pitched notes']);
    await panel.getByRole('heading', { name: 'Sam and Player 2' }).waitFor();
    await expect.poll(() => panel.getByText(/^Together$/).count()).toBeGreaterThan(0);
    // And as a plot over the session, for each pair that played together.
    await expect
      .poll(() => panel.getByRole('img', { name: /^Share of notes played together/ }).count())
      .toBeGreaterThan(0);
    await panel.screenshot({ path: `${SHOTS}/review-measures.png` });
  });

  it('zooms in to single notes and back out, by keys, buttons and the wheel', async () => {
    const whole = await hook(() => window.__attuneReview?.view() ?? { from: 0, to: 0 });
    await page.locator('.strip').focus();
    for (let i = 0; i < 3; i++) await page.keyboard.press('+');
    const close = await hook(() => window.__attuneReview?.view() ?? { from: 0, to: 0 });
    expect(close.to - close.from).toBeCloseTo((whole.to - whole.from) / 8, 6);
    const fewer = await hook(() => window.__attuneReview?.drawn() ?? {});
    expect(fewer.p1 ?? 0).toBeLessThan(TUNE.length);
    await page.getByRole('button', { name: 'Zoom in' }).click();
    const box = await page.locator('.strip').boundingBox();
    if (!box) throw new Error('no timeline');
    await page.mouse.move(box.x + box.width / 2, box.y + 200);
    await page.mouse.wheel(0, -600);
    const closest = await hook(() => window.__attuneReview?.view() ?? { from: 0, to: 0 });
    expect(closest.to - closest.from).toBeLessThan((close.to - close.from) / 2);
    expect(closest.to - closest.from).toBeGreaterThanOrEqual(0.5 - 1e-9);
    await page.screenshot({ path: `${SHOTS}/review-zoomed.png` });
    await page.getByRole('button', { name: 'Whole session' }).click();
    expect(await hook(() => window.__attuneReview?.view())).toEqual(whole);
    await page.keyboard.press('+');
    await page.keyboard.press('0');
    expect(await hook(() => window.__attuneReview?.view())).toEqual(whole);
  });

  it('adds a mark at the playhead, gives it a note and tags, edits, steps to and deletes it', async () => {
    const liveMark = (await hook(() => window.__attuneReview?.marks() ?? []))[0];
    if (!liveMark) throw new Error('no live mark');
    // Click on the timeline a little before the end of the tune: the playhead goes there.
    const box = await page.locator('.strip').boundingBox();
    if (!box) throw new Error('no timeline');
    const view = await hook(() => window.__attuneReview?.view() ?? { from: 0, to: 0 });
    const at = liveMark.t + 1.5;
    await page.mouse.click(box.x + ((at - view.from) / (view.to - view.from)) * box.width, box.y + 150);
    expect(await hook(() => window.__attuneReview?.playhead() ?? 0)).toBeCloseTo(at, 1);

    await page.keyboard.press('m');
    // The mark's own form (other panels on the page have fields of their own).
    const editor = page.locator('section.editor');
    const note = editor.getByLabel('Note');
    await expect.poll(() => note.evaluate((el) => el === document.activeElement)).toBe(true);
    await note.fill('sang along with the tune');
    await page.getByRole('button', { name: 'sang', exact: true }).click();
    await page.getByRole('button', { name: 'initiated', exact: true }).click();
    await page.getByRole('button', { name: 'Save the mark' }).click();
    await page.getByText('The mark is saved.').waitFor();
    let saved = (await review()).marks;
    expect(saved).toHaveLength(1);
    expect(saved[0]).toMatchObject({
      note: 'sang along with the tune',
      tags: ['sang', 'initiated'],
      end: null,
    });
    expect(saved[0]?.t).toBeCloseTo(at, 1);
    await page.screenshot({ path: `${SHOTS}/review-mark.png`, fullPage: true });

    // A tag of the therapist's own joins their list and the mark.
    await editor.getByLabel('A tag of your own').fill('hummed');
    await page.getByRole('button', { name: 'Add the tag' }).click();
    await page.getByRole('button', { name: 'initiated', exact: true }).click();
    await note.fill('sang along, then hummed');
    await page.getByRole('button', { name: 'Save the mark' }).click();
    await expect.poll(async () => (await review()).marks[0]?.tags).toEqual(['sang', 'hummed']);
    expect((await therapist.request<{ tags: string[] }>('GET', '/api/tags')).tags).toContain('hummed');

    // Step between the live mark and the new one with the keys.
    await page.locator('.strip').focus();
    await page.keyboard.press('[');
    expect(await hook(() => window.__attuneReview?.playhead() ?? 0)).toBeCloseTo(liveMark.t, 6);
    await page.getByRole('heading', { name: /^Mark at / }).waitFor();
    await page.keyboard.press(']');
    expect(await hook(() => window.__attuneReview?.playhead() ?? 0)).toBeCloseTo(saved[0]?.t ?? 0, 6);
    await page.keyboard.press(']');
    await page.getByText('No mark after the playhead.').waitFor();

    // Make the mark a span by its fields: a bad time is refused with the way to write it, and
    // nothing changes; then the start, end and note are saved together.
    await page.getByRole('button', { name: /in review/ }).click();
    const from = editor.getByLabel('Starts at');
    const to = editor.getByLabel(/^Ends at/);
    expect(await from.inputValue()).toMatch(/^\d+:\d\d\.\d$/);
    expect(await to.inputValue()).toBe('');
    await to.fill('soon');
    await page.getByRole('button', { name: 'Save the mark' }).click();
    await page.getByText(/Write its end as minutes and seconds/).waitFor();
    expect(await to.getAttribute('aria-invalid')).toBe('true');
    expect((await review()).marks[0]).toMatchObject({ end: null, note: 'sang along, then hummed' });
    const start = Math.floor(liveMark.t) + 1;
    const label = (t: number) => `${Math.floor(t / 60)}:${String(Math.floor(t % 60)).padStart(2, '0')}.0`;
    await from.fill(label(start));
    await to.fill(label(start + 3));
    await note.fill('sang along for three seconds');
    await page.getByRole('button', { name: 'Save the mark' }).click();
    await page.getByText('The mark is saved.').waitFor();
    await expect
      .poll(async () => (await review()).marks[0])
      .toMatchObject({ t: start, end: start + 3, note: 'sang along for three seconds' });
    // A chosen span is the span other panels read; the heading says where it lies.
    expect(await hook(() => window.__attuneReview?.span())).toEqual({ from: start, to: start + 3 });
    await page.getByRole('heading', { name: `Mark at ${label(start)}–${label(start + 3)}` }).waitFor();
    saved = (await review()).marks;
    // Stepping from the live mark lands on the span's start.
    await page.locator('.strip').focus();
    await page.keyboard.press('Home');
    await page.keyboard.press(']');
    expect(await hook(() => window.__attuneReview?.playhead() ?? 0)).toBeCloseTo(liveMark.t, 6);
    await page.keyboard.press(']');
    expect(await hook(() => window.__attuneReview?.playhead() ?? 0)).toBeCloseTo(start, 6);
    await page.keyboard.press('[');
    expect(await hook(() => window.__attuneReview?.playhead() ?? 0)).toBeCloseTo(liveMark.t, 6);
    await page.keyboard.press('Escape');

    // A span: drag across the timeline, then mark it.
    const now = await hook(() => window.__attuneReview?.view() ?? { from: 0, to: 0 });
    const xAt = (t: number) => box.x + ((t - now.from) / (now.to - now.from)) * box.width;
    await page.mouse.move(xAt(liveMark.t - 2), box.y + 160);
    await page.mouse.down();
    await page.mouse.move(xAt(liveMark.t - 1), box.y + 160, { steps: 4 });
    await page.mouse.move(xAt(liveMark.t), box.y + 160, { steps: 4 });
    await page.mouse.up();
    expect(await hook(() => window.__attuneReview?.span())).toMatchObject({ from: expect.any(Number) });
    await page.getByRole('button', { name: /^Mark \d+:\d\d\.\d–/ }).click();
    await page.getByText(/^Mark added at/).waitFor();
    saved = (await review()).marks;
    const span = saved.find((m) => m.end !== null);
    expect(span?.t).toBeCloseTo(liveMark.t - 2, 0);
    expect((span?.end ?? 0) - (span?.t ?? 0)).toBeCloseTo(2, 0);

    // Delete the span, then the live mark (its event stays in the log).
    await page.getByRole('button', { name: 'Delete…' }).click();
    await page.getByRole('button', { name: 'Delete it' }).click();
    await page.getByText('The mark is deleted.').waitFor();
    await page.getByRole('button', { name: /made live/ }).click();
    await page.getByRole('button', { name: 'Delete…' }).click();
    await page.getByRole('button', { name: 'Delete it' }).click();
    await page.getByText('The mark is deleted.').waitFor();
    const after = await review();
    expect(after.marks.map((m) => m.note)).toEqual(['sang along for three seconds']);
    expect(after.deleted).toContain(liveMark.id);
    const log = await therapist.request<{ events: Array<{ type: string }> }>(
      'GET',
      `/api/sessions/${session}/events?limit=5000`,
    );
    expect(log.events.filter((e) => e.type === 'mark')).toHaveLength(1);
    expect(await hook(() => (window.__attuneReview?.marks() ?? []).length)).toBe(1);
    expect(errors).toEqual([]);
  }, 120_000);

  it('replays from the playhead through the instruments, in step, with a lane soloed', async () => {
    const marks = await hook(() => window.__attuneReview?.marks() ?? []);
    const lanes = await hook(() => window.__attuneReview?.lanes() ?? []);
    await page.keyboard.press('Home');
    await page.getByRole('button', { name: 'Solo Player 1' }).click();
    await page.getByRole('button', { name: 'Play', exact: true }).click();
    await page.waitForFunction(() => (window.__attuneReview?.scheduled().length ?? 0) >= 4, undefined, {
      timeout: AUDIO_TIMEOUT,
    });
    expect(await hook(() => window.__attuneReview?.playing())).toBe(true);
    const scheduled = await hook(() => window.__attuneReview?.scheduled() ?? []);
    // Only the soloed lane, the tune from its start, each note on time at its recorded distance
    // (a note the busy page handed over late would say so in `late`).
    expect(new Set(scheduled.map((s) => s.lane))).toEqual(new Set(['p1']));
    expect(scheduled.slice(0, 4).map((s) => s.pitch)).toEqual(TUNE.slice(0, 4));
    for (let i = 1; i < scheduled.length; i++) {
      const a = scheduled[i - 1];
      const b = scheduled[i];
      if (!a || !b || a.late > 0 || b.late > 0) continue;
      expect(b.audioTime - a.audioTime).toBeCloseTo(b.t - a.t, 6);
    }
    expect(scheduled.filter((s) => s.late === 0).length).toBeGreaterThanOrEqual(3);
    expect(scheduled.some((s) => s.voices > 0)).toBe(true);
    // The playhead follows the audio clock.
    const first = await hook(() => window.__attuneReview?.playhead() ?? 0);
    await page.waitForTimeout(500);
    expect(await hook(() => window.__attuneReview?.playhead() ?? 0)).toBeGreaterThan(first + 0.3);
    await page.screenshot({ path: `${SHOTS}/review-playing.png` });
    await page.keyboard.press('Space');
    expect(await hook(() => window.__attuneReview?.playing())).toBe(false);
    expect(lanes.length).toBeGreaterThan(2);
    expect(marks).toHaveLength(1);
    expect(errors).toEqual([]);
  });

  it('fits a tablet, upright and on its side', async () => {
    for (const [name, size] of [
      ['tablet', { width: 1024, height: 768 }],
      ['tablet-upright', { width: 820, height: 1180 }],
    ] as const) {
      await page.setViewportSize(size);
      await page.getByRole('button', { name: 'Whole session' }).click();
      await page.screenshot({ path: `${SHOTS}/review-${name}.png`, fullPage: true });
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow, name).toBeLessThanOrEqual(0);
    }
  });

  it("links player 2 to a client from the review, and the lane takes the client's display name", async () => {
    await therapist.request('POST', '/api/clients', {
      name: 'Jo Park',
      birthDate: '2014-09-12',
      displayName: 'Jo',
      consent: { recording: true, research: false, family: true },
    });
    await page.goto(`${studio.origin}/review/${session}`);
    await page.waitForFunction(() => window.__attuneReview?.ready() === true);
    const form = page.getByRole('form', { name: 'Who the session was with' });
    await form.getByRole('button', { name: 'Add a client' }).click();
    await form.getByLabel('Client', { exact: true }).nth(1).selectOption({ label: 'Jo Park (Jo)' });
    await form.getByLabel('Seat', { exact: true }).nth(1).selectOption('p2');
    await form.getByRole('button', { name: 'Save the links' }).click();
    const labels = page.locator('.labels .label[data-kind="lane"] .name');
    await expect.poll(() => labels.allInnerTexts()).toEqual(['Player 1\nSam', 'Player 2\nJo']);
    const record = await therapist.request<{ clients: { displayName: string; participant: string }[] }>(
      'GET',
      `/api/sessions/${session}/record`,
    );
    expect(record.clients.map((c) => [c.participant, c.displayName]).sort()).toEqual([
      ['p1', 'Sam'],
      ['p2', 'Jo'],
    ]);
    expect(errors).toEqual([]);
  }, 60_000);

  it('keeps session notes: one written, refused blank, changed and deleted, as the studio has them', async () => {
    await page.goto(`${studio.origin}/review/${session}`);
    await page.waitForFunction(() => window.__attuneReview?.ready() === true);
    const section = page.getByRole('region', { name: 'Session notes' });
    await section.getByText('No notes on this session yet.').waitFor();
    await section.getByRole('button', { name: 'Save the note' }).click();
    await section.getByRole('alert').filter({ hasText: 'Write the note first.' }).waitFor();
    const notes = async () =>
      (
        await therapist.request<{ notes: { text: string }[] }>('GET', `/api/sessions/${session}/record`)
      ).notes.map((n) => n.text);
    expect(await notes()).toEqual([]);

    await section.getByLabel('Add a note').fill('Sam led the pulse for the first time.');
    await section.getByRole('button', { name: 'Save the note' }).click();
    const mine = section.getByRole('article', { name: 'Note by You' });
    await mine.getByText('Sam led the pulse for the first time.').waitFor();
    expect(await notes()).toEqual(['Sam led the pulse for the first time.']);

    await mine.getByRole('button', { name: 'Change' }).click();
    await mine.getByLabel('Change the note').fill('Sam led the pulse, and Jo followed.');
    await mine.getByRole('button', { name: 'Save the note' }).click();
    await mine.getByText('Sam led the pulse, and Jo followed.').waitFor();
    await mine.getByText(/changed/).waitFor();
    expect(await notes()).toEqual(['Sam led the pulse, and Jo followed.']);
    await section.screenshot({ path: `${SHOTS}/review-notes.png` });

    // After a reload the note is there, read from the studio.
    await page.reload();
    await section
      .getByRole('article', { name: 'Note by You' })
      .getByText('Sam led the pulse, and Jo followed.')
      .waitFor();
    await section.getByRole('button', { name: 'Delete' }).click();
    // Asked first: keeping it keeps it.
    await section.getByRole('button', { name: 'Keep it' }).click();
    expect(await notes()).toEqual(['Sam led the pulse, and Jo followed.']);
    await section.getByRole('button', { name: 'Delete' }).click();
    await section.getByRole('button', { name: 'Delete it' }).click();
    await section.getByText('No notes on this session yet.').waitFor();
    expect(await notes()).toEqual([]);
    expect(errors).toEqual([]);
  }, 60_000);
});
