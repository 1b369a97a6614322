import type { MikroORM } from '@mikro-orm/postgresql';
import type { SqlClient } from '../secrets/local-secret-store.js';

interface PgConnection {
  query(sql: string, params?: unknown[]): Promise<{ rows: unknown[] }>;
}

/**
 * Plain `pg` queries on the ORM's own pool, for modules that speak SQL directly (the local secret
 * store). Sharing the pool matters on PGlite, which serves one connection; do not call it from
 * inside an open ORM transaction, whose connection the pool cannot lend twice.
 */
export function sqlClientFromOrm(orm: MikroORM): SqlClient {
  const knexClient = orm.em.getConnection().getKnex().client as {
    acquireConnection(): Promise<PgConnection>;
    releaseConnection(connection: PgConnection): Promise<void>;
  };
  return {
    async query<T>(sql: string, params?: unknown[]) {
      const connection = await knexClient.acquireConnection();
      try {
        const result = await connection.query(sql, params);
        return { rows: result.rows as T[] };
      } finally {
        await knexClient.releaseConnection(connection);
      }
    },
  };
}
