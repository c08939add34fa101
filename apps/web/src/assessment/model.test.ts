import { raterAgreement } from '@attune/engine';
import { describe, expect, it } from 'vitest';
import type { StoredRating } from './api.ts';
import {
  agreementLines,
  changes,
  coefficientText,
  draftOf,
  itemGroups,
  levelText,
  mineOf,
  othersOn,
  scaleOf,
} from './model.ts';

const rating = (
  rater: string,
  item: string,
  level: number,
  extra: Partial<StoredRating> = {},
): StoredRating => ({
  session: 's1',
  rater,
  scale: 'nordoff-robbins-2',
  item,
  participant: null,
  level,
  comment: '',
  evidence: [],
  createdAt: '2026-11-25T10:00:00.000Z',
  updatedAt: '2026-11-25T10:00:00.000Z',
  ...extra,
});
const raters = [
  { id: 'ben', name: 'Ben Ode' },
  { id: 'cleo', name: 'Cleo Park' },
];

describe('levels as a rater chooses them', () => {
  it('names a level where the scale does, marks the balanced middle, and gives the number alone otherwise', () => {
    expect(levelText('iap', 'autonomy:rhythm', 3)).toBe('3 · partner (balanced)');
    expect(levelText('iap', 'autonomy:rhythm', 4)).toBe('4 · leader');
    expect(levelText('nordoff-robbins-1', 'participation', 1)).toBe('1 · Unresponsive non-acceptance');
    expect(levelText('nordoff-robbins-1', 'resistiveness', 5)).toBe('5');
    expect(levelText('nordoff-robbins-2', 'vocal', 7)).toBe('7');
  });

  it('groups items as the scale does: the IAPs by profile', () => {
    const groups = itemGroups(scaleOf('iap'));
    expect(groups.map((g) => g.group)).toEqual([
      'Integration',
      'Variability',
      'Tension',
      'Congruence',
      'Salience',
      'Autonomy',
    ]);
    expect(groups[0]?.items).toHaveLength(7);
    expect(itemGroups(scaleOf('nordoff-robbins-2')).map((g) => g.items.length)).toEqual([3]);
  });
});

describe('the rater’s draft', () => {
  const saved = [
    rating('ben', 'vocal', 3, { comment: 'Hummed.', evidence: ['live-4'] }),
    rating('cleo', 'vocal', 5),
    rating('ben', 'instrumental', 2, { participant: 'p2' }),
  ];

  it('starts from the rater’s own saved ratings of the scale and lane, nothing chosen elsewhere', () => {
    const mine = mineOf(saved, 'ben', 'nordoff-robbins-2', null);
    const draft = draftOf('nordoff-robbins-2', mine);
    expect(draft.vocal).toEqual({ level: 3, comment: 'Hummed.', evidence: ['live-4'] });
    expect(draft.instrumental).toEqual({ level: null, comment: '', evidence: [] });
    expect(changes(draft, mine)).toEqual([]);
  });

  it('saves only what is rated and new or changed', () => {
    const mine = mineOf(saved, 'ben', 'nordoff-robbins-2', null);
    const draft = draftOf('nordoff-robbins-2', mine);
    (draft['body-movement'] as { level: number | null }).level = 6;
    (draft.vocal as { evidence: string[] }).evidence = ['live-4', 'r-x'];
    draft.instrumental = { level: null, comment: 'not sure yet', evidence: [] };
    expect(changes(draft, mine)).toEqual([
      { item: 'vocal', level: 3, comment: 'Hummed.', evidence: ['live-4', 'r-x'] },
      { item: 'body-movement', level: 6, comment: '', evidence: [] },
    ]);
  });

  it('shows the other raters’ levels of an item by name', () => {
    expect(
      othersOn(saved, raters, 'ben', { scale: 'nordoff-robbins-2', item: 'vocal', participant: null }),
    ).toEqual([{ name: 'Cleo Park', level: 5, text: '5' }]);
    expect(
      othersOn(saved, raters, 'cleo', {
        scale: 'nordoff-robbins-2',
        item: 'instrumental',
        participant: null,
      }),
    ).toEqual([]);
  });
});

describe('agreement in words', () => {
  const engine = (r: StoredRating) => ({
    scale: r.scale,
    item: r.item,
    value: r.level,
    rater: r.rater,
    ratedAt: r.updatedAt,
    participant: r.participant,
    marks: r.evidence,
    note: r.comment,
  });

  it('says how often two raters gave the same level, and the coefficients with what they stand on', () => {
    const ratings = [
      rating('ben', 'instrumental', 4),
      rating('ben', 'vocal', 2),
      rating('ben', 'body-movement', 5),
      rating('cleo', 'instrumental', 4),
      rating('cleo', 'vocal', 3),
      rating('cleo', 'body-movement', 5),
    ].map(engine);
    const lines = agreementLines(raterAgreement(ratings, 'nordoff-robbins-2'), raters);
    expect(lines[0]).toBe('Ben Ode and Cleo Park rated 3 items.');
    // Named in alphabetical order, whatever order their ids come in.
    const renamed = [
      { id: 'ben', name: 'Zoe Ode' },
      { id: 'cleo', name: 'Ann Park' },
    ];
    expect(agreementLines(raterAgreement(ratings, 'nordoff-robbins-2'), renamed)[0]).toBe(
      'Ann Park and Zoe Ode rated 3 items.',
    );
    expect(lines[1]).toBe('Same level: 67 % of the pairs of ratings, over 3 items rated by both.');
    expect(lines[2]).toMatch(/^Krippendorff’s alpha \(ordinal\): 0\.\d\d over 3 items\.$/);
    expect(lines[3]).toMatch(/^Weighted kappa \(quadratic\): 0\.\d\d over 3 items\.$/);
  });

  it('says why a coefficient is not given rather than showing a number', () => {
    expect(coefficientText({ value: null, units: 2, reason: 'no disagreement is possible by chance' })).toBe(
      'not given: no disagreement is possible by chance',
    );
    expect(coefficientText({ value: 0.8149, units: 1, reason: null })).toBe('0.81 over 1 item');
  });
});
