import { describe, expect, it } from 'vitest';
import { vanishedSchema } from './schema.ts';

describe('a migration that met a vanishing schema', () => {
  it('is tried again when another schema disappeared while Kysely read the tables', () => {
    expect(vanishedSchema(new Error('schema "attune_store_1_2" does not exist'), 'attune_records_9')).toBe(
      true,
    );
    expect(vanishedSchema(new Error('schema "attune_store_1_2" does not exist'), undefined)).toBe(true);
  });

  it('is not tried again when our own schema is missing, or for any other failure', () => {
    expect(vanishedSchema(new Error('schema "attune_x" does not exist'), 'attune_x')).toBe(false);
    expect(vanishedSchema(new Error('schema "public" does not exist'), undefined)).toBe(false);
    expect(vanishedSchema(new Error('relation "account" already exists'), undefined)).toBe(false);
    expect(vanishedSchema('connection refused', 'attune_x')).toBe(false);
  });
});
