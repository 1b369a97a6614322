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
    // Tables managed by plain SQL (the local secret store) and pg-boss's own schema are not entities.
    schemaGenerator: { skipTables: ['secret_metadata', 'secret_version'], ignoreSchema: ['pgboss'] },
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
