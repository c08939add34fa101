/**
 * A rating: one rater's value for one item of a scale on one session, with the marks it cites as
 * evidence and a note. Ratings arrive from forms and the network, so they are checked here, once,
 * with every problem named; a rating that fails is never partly taken.
 */
import { type AssessmentScale, ratingScaleOf, type ScaleId, scaleItemOf } from './scales.ts';

/** One rater's value for one item of a scale. */
export interface Rating {
  readonly scale: ScaleId;
  /** The item's id on that scale ('participation', 'vocal', 'autonomy:rhythm', …). */
  readonly item: string;
  /** A level of the item (a whole number within its levels). */
  readonly value: number;
  /** Who rated: the rater's account id. */
  readonly rater: string;
  /** When the rating was made, ISO 8601 with a time zone ('2025-03-02T10:15:00Z'). */
  readonly ratedAt: string;
  /** Who in the session is rated (a participant id), or null when the session has one client. */
  readonly participant: string | null;
  /** Ids of the index marks cited as evidence. */
  readonly marks: readonly string[];
  readonly note: string;
}

/** One thing wrong with a rating: where (a JSON pointer) and what. */
export interface RatingProblem {
  readonly path: string;
  readonly message: string;
}

/** The result of checking a rating: the rating, or every problem found. */
export type RatingCheck =
  | { readonly ok: true; readonly rating: Rating }
  | { readonly ok: false; readonly problems: readonly RatingProblem[] };

/** Longest note, in characters. */
export const MAX_RATING_NOTE = 2000;
/** Most marks one rating may cite. */
export const MAX_RATING_MARKS = 32;
const ID = /^[A-Za-z0-9_.:@-]{1,64}$/;
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
const FIELDS = new Set(['scale', 'item', 'value', 'rater', 'ratedAt', 'participant', 'marks', 'note']);

/** What a rating is checked against besides its scale. */
export interface RatingContext {
  /** The ids of the session's marks; a cited mark must be one of them. */
  readonly marks?: ReadonlySet<string>;
  /** The session's participant ids; a rated participant must be one of them. */
  readonly participants?: ReadonlySet<string>;
}

const show = (x: unknown): string => (typeof x === 'string' ? `'${x.slice(0, 80)}'` : String(x));

function checkValue(scale: AssessmentScale, itemId: string, value: unknown, problems: RatingProblem[]): void {
  const item = scaleItemOf(scale, itemId);
  if (item === null) return;
  const low = item.levels[0]?.value ?? 1;
  const high = item.levels[item.levels.length - 1]?.value ?? low;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < low || value > high) {
    problems.push({
      path: '/value',
      message: `${scale.id} ${itemId} takes a whole number from ${low} to ${high}, got: ${show(value)}`,
    });
  }
}

/**
 * Checks a rating as it came in (parsed JSON): the scale and item exist, the value is one of the
 * item's levels, the rater and time are there, the cited marks and the participant belong to the
 * session. Returns the rating (a fresh object) or every problem.
 * @example checkRating({ scale: 'iap', item: 'autonomy:rhythm', value: 7, … }).ok // false: 1 to 5
 */
export function checkRating(input: unknown, context: RatingContext = {}): RatingCheck {
  const problems: RatingProblem[] = [];
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return {
      ok: false,
      problems: [{ path: '', message: `a rating must be an object, got: ${show(input)}` }],
    };
  }
  const x = input as Record<string, unknown>;
  for (const key of Object.keys(x)) {
    if (!FIELDS.has(key)) problems.push({ path: `/${key}`, message: `unknown field '${key.slice(0, 40)}'` });
  }
  const scale = typeof x.scale === 'string' ? ratingScaleOf(x.scale) : null;
  if (scale === null) {
    problems.push({ path: '/scale', message: `unknown scale, got: ${show(x.scale)}` });
  } else if (typeof x.item !== 'string' || scaleItemOf(scale, x.item) === null) {
    problems.push({ path: '/item', message: `unknown item of ${scale.id}, got: ${show(x.item)}` });
  } else {
    checkValue(scale, x.item, x.value, problems);
  }
  if (typeof x.rater !== 'string' || !ID.test(x.rater)) {
    problems.push({
      path: '/rater',
      message: `rater must be an id of 1 to 64 letters, digits or _.:@-, got: ${show(x.rater)}`,
    });
  }
  if (typeof x.ratedAt !== 'string' || !ISO_TIME.test(x.ratedAt) || Number.isNaN(Date.parse(x.ratedAt))) {
    problems.push({
      path: '/ratedAt',
      message: `ratedAt must be an ISO 8601 time with a zone, got: ${show(x.ratedAt)}`,
    });
  }
  const participant = x.participant ?? null;
  if (participant !== null) {
    if (typeof participant !== 'string' || !ID.test(participant)) {
      problems.push({
        path: '/participant',
        message: `participant must be an id or null, got: ${show(participant)}`,
      });
    } else if (context.participants && !context.participants.has(participant)) {
      problems.push({ path: '/participant', message: `no participant ${show(participant)} in this session` });
    }
  }
  const marks = x.marks ?? [];
  if (!Array.isArray(marks) || marks.length > MAX_RATING_MARKS) {
    problems.push({
      path: '/marks',
      message: `marks must be a list of at most ${MAX_RATING_MARKS} mark ids`,
    });
  } else {
    marks.forEach((mark, i) => {
      if (typeof mark !== 'string' || !ID.test(mark)) {
        problems.push({
          path: `/marks/${i}`,
          message: `a mark id must be 1 to 64 letters, digits or _.:@-, got: ${show(mark)}`,
        });
      } else if (context.marks && !context.marks.has(mark)) {
        problems.push({ path: `/marks/${i}`, message: `no mark ${show(mark)} in this session` });
      } else if (marks.indexOf(mark) !== i) {
        problems.push({ path: `/marks/${i}`, message: `mark ${show(mark)} is cited twice` });
      }
    });
  }
  const note = x.note ?? '';
  if (typeof note !== 'string' || note.length > MAX_RATING_NOTE) {
    problems.push({ path: '/note', message: `note must be text of at most ${MAX_RATING_NOTE} characters` });
  }
  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    rating: {
      scale: (scale as AssessmentScale).id,
      item: x.item as string,
      value: x.value as number,
      rater: x.rater as string,
      ratedAt: x.ratedAt as string,
      participant: participant as string | null,
      marks: [...(marks as string[])],
      note: note as string,
    },
  };
}

/** A rating that failed its check; `problems` names each fault. */
export class RatingError extends Error {
  constructor(readonly problems: readonly RatingProblem[]) {
    super(problems.map((p) => (p.path ? `${p.path}: ${p.message}` : p.message)).join('; '));
    this.name = 'RatingError';
  }
}

/** The checked rating, or a {@link RatingError} naming every problem. */
export function parseRating(input: unknown, context: RatingContext = {}): Rating {
  const check = checkRating(input, context);
  if (!check.ok) throw new RatingError(check.problems);
  return check.rating;
}

/** The level label of a rating's value ('leader', 'Assertive coactivity'), or null where the manual names it. */
export function levelLabel(rating: {
  readonly scale: string;
  readonly item: string;
  readonly value: number;
}): string | null {
  const scale = ratingScaleOf(rating.scale);
  const item = scale ? scaleItemOf(scale, rating.item) : null;
  return item?.levels.find((l) => l.value === rating.value)?.label ?? null;
}
