import { ReflectMetadataProvider } from '@mikro-orm/core';
import { Migrator } from '@mikro-orm/migrations';
import { MikroORM, defineConfig, type Options } from '@mikro-orm/postgresql';
import { entities } from './entities.js';
import { migrationsList } from '../migrations/index.js';

export { MikroORM };

export interface OrmOptions {
  url: string;
  /** 1 for PGlite (one query at a time); more for PostgreSQL. */
  poolSize: number;
  /** Called with every SQL statement; tests use it to count queries. */
  onQuery?: (sql: string) => void;
}

export function ormConfig({ url, poolSize, onQuery }: OrmOptions): Options {
  return defineConfig({
    clientUrl: url,
    entities,
    metadataProvider: ReflectMetadataProvider,
    extensions: [Migrator],
    pool: { min: 0, max: poolSize },
    forceUtcTimezone: true,
    // Entities are loaded per request through forked EntityManagers; the global one must stay unused.
    allowGlobalContext: false,
    // Tables managed by plain SQL are not entities: the local secret store, and the metrics tables
    // (partitioned by day, written in bulk by the collector; see server/src/modules/metrics).
    // pg-boss's schema is its own.
    schemaGenerator: {
      skipTables: [
        'secret_metadata',
        'secret_version',
        'metric_sample',
        'metric_rollup_1m',
        'metric_rollup_1h',
        'metric_rollup_state',
        'metric_collector_lease',
        'cluster_ceph_status',
      ],
      ignoreSchema: ['pgboss'],
    },
    migrations: { migrationsList, transactional: true, allOrNothing: true, snapshot: false, silent: true },
    debug: onQuery ? ['query'] : false,
    logger: onQuery ? (message) => onQuery(message) : undefined,
    colors: false,
  });
}

/** Connects and applies every pending migration. */
export async function openOrm(options: OrmOptions): Promise<MikroORM> {
  const orm = await MikroORM.init(ormConfig(options));
  await orm.getMigrator().up();
  return orm;
}
