/**
 * What the client pages work out without the studio: finding a client by name, a client's age,
 * which form field a refusal is about, what an edit changed, and the erasure's answer in words.
 */
import type { ClientChange, ClientInput, ClientSummary, Erasure } from './api.ts';

/** The fields of the client form. */
export type ClientField = 'name' | 'birthDate' | 'displayName' | 'notes';

/** Lower case without accents, so "zoe" finds "Zoë". */
function fold(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase();
}

/**
 * The clients whose name or display name holds every word of `query`, in name order.
 * @example findClients(clients, 'mia jan') // Mia Jansen
 */
export function findClients<C extends ClientSummary>(clients: readonly C[], query: string): C[] {
  const words = fold(query).split(/\s+/).filter(Boolean);
  return clients
    .filter((c) => {
      const text = fold(`${c.name} ${c.displayName}`);
      return words.every((w) => text.includes(w));
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * Whole years from a birth date (`YYYY-MM-DD`) to `today`; null for a date that is not one.
 * @example ageOn('2016-02-29', '2026-02-28') // 9
 */
export function ageOn(birthDate: string, today: string): number | null {
  const b = /^(\d{4})-(\d{2})-(\d{2})$/.exec(birthDate);
  const t = /^(\d{4})-(\d{2})-(\d{2})/.exec(today);
  if (!b || !t) return null;
  const years = Number(t[1]) - Number(b[1]);
  const birthdayPassed = `${t[2]}-${t[3]}` >= `${b[2]}-${b[3]}`;
  const age = birthdayPassed ? years : years - 1;
  return age < 0 ? null : age;
}

/**
 * The form field a refusal of the studio is about, read from its sentence (the records name the
 * field, "Birth date must not be in the future…"; the schema names the property,
 * "DisplayName must NOT have more than 40 characters."); null when it is about no one field.
 * @example fieldOf('Name must not be blank.') // 'name'
 */
export function fieldOf(message: string): ClientField | null {
  if (/^(Birth date|BirthDate)\b/.test(message)) return 'birthDate';
  if (/^(Display name|DisplayName)\b/.test(message)) return 'displayName';
  if (/^Notes\b/.test(message)) return 'notes';
  if (/^Name\b/.test(message)) return 'name';
  return null;
}

/**
 * What an edit changed, as the studio's change body: only the fields (and consent flags) that
 * differ; null when nothing did.
 * @example clientChange(mia, { ...mia, consent: { ...mia.consent, family: false } }) // { consent: { family: false } }
 */
export function clientChange(before: ClientInput, after: ClientInput): ClientChange | null {
  const change: {
    -readonly [K in keyof ClientChange]: ClientChange[K];
  } = {};
  if (after.name !== before.name) change.name = after.name;
  if (after.birthDate !== before.birthDate) change.birthDate = after.birthDate;
  if (after.displayName !== before.displayName) change.displayName = after.displayName;
  if (after.notes !== before.notes) change.notes = after.notes;
  const consent: { -readonly [K in keyof ClientInput['consent']]?: boolean } = {};
  for (const flag of ['recording', 'research', 'family'] as const) {
    if (after.consent[flag] !== before.consent[flag]) consent[flag] = after.consent[flag];
  }
  if (Object.keys(consent).length > 0) change.consent = consent;
  return Object.keys(change).length === 0 ? null : change;
}

/** The consent flags with the plain explanation the forms give each. */
export const CONSENT_FLAGS: readonly {
  readonly flag: keyof ClientInput['consent'];
  readonly label: string;
  readonly hint: string;
}[] = [
  {
    flag: 'recording',
    label: 'Recording',
    hint: 'Sessions with this client may be recorded, so they can be reviewed and kept in their record.',
  },
  {
    flag: 'research',
    label: 'Research',
    hint: 'Their recordings and measures may be used for research, with their name taken out.',
  },
  {
    flag: 'family',
    label: 'Family',
    hint: 'Short highlights you choose may be shared with their family through a link that expires.',
  },
];

/**
 * The erasure's answer in plain words, for the page that says it is done.
 * @example erasureWords({ sessionsDeleted: 1, sessionsKept: ['s2'], lanesPseudonymised: 1, groupsLeft: 1 })
 * // ['1 session that was theirs alone was deleted with its recording and notes.', …]
 */
export function erasureWords(erased: Erasure): string[] {
  const n = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`;
  const words = [
    erased.sessionsDeleted === 0
      ? 'No session was theirs alone, so no recording was deleted.'
      : `${n(erased.sessionsDeleted, 'session that was', 'sessions that were')} theirs alone ${erased.sessionsDeleted === 1 ? 'was' : 'were'} deleted with ${erased.sessionsDeleted === 1 ? 'its' : 'their'} recording and notes.`,
  ];
  if (erased.sessionsKept.length > 0)
    words.push(
      `${n(erased.sessionsKept.length, 'session shared', 'sessions shared')} with other clients ${erased.sessionsKept.length === 1 ? 'is' : 'are'} kept, because ${erased.sessionsKept.length === 1 ? 'its' : 'their'} music is also the other clients' record. Their part in ${erased.sessionsKept.length === 1 ? 'it' : 'them'} is no longer tied to them (${n(erased.lanesPseudonymised, 'lane', 'lanes')} renamed). The notes of ${erased.sessionsKept.length === 1 ? 'that session stay' : 'those sessions stay'}: read them for the client's name and edit them by hand.`,
    );
  if (erased.groupsLeft > 0) words.push(`They were taken out of ${n(erased.groupsLeft, 'group', 'groups')}.`);
  return words;
}

/**
 * A calendar day (`YYYY-MM-DD`) in the device's language, read as that day wherever the device is.
 * @example dayLabel('2016-02-29', 'en-GB') // '29 Feb 2016'
 */
export function dayLabel(day: string, locale?: string): string {
  const date = new Date(`${day.slice(0, 10)}T00:00:00Z`);
  if (Number.isNaN(date.getTime())) return day;
  return new Intl.DateTimeFormat(locale, {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    timeZone: 'UTC',
  }).format(date);
}
