// The collector as the worker runs it: clusters from the database, clients from the registry (token
// secrets from the secret store), samples into the platform's database, live samples published.
import type { MikroORM } from '@mikro-orm/postgresql';
import {
  startCollector,
  type CollectionListener,
  type Collector,
  type CollectorOptions,
} from '@pvepaas/orchestration/metrics/index';
import type { Config } from '../../config.js';
import { sqlClientFromOrm } from '../../db/sql-client.js';
import type { Logger } from '../../logger.js';
import type { PubSub } from '../../realtime/pubsub.js';
import type { ClusterClients } from '../provision/cluster-clients.js';
import { metricsPublisher } from './metrics.publisher.js';

export type MetricsCollectorOptions = Partial<
  Pick<
    CollectorOptions,
    'intervalMs' | 'rollupIntervalMs' | 'retentionMs' | 'now' | 'timers' | 'cephEveryTicks' | 'backfillPerTick'
  >
> & { listeners?: CollectionListener[] };

const DAY = 86_400_000;

/** The collector's settings from the environment (README, "Configuration"). */
export function metricsOptionsFromConfig(config: Config): MetricsCollectorOptions {
  return {
    intervalMs: config.METRICS_INTERVAL_SECONDS * 1000,
    retentionMs: {
      raw: config.METRICS_RETENTION_RAW_DAYS * DAY,
      '1m': config.METRICS_RETENTION_1M_DAYS * DAY,
      '1h': config.METRICS_RETENTION_1H_DAYS * DAY,
    },
  };
}

export function startMetricsCollector(
  deps: { orm: MikroORM; clusters: ClusterClients; pubsub: PubSub; log: Logger },
  options: MetricsCollectorOptions,
): Collector {
  const db = sqlClientFromOrm(deps.orm);
  return startCollector({
    ...options,
    db,
    log: deps.log.child({ component: 'metrics' }),
    clusters: async () => (await db.query<{ id: string }>(`select id from cluster order by name`)).rows,
    client: (id) => deps.clusters.get(id),
    listeners: [metricsPublisher(db, deps.pubsub), ...(options.listeners ?? [])],
  });
}
