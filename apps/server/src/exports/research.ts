/**
 * The anonymised research export (docs/RECORDS.md, "Research export"): one JSON document across
 * the clients whose consent to research is recorded, holding what a researcher needs and nothing
 * that names anyone. No names, birth dates, notes, session titles, account names or ids: each
 * client is a random pseudonym drawn afresh for each export (two exports cannot be joined on it),
 * each session a random key; a client's age is given in whole years at each session, and a
 * session's date as days since that client's first session. A session shared with other clients
 * keeps only the lanes of consenting clients (plus the therapist's and the companion's); the
 * others' playing, index marks (their notes are free text) and ratings of them are left out.
 */
import { randomBytes } from 'node:crypto';
import {
  buildTimeline,
  type LogEntry,
  type PairAnalysis,
  reviewMeasures,
  type TrackAnalysis,
} from '@attune/engine';
import { type Kysely, sql } from 'kysely';
import type { RecordsDatabase } from '../records/tables.ts';
import { sessionEntries } from './access.ts';

export const RESEARCH_FORMAT = 'attune-research-export';
export const RESEARCH_VERSION = 1;

/** Entry types a research export keeps: what was played and steered (marks hold free text). */
const KEPT_TYPES = new Set(['play', 'companion', 'steer']);
/** Lanes that are nobody's health data: the therapist's playing and the companion's. */
const isStaffLane = (participant: string) => participant === 'therapist' || participant === 'companion';

/** A client of a session in the export. */
export interface ResearchSessionClient {
  readonly client: string;
  /** Their lane in the session (p1, p2, …). */
  readonly participant: string;
  /** Whole years of age on the day of the session. */
  readonly ageYears: number;
  /** Days from this client's first session in the export to this one. */
  readonly day: number;
}

/** A rating on an assessment scale, of a consenting client's lane or of the session as a whole. */
export interface ResearchRating {
  readonly scale: string;
  readonly item: string;
  /** The lane rated, or '' for the session as a whole. */
  readonly participant: string;
  readonly level: number;
}

/** A session in the export. */
export interface ResearchSession {
  readonly session: string;
  /** Seconds of session time from the first to the last sound. */
  readonly duration: number;
  readonly clients: ResearchSessionClient[];
  /** Lanes of clients who did not consent (or are not known), left out. */
  readonly lanesLeftOut: number;
  readonly measures: {
    readonly participants: Array<TrackAnalysis & { readonly participant: string }>;
    readonly pairs: PairAnalysis[];
  };
  /** Null when the studio keeps no ratings. */
  readonly ratings: ResearchRating[] | null;
  readonly events: Array<{ participant: string; t: number; type: string; payload: unknown }>;
}

/** The research export document. */
export interface ResearchDocument {
  readonly format: typeof RESEARCH_FORMAT;
  readonly version: typeof RESEARCH_VERSION;
  readonly exportedAt: string;
  readonly clients: Array<{ readonly client: string; readonly sessions: number }>;
  readonly sessions: ResearchSession[];
}

/** The document, and (for the audit only, never in the document) which real client each pseudonym is. */
export interface ResearchExport {
  readonly document: ResearchDocument;
  readonly clients: Array<{ readonly realId: string; readonly pseudonym: string; readonly sessions: number }>;
}

