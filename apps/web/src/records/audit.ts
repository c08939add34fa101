/**
 * The audit trail in words for the admin: what each action means, the ids of an entry resolved
 * to the names the admin can see, and the date range of the filter as the studio takes it.
 */
import type { AuditEntry } from './api.ts';

/** Actions of the trail in plain words, in the order the filter lists them. */
export const ACTIONS: Readonly<Record<string, string>> = {
  'client-list': 'listed clients',
  'client-read': "read a client's record",
  'client-create': 'made a client',
  'client-update': "changed a client's record",
  'client-assign': 'assigned therapists to a client',
  'client-export': "exported a client's record",
  'client-erased': 'erased a client on request',
  'group-list': 'listed groups',
  'group-read': 'read a group',
  'group-create': 'made a group',
  'group-update': 'changed a group',
  'group-delete': 'deleted a group',
  'group-assign': 'assigned therapists to a group',
  'session-record-read': "read a session's record",
  'session-link': 'linked a session to clients',
  'session-note-add': 'added a session note',
  'session-note-update': 'changed a session note',
  'session-note-delete': 'deleted a session note',
  'audit-read': 'read the audit trail',
  'account-created': 'made an account',
  login: 'logged in',
  'login-failed': 'failed to log in',
  logout: 'logged out',
  setup: 'set the studio up',
};

/** Why a refusal was refused, in words. */
const REASONS: Readonly<Record<string, string>> = {
  missing: 'no such record',
  'not-assigned': 'not assigned',
  'not-owner': 'not their session',
  'not-author': 'not their note',
  'admin-only': 'needs an admin',
  'not-logged-in': 'not logged in',
};

/**
 * An action in words; a refused one says it was refused and why.
 * @example actionWords('client-read-refused', { reason: 'not-assigned' }) // "tried to read a client's record: refused (not assigned)"
 */
export function actionWords(action: string, detail: unknown): string {
  const refused = action.endsWith('-refused');
  const base = refused ? action.slice(0, -'-refused'.length) : action;
  const words = ACTIONS[base] ?? base.replaceAll('-', ' ');
  if (!refused) return words;
  const reason =
    detail !== null && typeof detail === 'object' && 'reason' in detail ? String(detail.reason) : '';
  return `tried to ${infinitive(words)}: refused${reason ? ` (${REASONS[reason] ?? reason})` : ''}`;
}

/** "read a client's record" → "read …", "made a client" → "make a client". */
function infinitive(words: string): string {
  const [verb = '', ...rest] = words.split(' ');
  const base: Readonly<Record<string, string>> = {
    listed: 'list',
    made: 'make',
    changed: 'change',
    assigned: 'assign',
    exported: 'export',
    erased: 'erase',
    deleted: 'delete',
    linked: 'link',
    added: 'add',
    read: 'read',
  };
  return [base[verb] ?? verb, ...rest].join(' ');
}

/** Names the admin can see, by id: accounts, clients, groups, sessions. */
export type Names = ReadonlyMap<string, string>;

/**
 * Who did it: the account's name, "someone not logged in" for a null actor, or the id when the
 * account is not one the admin can list.
 */
export function actorName(entry: AuditEntry, names: Names): string {
  if (entry.actor === null) return 'someone not logged in';
  return names.get(entry.actor) ?? entry.actor;
}

/** What it was about: the record's name, or its id (an erased client's id leads nowhere). */
export function targetName(entry: AuditEntry, names: Names): string {
  if (entry.target === null) return '';
  return names.get(entry.target) ?? entry.target;
}

/**
 * The changed fields an entry's detail lists, in words ("notes, consent.research").
 * @example changedFields({ fields: ['notes', 'consent.research'] }) // 'notes, consent.research'
 */
export function changedFields(detail: unknown): string {
  if (detail === null || typeof detail !== 'object' || !('fields' in detail)) return '';
  const fields = detail.fields;
  return Array.isArray(fields) ? fields.map(String).join(', ') : '';
}

/**
 * The day after `day` (`YYYY-MM-DD`), so a filter "to 25 Nov" takes the whole of the 25th
 * (the studio's `to` is exclusive).
 * @example dayAfter('2026-02-28') // '2026-03-01'
 */
export function dayAfter(day: string): string {
  const date = new Date(`${day}T00:00:00Z`);
  if (Number.isNaN(date.getTime())) return day;
  date.setUTCDate(date.getUTCDate() + 1);
  return date.toISOString().slice(0, 10);
}
