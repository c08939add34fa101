/**
 * Index marks: a moment or a span of a session recording, with a note and tags, as therapists
 * index their recordings. Marks made live come from the session log; marks added or edited in
 * review are checked here with every problem named (the same limits as the live `mark` message).
 */
import type { Seconds } from '../time/index.ts';

/** An index mark on a session. */
export interface Mark {
  readonly id: string;
  /** The moment, or the start of the span, in seconds on the session clock. */
  readonly t: Seconds;
  /** The end of a span, or null for a moment. */
  readonly end: Seconds | null;
  readonly note: string;
  readonly tags: readonly string[];
  /** Made live during the session (from the log), or added or edited in review. */
  readonly source: 'live' | 'review';
  /** Who made it (account id), where known. */
  readonly author: string | null;
}

/** Tags offered before a therapist defines their own. */
export const DEFAULT_MARK_TAGS: readonly string[] = [
  'first eye contact',
  'sang',
  'initiated',
  'distress',
  'turn-taking',
  'laughed',
  'played together',
  'stopped playing',
];

/** Limits of a mark, as the live `mark` message has them. */
export const MARK_LIMITS = { note: 1000, tags: 16, tag: 32, sessionTime: 86_400 } as const;

/** One thing wrong with a mark. */
export interface MarkProblem {
  readonly path: string;
  readonly message: string;
}

/** A checked mark, or every problem. */
export type MarkCheck =
  | { readonly ok: true; readonly mark: Mark }
  | { readonly ok: false; readonly problems: readonly MarkProblem[] };

const ID = /^[A-Za-z0-9_.:@-]{1,64}$/;
const FIELDS = new Set(['id', 't', 'end', 'note', 'tags', 'source', 'author']);
const show = (x: unknown): string => (typeof x === 'string' ? `'${x.slice(0, 80)}'` : String(x));

/**
 * Checks a mark as it came in from the review screen: an id, a time within the session, an end
 * after the start for a span, a note and tags within the limits, no tag twice. Returns a fresh
 * mark with source 'review' and tags trimmed, or every problem.
 * @param duration the session's length, when known: a mark must lie within it
 */
export function checkMark(input: unknown, duration?: Seconds): MarkCheck {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return { ok: false, problems: [{ path: '', message: `a mark must be an object, got: ${show(input)}` }] };
  }
  const x = input as Record<string, unknown>;
  const problems: MarkProblem[] = [];
  for (const key of Object.keys(x)) {
    if (!FIELDS.has(key)) problems.push({ path: `/${key}`, message: `unknown field '${key.slice(0, 40)}'` });
  }
  const limit = duration ?? MARK_LIMITS.sessionTime;
  if (typeof x.id !== 'string' || !ID.test(x.id)) {
    problems.push({
      path: '/id',
      message: `id must be 1 to 64 letters, digits or _.:@-, got: ${show(x.id)}`,
    });
  }
  const t = x.t;
  const timeOk = typeof t === 'number' && Number.isFinite(t) && t >= 0 && t <= limit;
  if (!timeOk)
    problems.push({ path: '/t', message: `t must be a time from 0 to ${limit} s, got: ${show(t)}` });
  const end = x.end ?? null;
  if (end !== null) {
    if (typeof end !== 'number' || !Number.isFinite(end) || end > limit) {
      problems.push({
        path: '/end',
        message: `end must be a time up to ${limit} s or null, got: ${show(end)}`,
      });
    } else if (timeOk && end <= (t as number)) {
      problems.push({ path: '/end', message: `a span must end after it starts: ${end} is not after ${t}` });
    }
  }
  const note = x.note ?? '';
  if (typeof note !== 'string' || note.length > MARK_LIMITS.note) {
    problems.push({ path: '/note', message: `note must be text of at most ${MARK_LIMITS.note} characters` });
  }
  const tags = x.tags ?? [];
  const clean: string[] = [];
  if (!Array.isArray(tags) || tags.length > MARK_LIMITS.tags) {
    problems.push({ path: '/tags', message: `tags must be a list of at most ${MARK_LIMITS.tags}` });
  } else {
    tags.forEach((tag, i) => {
      const text = typeof tag === 'string' ? tag.trim() : '';
      if (text === '' || text.length > MARK_LIMITS.tag) {
        problems.push({
          path: `/tags/${i}`,
          message: `a tag must be 1 to ${MARK_LIMITS.tag} characters, got: ${show(tag)}`,
        });
      } else if (clean.includes(text)) {
        problems.push({ path: `/tags/${i}`, message: `tag '${text}' is given twice` });
      } else {
        clean.push(text);
      }
    });
  }
  const author = x.author ?? null;
  if (author !== null && (typeof author !== 'string' || !ID.test(author))) {
    problems.push({ path: '/author', message: `author must be an id or null, got: ${show(author)}` });
  }
  const source = x.source ?? 'review';
  if (source !== 'review' && source !== 'live') {
    problems.push({ path: '/source', message: `source must be 'live' or 'review', got: ${show(source)}` });
  }
  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    mark: {
      id: x.id as string,
      t: t as number,
      end: end as number | null,
      note: note as string,
      tags: clean,
      source: source as 'live' | 'review',
      author: author as string | null,
    },
  };
}
