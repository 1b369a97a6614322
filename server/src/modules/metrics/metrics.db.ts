// Plain SQL for the metric tables on the request's own connection pool (MetricsDb: `$n`
// parameters, as the collector's code is written). Not for use inside an open ORM transaction.
import type { EntityManager } from '@mikro-orm/postgresql';
import type { MetricsDb } from '@pvepaas/orchestration/metrics/index';

interface PgConnection {
  query(sql: string, params?: unknown[]): Promise<{ rows: unknown[] }>;
}

export function metricsDb(em: EntityManager): MetricsDb {
  const client = em.getConnection().getKnex().client as {
    acquireConnection(): Promise<PgConnection>;
    releaseConnection(connection: PgConnection): Promise<void>;
  };
  return {
    async query<T>(sql: string, params?: unknown[]) {
      const connection = await client.acquireConnection();
      try {
        const result = await connection.query(sql, params);
        return { rows: result.rows as T[] };
      } finally {
        await client.releaseConnection(connection);
      }
    },
  };
}
