// Databases for the local driver's tests: a fresh PostgreSQL database per test file (created through
// the `postgres` database, dropped afterwards) or an in-process PGlite, both with the secrets
// migration applied exactly as MikroORM would run it.
import { randomBytes } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { Migration20261125000200_secrets } from '../../migrations/Migration20261125000200_secrets.js';
import type { SqlClient } from '../local-secret-store.js';

export const POSTGRES_ADMIN_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestDatabase {
  sql: SqlClient;
  name: string;
  close(): Promise<void>;
}

/** The SQL of the secrets migration, taken from the migration class itself. */
export async function secretsMigrationSql(direction: 'up' | 'down' = 'up'): Promise<string[]> {
  // The migration only records SQL in up()/down(); it needs neither a driver nor a config for that.
  const migration = new Migration20261125000200_secrets(null as never, null as never);
  await migration[direction]();
  return migration.getQueries().map((query) => {
    if (typeof query !== 'string') throw new Error('expected raw SQL in the secrets migration');
    return query;
  });
}

async function migrate(sql: SqlClient): Promise<void> {
  for (const statement of await secretsMigrationSql('up')) await sql.query(statement);
}

export async function createPostgresDatabase(): Promise<TestDatabase> {
  const name = `secrets_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(`create database "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${name}`;
  const pool = new pg.Pool({ connectionString: url.toString(), max: 4 });
  await migrate(pool);
  return {
    sql: pool,
    name,
    async close() {
      await pool.end();
      const cleaner = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
      await cleaner.connect();
      try {
        await cleaner.query(`drop database if exists "${name}" with (force)`);
      } finally {
        await cleaner.end();
      }
    },
  };
}

export async function createPgliteDatabase(options: { migrate?: boolean } = {}): Promise<TestDatabase> {
  const db = await PGlite.create();
  const sql: SqlClient = { query: (text, params) => db.query(text, params) };
  if (options.migrate !== false) await migrate(sql);
  return { sql, name: 'pglite', close: () => db.close() };
}
