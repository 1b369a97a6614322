import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, postgresUnavailable, type TestDatabase } from '../test/database.js';

describe.skipIf(postgresUnavailable())('migrations', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await openTestDatabase();
  });
  afterAll(() => db?.close());

  it('bring an empty database exactly to the entities (no pending schema change)', async () => {
    const diff = await db.orm.schema.getUpdateSchemaSQL({ wrap: false, safe: false });
    expect(diff.trim()).toBe('');
  });

  it('enforce the soft invariants in the database', async () => {
    const rows = await db.orm.em
      .fork()
      .getConnection()
      .execute<{ conname: string }[]>(`select conname from pg_constraint where contype = 'u' order by conname`);
    const names = rows.map((r) => r.conname);
    expect(names).toEqual(
      expect.arrayContaining([
        'machine_cluster_id_vmid_unique',
        'project_organization_id_name_unique',
        'organization_slug_unique',
        'users_email_unique',
        'job_requested_by_id_idempotency_key_unique',
      ]),
    );
  });
});
