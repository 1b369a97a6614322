// `npm run worker`: a job worker process on its own. It needs the shared database (DATABASE_URL):
// the embedded PGlite belongs to the API process, which runs its own worker in embedded mode.
import 'reflect-metadata';
import { loadConfig, ConfigError } from './config.js';
import { openOrm } from './db/orm.js';
import { sqlClientFromOrm } from './db/sql-client.js';
import { JobQueue } from './jobs/queue.js';
import { createLogger } from './logger.js';
import { createInProcessPubSub, createRedisPubSub } from './realtime/pubsub.js';
import { createSecretStore, parseSecretsConfig } from './secrets/create-secret-store.js';
import { startWorker } from './worker/start-worker.js';
import { provisioningOptions } from './modules/provision/provision.config.js';
import { metricsOptionsFromConfig } from './modules/metrics/metrics.collector.js';
import { notifierOptionsFromConfig } from './modules/notification/notification.dispatch.js';

async function main(): Promise<void> {
  const config = loadConfig();
  const log = createLogger(config.LOG_LEVEL, 'worker');
  if (!config.DATABASE_URL)
    throw new ConfigError(
      'DATABASE_URL is required for a separate worker (npm start runs one inside the API in embedded mode).',
    );
  if (!config.REDIS_URL)
    log.warn('REDIS_URL is not set: job progress reaches subscribers only through the database, not live.');
  const orm = await openOrm({ url: config.DATABASE_URL, poolSize: config.DATABASE_POOL_SIZE });
  const secrets = await createSecretStore(parseSecretsConfig(process.env), { sql: sqlClientFromOrm(orm), logger: log });
  const pubsub = config.REDIS_URL ? await createRedisPubSub(config.REDIS_URL) : createInProcessPubSub();
  const jobs = await JobQueue.start({ url: config.DATABASE_URL, poolSize: 4, log });
  const worker = await startWorker({
    orm,
    jobs,
    pubsub,
    secrets,
    log,
    concurrency: config.WORKER_CONCURRENCY,
    reconcileIntervalMs: config.RECONCILE_INTERVAL_SECONDS * 1000,
    ...provisioningOptions(config, { databaseUrl: config.DATABASE_URL, embedded: false }),
    metrics: metricsOptionsFromConfig(config),
    alerts: notifierOptionsFromConfig(config),
  });
  const stop = async () => {
    log.info('draining: running jobs finish or are released');
    await jobs.stop();
    worker.stop();
    await pubsub.close();
    await secrets.close();
    await orm.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop());
  process.once('SIGINT', () => void stop());
}

main().catch((err: unknown) => {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
});