/** Whole years from a birth date (YYYY-MM-DD) to a day (an ISO time). */
export function ageInYears(birthDate: string, on: string): number {
  const [by, bm, bd] = birthDate.split('-').map(Number) as [number, number, number];
  const at = new Date(on);
  const [y, m, d] = [at.getUTCFullYear(), at.getUTCMonth() + 1, at.getUTCDate()];
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

/** Whole days between two ISO times, by calendar day (UTC). */
export function daysBetween(first: string, later: string): number {
  const dayOf = (iso: string) => Math.floor(Date.parse(`${iso.slice(0, 10)}T00:00:00Z`) / 86_400_000);
  return dayOf(later) - dayOf(first);
}

/** A fresh random key, unique within `used`. */
function freshKey(prefix: string, used: Set<string>): string {
  for (;;) {
    const key = `${prefix}-${randomBytes(5).toString('hex')}`;
    if (!used.has(key)) {
      used.add(key);
      return key;
    }
  }
}

/** The ratings table's rows of a session, or null when the studio has no ratings table. */
async function ratingsOf(db: Kysely<RecordsDatabase>, sessionId: string): Promise<ResearchRating[] | null> {
  try {
    const { rows } =
      await sql<ResearchRating>`select scale, item, participant, level from session_rating where session_id = ${sessionId} order by scale, item, participant`.execute(
        db,
      );
    return rows.map((r) => ({
      scale: r.scale,
      item: r.item,
      participant: r.participant,
      level: Number(r.level),
    }));
  } catch {
    return null;
  }
}

/** Builds the research export at `exportedAt` (the caller checks that an admin asks, and audits). */
export async function researchExport(
  db: Kysely<RecordsDatabase>,
  exportedAt: string,
): Promise<ResearchExport> {
  const consenting = await db
    .selectFrom('client')
    .select(['id', 'birth_date'])
    .where('consent_research', '=', 1)
    .orderBy('id')
    .execute();
  const birth = new Map(consenting.map((c) => [c.id, c.birth_date]));
  const links = consenting.length
    ? await db
        .selectFrom('session_client')
        .innerJoin('live_session', 'live_session.id', 'session_client.session_id')
        .select([
          'session_client.session_id',
          'session_client.client_id',
          'session_client.participant',
          'live_session.started_at',
        ])
        .where('session_client.client_id', 'in', [...birth.keys()])
        .where('session_client.participant', 'is not', null)
        .orderBy('live_session.started_at')
        .orderBy('session_client.session_id')
        .execute()
    : [];
  const used = new Set<string>();
  const pseudonym = new Map<string, string>();
  const firstSession = new Map<string, string>();
  const bySession = new Map<string, typeof links>();
  for (const link of links) {
    if (!pseudonym.has(link.client_id)) pseudonym.set(link.client_id, freshKey('client', used));
    if (!firstSession.has(link.client_id)) firstSession.set(link.client_id, link.started_at);
    const list = bySession.get(link.session_id) ?? [];
    list.push(link);
    bySession.set(link.session_id, list);
  }
  const sessions: ResearchSession[] = [];
  for (const id of bySession.keys()) {
    const own = bySession.get(id) ?? [];
    const lanes = new Set(own.map((l) => l.participant as string));
    const keep = (participant: string) => isStaffLane(participant) || lanes.has(participant);
    const all = await sessionEntries(db, id);
    const kept: LogEntry[] = all.filter((e) => KEPT_TYPES.has(e.type) && keep(e.participant));
    const lanesLeftOut = new Set(all.filter((e) => !keep(e.participant)).map((e) => e.participant)).size;
    const { analysis } = reviewMeasures(buildTimeline(kept));
    const ratings = await ratingsOf(db, id);
    sessions.push({
      session: freshKey('session', used),
      duration: analysis.duration,
      clients: own.map((l) => ({
        client: pseudonym.get(l.client_id) as string,
        participant: l.participant as string,
        ageYears: ageInYears(birth.get(l.client_id) as string, l.started_at),
        day: daysBetween(firstSession.get(l.client_id) as string, l.started_at),
      })),
      lanesLeftOut,
      measures: {
        participants: analysis.tracks.map((t) => ({ ...t, participant: t.name })),
        pairs: analysis.pairs,
      },
      ratings:
        ratings === null
          ? null
          : ratings.filter((r) => (r.participant === '' ? lanesLeftOut === 0 : lanes.has(r.participant))),
      events: kept.map((e) => ({ participant: e.participant, t: e.t, type: e.type, payload: e.payload })),
    });
  }
  const counts = new Map<string, number>();
  for (const link of links) counts.set(link.client_id, (counts.get(link.client_id) ?? 0) + 1);
  const clients = [...pseudonym.entries()].map(([realId, p]) => ({
    realId,
    pseudonym: p,
    sessions: counts.get(realId) ?? 0,
  }));
  clients.sort((a, b) => a.pseudonym.localeCompare(b.pseudonym));
  return {
    document: {
      format: RESEARCH_FORMAT,
      version: RESEARCH_VERSION,
      exportedAt,
      clients: clients.map((c) => ({ client: c.pseudonym, sessions: c.sessions })),
      // By their random keys, so the order does not hint at their dates across clients.
      sessions: sessions.sort((a, b) => a.session.localeCompare(b.session)),
    },
    clients,
  };
}
