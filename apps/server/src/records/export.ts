/**
 * A client's data in full, as one JSON document: their record, therapists and groups, every
 * session linked to them (directly or through a group) with its notes and its logged events, and
 * each session's recording as a MIDI file (base64, one track per participant and companion voice).
 *
 * One JSON document rather than a zip: it needs no new dependency and no archive writer, one
 * request gives the whole export, any tool can read it, and a MIDI file is small (base64 adds a
 * third). A file is decoded with `base64 -d` or `Buffer.from(entry.base64, 'base64')`.
 *
 * A session shared with other clients holds their playing too, which is their data, not this
 * client's: its events and recording keep this client's lane (when the session was linked to
 * them with it), the therapist's and the companion's, and leave out the other clients' lanes,
 * saying how many were left out.
 */
import type { Kysely } from 'kysely';
import { type StoredRating, sessionRatings } from '../assessment/store.ts';
import { type ExportedShare, exportedShares } from '../share/shares.ts';
import { sessionMidi } from './session-midi.ts';
import type { RecordsDatabase } from './tables.ts';
import { clientRecord, type Named, type SessionNote, sessionClientIds, sessionNotes } from './views.ts';

/** The export's format name and version, for tools that read it. */
export const EXPORT_FORMAT = 'attune-client-export';
export const EXPORT_VERSION = 1;

/** An event of a session log as exported. */
export interface ExportedEvent {
  readonly seq: number;
  readonly participant: string;
  readonly t: number;
  readonly type: string;
  readonly payload: unknown;
}

/** A session in an export. */
export interface ExportedSession {
  readonly session: {
    readonly id: string;
    readonly title: string;
    readonly status: 'open' | 'closed';
    readonly startedAt: string;
    readonly endedAt: string | null;
    readonly therapistId: string | null;
  };
  /** The client's lane in the session, when known. */
  readonly participant: string | null;
  readonly groupId: string | null;
  /** Whether other clients were in the session. */
  readonly shared: boolean;
  readonly notes: SessionNote[];
  /** Assessment ratings of the session: of this client's lane, and of the session as a whole. */
  readonly ratings: StoredRating[];
  readonly events: ExportedEvent[];
  /** Lanes of other clients left out of a shared session. */
  readonly lanesLeftOut: number;
}

/** A session's recording as a MIDI file. */
export interface ExportedRecording {
  readonly session: string;
  readonly file: string;
  readonly mediaType: 'audio/midi';
  /** The tracks' names, in file order. */
  readonly tracks: string[];
  readonly base64: string;
}

/** Everything about a client. */
export interface ClientExport {
  readonly format: typeof EXPORT_FORMAT;
  readonly version: typeof EXPORT_VERSION;
  readonly exportedAt: string;
  readonly client: {
    readonly id: string;
    readonly name: string;
    readonly birthDate: string;
    readonly displayName: string;
    readonly consent: { readonly recording: boolean; readonly research: boolean; readonly family: boolean };
    readonly notes: string;
    readonly createdAt: string;
    readonly updatedAt: string;
  };
  readonly therapists: Named[];
  readonly groups: Named[];
  readonly sessions: ExportedSession[];
  readonly recordings: ExportedRecording[];
  /** Clips shared with the client's family, and when their links expire or were revoked. */
  readonly shares: ExportedShare[];
}

/** Whether a participant id is a client's lane (p1, p2, …, or a lane pseudonymised at an erasure). */
const isClientLane = (participant: string) => /^p\d+$/.test(participant) || participant.startsWith('erased-');

/** The export of client `id`, or null when there is no such client (access is checked by the caller). */
export async function exportClient(
  db: Kysely<RecordsDatabase>,
  id: string,
  exportedAt: string,
): Promise<ClientExport | null> {
  const record = await clientRecord(db, id);
  if (!record) return null;
  const sessions: ExportedSession[] = [];
  const recordings: ExportedRecording[] = [];
  // Oldest first, as a history reads.
  const oldestFirst = [...record.sessions].sort(
    (a, b) => a.startedAt.localeCompare(b.startedAt) || a.id.localeCompare(b.id),
  );
  for (const linked of oldestFirst) {
    const shared = (await sessionClientIds(db, linked.id)).some((c) => c !== id);
    const keep = (p: string) => !shared || !isClientLane(p) || p === linked.participant;
    const rows = await db
      .selectFrom('session_event')
      .select(['seq', 'participant', 't', 'type', 'payload'])
      .where('session_id', '=', linked.id)
      .orderBy('seq')
      .execute();
    const events = rows
      .filter((r) => keep(r.participant))
      .map((r) => ({
        seq: r.seq,
        participant: r.participant,
        t: Number(r.t),
        type: r.type,
        payload: JSON.parse(r.payload) as unknown,
      }));
    const lanesLeftOut = new Set(rows.filter((r) => !keep(r.participant)).map((r) => r.participant)).size;
    sessions.push({
      session: {
        id: linked.id,
        title: linked.title,
        status: linked.status,
        startedAt: linked.startedAt,
        endedAt: linked.endedAt,
        therapistId: linked.therapistId,
      },
      participant: linked.participant,
      groupId: linked.groupId,
      shared,
      notes: await sessionNotes(db, linked.id),
      ratings: ((await sessionRatings(db, [linked.id])).get(linked.id) ?? []).filter(
        (r) => r.participant === null || r.participant === linked.participant,
      ),
      events,
      lanesLeftOut,
    });
    const names = new Map<string, string>();
    if (linked.participant !== null) names.set(linked.participant, record.displayName);
    const midi = sessionMidi(events, { names });
    if (midi)
      recordings.push({
        session: linked.id,
        file: `${linked.startedAt.slice(0, 10)}-session-${linked.id}.mid`,
        mediaType: 'audio/midi',
        tracks: midi.tracks,
        base64: Buffer.from(midi.bytes).toString('base64'),
      });
  }
  const { notes, createdAt, updatedAt, therapists, groups } = record;
  return {
    format: EXPORT_FORMAT,
    version: EXPORT_VERSION,
    exportedAt,
    client: {
      id: record.id,
      name: record.name,
      birthDate: record.birthDate,
      displayName: record.displayName,
      consent: record.consent,
      notes,
      createdAt,
      updatedAt,
    },
    therapists,
    groups,
    sessions,
    recordings,
    shares: await exportedShares(db, id),
  };
}
