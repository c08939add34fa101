/**
 * The audit trail in words for the admin: what each action means, the ids of an entry resolved
 * to the names the admin can see, and the date range of the filter as the studio takes it.
 */
import type { AuditEntry } from './api.ts';

/** What was done, by the action the trail writes, in plain words (the order the filter lists). */
export const ACTIONS: Readonly<Record<string, string>> = {
  'client-read': "read a client's record",
  'client-listed': 'saw a client in a list',
  'client-created': 'made a client',
  'client-updated': "changed a client's record",
  'client-assigned': 'assigned therapists to a client',
  'client-exported': "exported a client's record",
  'client-erased': 'erased a client on request',
  'client-grouped': 'put a client in a group',
  'client-ungrouped': 'took a client out of a group',
  'client-session-linked': 'linked a session to a client',
  'client-session-unlinked': 'unlinked a session from a client',
  'group-read': 'read a group',
  'group-created': 'made a group',
  'group-updated': 'changed a group',
  'group-deleted': 'deleted a group',
  'group-assigned': 'assigned therapists to a group',
  'session-record-read': "read a session's record",
  'session-linked': 'linked a session',
  'session-note-added': 'added a session note',
  'session-note-updated': 'changed a session note',
  'session-note-deleted': 'deleted a session note',
  'client-progress-read': "read a client's progress",
  'session-ratings-read': "read a session's ratings",
  'session-ratings-saved': 'rated a session',
  'session-rating-deleted': 'deleted a rating',
  'session-exported-midi': 'exported a session as MIDI',
  'session-exported-wav': 'exported a session as sound (WAV)',
  'session-exported-measures': "exported a session's measures",
  'research-exported': 'made a research export',
  'audit-read': 'read the audit trail',
  'account-created': 'made an account',
  setup: 'set the studio up',
  login: 'logged in',
  'login-failed': 'failed to log in',
  logout: 'logged out',
};

/** What was tried, by the action a refusal names (`<attempt>-refused`), in plain words. */
export const ATTEMPTS: Readonly<Record<string, string>> = {
  'client-list': 'list clients',
  'client-read': "read a client's record",
  'client-create': 'make a client',
  'client-update': "change a client's record",
  'client-assign': 'assign therapists to a client',
  'client-export': "export a client's record",
  'client-erase': 'erase a client',
  'group-list': 'list groups',
  'group-read': 'read a group',
  'group-create': 'make a group',
  'group-update': 'change a group',
  'group-delete': 'delete a group',
  'group-assign': 'assign therapists to a group',
  'session-record-read': "read a session's record",
  'session-link': 'link a session',
  'session-note-add': 'add a session note',
  'session-note-update': 'change a session note',
  'session-note-delete': 'delete a session note',
  'audit-read': 'read the audit trail',
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
 * An action in words; a refused one says what was tried, that it was refused, and why. An
 * action this page does not know is shown with its dashes as spaces.
 * @example actionWords('client-read-refused', { reason: 'not-assigned' }) // "tried to read a client's record: refused (not assigned)"
 */
export function actionWords(action: string, detail: unknown): string {
  if (!action.endsWith('-refused')) return ACTIONS[action] ?? action.replaceAll('-', ' ');
  const attempt = action.slice(0, -'-refused'.length);
  const reason =
    detail !== null && typeof detail === 'object' && 'reason' in detail ? String(detail.reason) : '';
  const words = ATTEMPTS[attempt] ?? attempt.replaceAll('-', ' ');
  return `tried to ${words}: refused${reason ? ` (${REASONS[reason] ?? reason})` : ''}`;
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
 * When an entry was written, to the second, in the device's language and time zone.
 * @example whenLabel('2026-11-25T10:02:11.204Z', 'en-GB', 'UTC') // '25 Nov 2026, 10:02:11'
 */
export function whenLabel(iso: string, locale?: string, timeZone?: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(locale, {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
    ...(timeZone ? { timeZone } : {}),
  }).format(date);
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
