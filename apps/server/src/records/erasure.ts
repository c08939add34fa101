/**
 * Erasing a client on request, in one transaction:
 *
 * - The client's record goes: name, date of birth, display name, consent, notes, their
 *   assignments, group memberships and session links.
 * - A session that is theirs alone (no other client linked to it, directly or through its group)
 *   goes whole: its recording (the session log), its notes and its links.
 * - A session shared with other clients stays, because its music is also the other clients'
 *   record: their playing answers the erased client's and means little without it. The erased
 *   client's lane (when the session was linked to them with it) is renamed in the log from `p2`
 *   to a random `erased-…`, so nothing left ties that lane to them; the notes of a shared session
 *   are the group's and stay, and the erasure lists those sessions so an admin can read their
 *   notes for the client's name.
 * - The audit trail keeps an entry of the erasure with counts and the kept sessions' ids; earlier
 *   entries name the client only by an id that now leads nowhere, and never held their personal
 *   data.
 *
 * A session running live now is not touched: the erasure is refused (`409 session-live`) until it
 * has ended, so a room cannot write to a log that is being erased.
 */
import { randomBytes } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import { deleteLaneRatings } from '../assessment/store.ts';
import { dropSummary } from '../review/summaries.ts';
import { removeClips } from '../share/clips.ts';
import { dropSharesOf } from '../share/shares.ts';
import { RecordsError } from './checks.ts';
import type { RecordsDatabase } from './tables.ts';
import { linkedSessions, sessionClientIds } from './views.ts';

/** What an erasure did. */
export interface Erasure {
  /** Sessions that were the client's alone, removed with their recordings and notes. */
  readonly sessionsDeleted: number;
  /** Shared sessions kept, by id (their notes may name the client: read them). */
  readonly sessionsKept: string[];
  /** Lanes of kept sessions renamed to a pseudonym. */
  readonly lanesPseudonymised: number;
  /** Groups the client was taken out of. */
  readonly groupsLeft: number;
}

/** What an erasure needs beside the database. */
export interface ErasureOptions {
  readonly isLive: (sessionId: string) => boolean;
  /** Writes the erasure's audit entry in the erasure's transaction. */
  readonly audit: (erasure: Erasure, trx: Transaction<RecordsDatabase>) => Promise<void>;
}

/** Erases client `id` (who may, and the confirmation, are checked by the caller). */
export async function eraseClient(
  db: Kysely<RecordsDatabase>,
  id: string,
  options: ErasureOptions,
): Promise<Erasure> {
  const sessions = await linkedSessions(db, id);
  const live = sessions.filter((s) => options.isLive(s.id));
  if (live.length > 0)
    throw new RecordsError(
      409,
      'session-live',
      `This client's session ${live.map((s) => JSON.stringify(s.title)).join(', ')} is running: end it before erasing the client.`,
    );
  let clips: string[] = [];
  const erased = await db.transaction().execute(async (trx) => {
    // Family links to its sessions stop: each clip holds every lane, this client's too.
    clips = await dropSharesOf(
      trx,
      id,
      sessions.map((s) => s.id),
    );
    let sessionsDeleted = 0;
    let lanesPseudonymised = 0;
    const sessionsKept: string[] = [];
    for (const session of sessions) {
      const others = (await sessionClientIds(trx, session.id)).filter((c) => c !== id);
      if (others.length === 0) {
        // Its ratings, notes and links go with it (on delete cascade).
        await trx.deleteFrom('live_session').where('id', '=', session.id).execute();
        sessionsDeleted++;
        continue;
      }
      sessionsKept.push(session.id);
      if (session.participant !== null) {
        await trx
          .updateTable('session_event')
          .set({ participant: `erased-${randomBytes(6).toString('hex')}` })
          .where('session_id', '=', session.id)
          .where('participant', '=', session.participant)
          .execute();
        await dropSummary(trx, session.id);
        lanesPseudonymised++;
        await deleteLaneRatings(trx, session.id, session.participant);
      }
    }
    const groups = await trx
      .selectFrom('group_member')
      .select('group_id')
      .where('client_id', '=', id)
      .execute();
    await trx.deleteFrom('client').where('id', '=', id).execute();
    const erasure: Erasure = { sessionsDeleted, sessionsKept, lanesPseudonymised, groupsLeft: groups.length };
    await options.audit(erasure, trx);
    return erasure;
  });
  removeClips(clips);
  return erased;
}
