/**
 * The table of clips shared with a client's family and its migration. A share is a span of one
 * session, the therapist's note for the family, and an expiring link; the link's token is never
 * kept, only its SHA-256 hash, so a copy of the database opens no clip. A share goes with its
 * session and with its client (`on delete cascade`); its rendered clip is a file under the data
 * folder, named in `clip_path` so whatever deletes the row can delete the file.
 */
import type { Kysely, Migration } from 'kysely';
import type { RecordTables } from '../records/tables.ts';
import type { Database } from '../storage/index.ts';

/** The shares' table as Kysely sees it. */
export type ShareTables = {
  share: {
    id: string;
    /** SHA-256 of the link's token, hex. */
    token_hash: string;
    session_id: string;
    /** The client whose family the clip is for (consent is theirs and every other client's in it). */
    client_id: string;
    /** Seconds on the session clock. */
    span_from: number;
    span_to: number;
    note: string;
    /** 1 when the family page shows the client's display name (their pseudonym), 0 when it shows none. */
    show_name: number;
    created_by: string | null;
    created_at: string;
    expires_at: string;
    revoked_at: string | null;
    /** Why it stopped: `revoked` by a therapist, or `consent-withdrawn`. */
    revoked_reason: string | null;
    /** The rendered clip, once rendered. */
    clip_path: string | null;
  };
};

/** The studio's database with the records' and the shares' tables. */
export type SharesDatabase = Database & RecordTables & ShareTables;

/** The shares' database handle over a store's. */
export function sharesDb(db: Kysely<Database>): Kysely<SharesDatabase> {
  return db.withTables<RecordTables & ShareTables>();
}

/** Migration `0006-shares`. */
export const sharesMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('share')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('token_hash', 'text', (c) => c.notNull().unique())
      .addColumn('session_id', 'text', (c) => c.notNull().references('live_session.id').onDelete('cascade'))
      .addColumn('client_id', 'text', (c) => c.notNull().references('client.id').onDelete('cascade'))
      .addColumn('span_from', 'double precision', (c) => c.notNull())
      .addColumn('span_to', 'double precision', (c) => c.notNull())
      .addColumn('note', 'text', (c) => c.notNull())
      .addColumn('show_name', 'integer', (c) => c.notNull())
      .addColumn('created_by', 'text', (c) => c.references('account.id').onDelete('set null'))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .addColumn('revoked_at', 'text')
      .addColumn('revoked_reason', 'text')
      .addColumn('clip_path', 'text')
      .execute();
    await db.schema.createIndex('share_session').on('share').column('session_id').execute();
    await db.schema.createIndex('share_client').on('share').column('client_id').execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('share').execute();
  },
};
