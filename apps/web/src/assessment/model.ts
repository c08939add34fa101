/**
 * What the assessment panel shows, worked out apart from the page: the levels of an item with
 * their names, the rater's draft against what is saved, the other raters' levels of an item, and
 * the agreement between raters in words. Pure, so it is tested without a browser.
 */
import {
  type AssessmentScale,
  type Coefficient,
  type RaterAgreement,
  ratingScaleOf,
  type ScaleId,
  scaleItemOf,
} from '@attune/engine';
import type { Named, RatingInput, StoredRating } from './api.ts';

/** The scales offered, in the order a therapist picks them, with short names for the choice. */
export const SCALE_CHOICES: ReadonlyArray<{ readonly id: ScaleId; readonly short: string }> = [
  { id: 'nordoff-robbins-1', short: 'Scale I · Relationship' },
  { id: 'nordoff-robbins-2', short: 'Scale II · Communicativeness' },
  { id: 'iap', short: 'IAP · Improvisation profiles' },
];

/** The scale of an id (every choice is one of the engine's). */
export function scaleOf(id: ScaleId): AssessmentScale {
  return ratingScaleOf(id) as AssessmentScale;
}

/** The items of a scale in groups as the scale shows them (Scale II's modes, an IAP profile's elements). */
export function itemGroups(
  scale: AssessmentScale,
): Array<{ group: string; items: AssessmentScale['items'] }> {
  const groups: Array<{ group: string; items: AssessmentScale['items'][number][] }> = [];
  for (const item of scale.items) {
    const last = groups[groups.length - 1];
    if (last && last.group === item.group) last.items.push(item);
    else groups.push({ group: item.group, items: [item] });
  }
  return groups;
}

/**
 * A level as a choice reads it: its number, and its name where the scale gives one; the balanced
 * middle of a bipolar item is said to be so.
 * @example levelText('iap', 'autonomy:rhythm', 3) // '3 · partner (balanced)'
 */
export function levelText(scale: ScaleId, item: string, value: number): string {
  const s = scaleOf(scale);
  const it = scaleItemOf(s, item);
  const level = it?.levels.find((l) => l.value === value);
  if (!level?.label) return String(value);
  const middle = s.bipolar && it && value === Math.ceil(it.levels.length / 2) ? ' (balanced)' : '';
  return `${value} · ${level.label}${middle}`;
}

/** One item of the rater's draft. */
export interface DraftItem {
  level: number | null;
  comment: string;
  evidence: string[];
}

/** The rater's saved ratings of a scale for a lane, by item. */
export function mineOf(
  ratings: readonly StoredRating[],
  me: string,
  scale: ScaleId,
  participant: string | null,
): Map<string, StoredRating> {
  return new Map(
    ratings
      .filter((r) => r.rater === me && r.scale === scale && r.participant === participant)
      .map((r) => [r.item, r]),
  );
}

/** A draft of every item of the scale: what the rater saved, or nothing chosen. */
export function draftOf(scale: ScaleId, mine: ReadonlyMap<string, StoredRating>): Record<string, DraftItem> {
  const draft: Record<string, DraftItem> = {};
  for (const item of scaleOf(scale).items) {
    const saved = mine.get(item.id);
    draft[item.id] = saved
      ? { level: saved.level, comment: saved.comment, evidence: [...saved.evidence] }
      : { level: null, comment: '', evidence: [] };
  }
  return draft;
}

const same = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((x, i) => x === b[i]);

/** The items of the draft to save: rated, and new or changed since saved. */
export function changes(
  draft: Record<string, DraftItem>,
  mine: ReadonlyMap<string, StoredRating>,
): RatingInput[] {
  const out: RatingInput[] = [];
  for (const [item, d] of Object.entries(draft)) {
    if (d.level === null) continue;
    const saved = mine.get(item);
    if (
      saved &&
      saved.level === d.level &&
      saved.comment === d.comment.trim() &&
      same(saved.evidence, d.evidence)
    )
      continue;
    out.push({ item, level: d.level, comment: d.comment.trim(), evidence: d.evidence });
  }
  return out;
}

/** The other raters' levels of one item for a lane, by name. */
export function othersOn(
  ratings: readonly StoredRating[],
  raters: readonly Named[],
  me: string,
  key: { scale: ScaleId; item: string; participant: string | null },
): Array<{ name: string; level: number; text: string }> {
  return ratings
    .filter(
      (r) =>
        r.rater !== me && r.scale === key.scale && r.item === key.item && r.participant === key.participant,
    )
    .map((r) => ({
      name: raters.find((x) => x.id === r.rater)?.name ?? 'another rater',
      level: r.level,
      text: levelText(r.scale, r.item, r.level),
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

const round = (x: number) => (Math.round(x * 100) / 100).toFixed(2);

/** A coefficient in words: its value over how many items, or why it has none. */
export function coefficientText(c: Coefficient): string {
  if (c.value === null) return `not given: ${c.reason ?? 'not defined for these ratings'}`;
  return `${round(c.value)} over ${c.units} ${c.units === 1 ? 'item' : 'items'}`;
}

/** The agreement of the raters of a scale, in a few plain lines. */
export function agreementLines(a: RaterAgreement, raters: readonly Named[]): string[] {
  const names = a.raters
    .map((id) => raters.find((r) => r.id === id)?.name ?? 'another rater')
    .sort((x, y) => x.localeCompare(y));
  const lines = [
    `${names.join(' and ')} rated ${a.units.length} ${a.units.length === 1 ? 'item' : 'items'}.`,
  ];
  if (a.percent.value !== null)
    lines.push(
      `Same level: ${Math.round(a.percent.value * 100)} % of the pairs of ratings, over ${a.percent.units} ${a.percent.units === 1 ? 'item' : 'items'} rated by both.`,
    );
  lines.push(`Krippendorff’s alpha (ordinal): ${coefficientText(a.alpha)}.`);
  if (a.raters.length === 2) lines.push(`Weighted kappa (quadratic): ${coefficientText(a.weightedKappa)}.`);
  return lines;
}

/** The raters' levels of one unit (an item, or `lane/item`) of an agreement table, or null if it is not there. */
export function unitLevels(a: RaterAgreement, unit: string): Array<number | null> | null {
  const k = a.units.indexOf(unit);
  return k < 0 ? null : a.table.map((row) => row[k] ?? null);
}
