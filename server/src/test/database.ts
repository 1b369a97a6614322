// One fresh database per test file: a new PostgreSQL database (created and dropped here) or a new
// in-memory PGlite, chosen by the vitest project (TEST_DATABASE). Migrations run as in production.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { startEmbeddedPostgres } from '../db/embedded-postgres.js';
import { openOrm, type MikroORM } from '../db/orm.js';

export type TestDatabaseKind = 'postgres' | 'pglite';

export const testDatabaseKind = (): TestDatabaseKind =>
  process.env.TEST_DATABASE === 'postgres' ? 'postgres' : 'pglite';

/** Why the PostgreSQL half cannot run here, or '' (the global setup printed it loudly). */
export const postgresUnavailable = (): string =>
  testDatabaseKind() === 'postgres' ? (inject('postgresUnavailable') ?? '') : '';

export interface TestDatabase {
  kind: TestDatabaseKind;
  url: string;
  orm: MikroORM;
  /** SQL statements run since the last `resetQueries()`. */
  queries: string[];
  resetQueries(): void;
  close(): Promise<void>;
}

export async function openTestDatabase(): Promise<TestDatabase> {
  const kind = testDatabaseKind();
  const queries: string[] = [];
  const onQuery = (line: string) => {
    if (/\[query\]/.test(line)) queries.push(line);
  };
  if (kind === 'pglite') {
    const embedded = await startEmbeddedPostgres();
    const orm = await openOrm({ url: embedded.url, poolSize: 1, onQuery });
    return {
      kind,
      url: embedded.url,
      orm,
      queries,
      resetQueries: () => void queries.splice(0),
      async close() {
        await orm.close();
        await embedded.close();
      },
    };
  }
  const admin = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const name = `pvepaas_test_${randomBytes(6).toString('hex')}`;
  await withAdmin(admin, (c) => c.query(`create database "${name}"`));
  const url = new URL(admin);
  url.pathname = `/${name}`;
  const orm = await openOrm({ url: url.toString(), poolSize: 5, onQuery });
  return {
    kind,
    url: url.toString(),
    orm,
    queries,
    resetQueries: () => void queries.splice(0),
    async close() {
      await orm.close();
      await withAdmin(admin, (c) => c.query(`drop database if exists "${name}" with (force)`));
    },
  };
}

async function withAdmin<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}
