// The API process: reads the environment, opens the database (real PostgreSQL with DATABASE_URL,
// embedded PGlite without), makes sure an administrator exists, and serves until SIGTERM.
import 'reflect-metadata';
import path from 'node:path';
import { createApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { bootstrap } from './bootstrap.js';
import { startEmbeddedPostgres } from './db/embedded-postgres.js';
import { openOrm } from './db/orm.js';
import { sqlClientFromOrm } from './db/sql-client.js';
import { createLogger } from './logger.js';
import { JobQueue } from './jobs/queue.js';
import { createInProcessPubSub, createRedisPubSub } from './realtime/pubsub.js';
import { createSecretStore, parseSecretsConfig } from './secrets/create-secret-store.js';
import { startDemoCluster } from './embedded/demo-cluster.js';
import { startWorker } from './worker/start-worker.js';
import { provisioningOptions } from './modules/provision/provision.config.js';
import { metricsOptionsFromConfig } from './modules/metrics/metrics.collector.js';
import { notifierOptionsFromConfig } from './modules/notification/notification.dispatch.js';
import { loadSecretKey } from './secrets/secret-key.js';

async function main(): Promise<void> {
  const config = loadConfig();
  const log = createLogger(config.LOG_LEVEL);
  const embedded = config.DATABASE_URL ? null : await startEmbeddedPostgres(path.join(config.DATA_DIR, 'pglite'));
  const orm = await openOrm({
    url: config.DATABASE_URL ?? embedded!.url,
    poolSize: embedded ? 1 : config.DATABASE_POOL_SIZE,
  });
  log.info(
    { database: embedded ? `embedded PGlite in ${config.DATA_DIR}/pglite` : 'PostgreSQL (DATABASE_URL)' },
    'database ready',
  );
  // Vault when VAULT_ADDR is set (never a silent fallback), else the local encrypted store.
  const secrets = await createSecretStore(
    parseSecretsConfig({ SECRETS_KEY_FILE: path.join(config.DATA_DIR, 'secrets.key'), ...process.env }),
    { sql: sqlClientFromOrm(orm), logger: log },
  );
  // The session signing key: SESSION_SECRET, or a key file generated at first start (never a default).
  const sessionKey = await loadSecretKey({
    envKey: config.SESSION_SECRET,
    envName: 'SESSION_SECRET',
    keyFile: path.join(config.DATA_DIR, 'session.key'),
  });
  await bootstrap(orm, config, log, { demo: embedded !== null });
  const pubsub = config.REDIS_URL ? await createRedisPubSub(config.REDIS_URL) : createInProcessPubSub();
  const jobs = await JobQueue.start({ url: config.DATABASE_URL ?? embedded!.url, poolSize: embedded ? 1 : 4, log });
  const app = await createApp(config, {
    orm,
    log,
    secrets,
    pubsub,
    jobs,
    sessionSecret: sessionKey.key.toString('base64'),
  });
  // Embedded mode also runs the Proxmox VE simulator and the job worker in this process.
  const demo =
    embedded && config.PVE_SIMULATOR !== false ? await startDemoCluster(orm, secrets, config.DATA_DIR, log) : null;
  const worker =
    embedded || config.WORKER_IN_PROCESS
      ? await startWorker({
          orm,
          jobs,
          pubsub,
          secrets,
          log,
          concurrency: config.WORKER_CONCURRENCY,
          reconcileIntervalMs: config.RECONCILE_INTERVAL_SECONDS * 1000,
          ...provisioningOptions(config, {
            databaseUrl: config.DATABASE_URL ?? embedded!.url,
            embedded: embedded !== null,
          }),
          metrics: metricsOptionsFromConfig(config),
          alerts: notifierOptionsFromConfig(config),
        })
      : null;
  const address = await app.listen(config.PORT);
  log.info({ url: `${app.scheme}://${address.address}:${address.port}/graphql` }, 'API listening');

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'draining');
    await app.stop();
    log.info('HTTP and GraphQL drained');
    await jobs.stop();
    worker?.stop();
    await demo?.close();
    await pubsub.close();
    await secrets.close();
    await orm.close();
    await embedded?.close();
    log.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError) console.error(err.message);
  else console.error(err);
  process.exit(1);
});
