import { describe, expect, it } from 'vitest';
import { checkRating, levelLabel, parseRating, RatingError } from './rating.ts';
import { IAP, IAP_ELEMENTS, IAP_PROFILES, NORDOFF_ROBBINS_1, NORDOFF_ROBBINS_2, SCALES } from './scales.ts';

const good = {
  scale: 'iap',
  item: 'autonomy:rhythm',
  value: 4,
  rater: 'therapist-7',
  ratedAt: '2025-03-02T10:15:00Z',
  participant: 'p1',
  marks: ['m12', 'm13'],
  note: 'Took the lead in the drum dialogue.',
};

describe('the scales as data', () => {
  it('has Scale I on seven levels, participation and resistiveness', () => {
    expect(NORDOFF_ROBBINS_1.items.map((i) => i.id)).toEqual(['participation', 'resistiveness']);
    for (const item of NORDOFF_ROBBINS_1.items)
      expect(item.levels.map((l) => l.value)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(NORDOFF_ROBBINS_1.items[0]?.levels[6]?.label).toMatch(/^Stability and confidence/);
  });

  it('has Scale II in three modes', () => {
    expect(NORDOFF_ROBBINS_2.items.map((i) => i.id)).toEqual(['instrumental', 'vocal', 'body-movement']);
  });

  it('has every IAP profile on every element, five gradients with the balanced one in the middle', () => {
    expect(IAP.items).toHaveLength(IAP_PROFILES.length * IAP_ELEMENTS.length);
    expect(IAP_PROFILES.map((p) => p.id)).toEqual([
      'integration',
      'variability',
      'tension',
      'congruence',
      'salience',
      'autonomy',
    ]);
    const autonomy = IAP.items.find((i) => i.id === 'autonomy:rhythm');
    expect(autonomy?.levels.map((l) => l.label)).toEqual([
      'dependent',
      'follower',
      'partner',
      'leader',
      'resister',
    ]);
    expect(IAP_PROFILES.find((p) => p.id === 'variability')?.gradients[2]).toBe('variable');
    expect(IAP_PROFILES.filter((p) => p.ensembleOnly).map((p) => p.id)).toEqual(['autonomy']);
  });

  it('keeps item ids unique within each scale and levels consecutive from 1', () => {
    for (const scale of Object.values(SCALES)) {
      expect(new Set(scale.items.map((i) => i.id)).size).toBe(scale.items.length);
      for (const item of scale.items)
        expect(item.levels.map((l) => l.value)).toEqual(item.levels.map((_, i) => i + 1));
    }
  });
});

describe('checkRating', () => {
  it('takes a good rating and returns a fresh copy', () => {
    const check = checkRating(good, { marks: new Set(['m12', 'm13', 'm14']), participants: new Set(['p1']) });
    expect(check).toEqual({ ok: true, rating: good });
    if (check.ok) expect(check.rating.marks).not.toBe(good.marks);
  });

  it('fills in no participant, no marks and an empty note', () => {
    const { participant: _p, marks: _m, note: _n, ...bare } = good;
    expect(parseRating(bare)).toEqual({ ...bare, participant: null, marks: [], note: '' });
  });

  it('names a value outside the item, and the item’s range', () => {
    const check = checkRating({ ...good, value: 6 });
    expect(check).toEqual({
      ok: false,
      problems: [{ path: '/value', message: 'iap autonomy:rhythm takes a whole number from 1 to 5, got: 6' }],
    });
    expect(checkRating({ ...good, value: 2.5 }).ok).toBe(false);
    expect(checkRating({ ...good, value: '4' }).ok).toBe(false);
    const scale1 = { ...good, scale: 'nordoff-robbins-1', item: 'participation', value: 8 };
    expect(checkRating(scale1)).toMatchObject({ problems: [{ message: /from 1 to 7, got: 8/ }] });
  });

  it('names an unknown scale and an unknown item', () => {
    expect(checkRating({ ...good, scale: 'nordoff-robbins-4' })).toMatchObject({
      ok: false,
      problems: [{ path: '/scale', message: "unknown scale, got: 'nordoff-robbins-4'" }],
    });
    expect(checkRating({ ...good, item: 'autonomy:melody' })).toMatchObject({
      ok: false,
      problems: [{ path: '/item', message: "unknown item of iap, got: 'autonomy:melody'" }],
    });
  });

  it('refuses marks and participants that are not the session’s, and a mark cited twice', () => {
    const check = checkRating(
      { ...good, marks: ['m12', 'm99', 'm12'] },
      { marks: new Set(['m12']), participants: new Set(['p2']) },
    );
    expect(check.ok).toBe(false);
    if (!check.ok) {
      expect(check.problems.map((p) => p.path)).toEqual(['/participant', '/marks/1', '/marks/2']);
      expect(check.problems[1]?.message).toBe("no mark 'm99' in this session");
    }
  });

  it('names every problem at once: missing rater, bad time, unknown field, long note', () => {
    const check = checkRating({
      ...good,
      rater: '',
      ratedAt: '2 March 2025',
      extra: 1,
      note: 'x'.repeat(2001),
    });
    expect(check.ok).toBe(false);
    if (!check.ok)
      expect(check.problems.map((p) => p.path).sort()).toEqual(['/extra', '/note', '/ratedAt', '/rater']);
    expect(checkRating({ ...good, ratedAt: '2025-03-02T10:15:00' }).ok).toBe(false);
    expect(checkRating({ ...good, ratedAt: '2025-13-45T10:15:00Z' }).ok).toBe(false);
  });

  it('refuses what is not an object', () => {
    for (const x of [null, 3, 'rating', [good]]) expect(checkRating(x).ok).toBe(false);
  });

  it('throws a RatingError carrying the problems from parseRating', () => {
    try {
      parseRating({ ...good, value: 0 });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(RatingError);
      expect((error as RatingError).problems).toHaveLength(1);
      expect((error as Error).message).toBe(
        '/value: iap autonomy:rhythm takes a whole number from 1 to 5, got: 0',
      );
    }
  });
});

describe('levelLabel', () => {
  it('names the level of a rating where the source names it', () => {
    expect(levelLabel(good)).toBe('leader');
    expect(levelLabel({ scale: 'nordoff-robbins-1', item: 'participation', value: 5 })).toBe(
      'Assertive coactivity',
    );
    expect(levelLabel({ scale: 'nordoff-robbins-2', item: 'vocal', value: 3 })).toBeNull();
  });
});
