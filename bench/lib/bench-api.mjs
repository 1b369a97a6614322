// The API as server/src/main.ts builds it (createApp from server/dist), wired like the test harness:
// in-process pub/sub, the pg-boss job queue, a local secret store with a throwaway key,
// `NODE_ENV=production`. For benchmarks' API child processes.
import { randomBytes } from 'node:crypto';

const dist = (p) => new URL(`../../server/dist/${p}`, import.meta.url).href;

// `config`: extra settings as environment strings (e.g. a rate limit a benchmark's load would hit).
// `startApp(deps)` (returned) builds and starts one more app in the same process, on the same database
// pool, secret store, pub/sub and job queue, with `deps` added to createApp's (e.g. bench/auth's
// fixedViewerForBenchmark); `close` stops it too.
export async function startBenchApi({ url, poolSize, onQuery, logLevel = 'silent', config: overrides = {} }) {
  await import('reflect-metadata');
  const [orm_, app_, config_, logger_, secrets_, sqlClient_, pubsub_, jobs_] = await Promise.all(
    [
      'db/orm.js',
      'app.js',
      'config.js',
      'logger.js',
      'secrets/local-secret-store.js',
      'db/sql-client.js',
      'realtime/pubsub.js',
      'jobs/queue.js',
    ].map((p) => import(dist(p))),
  );
  const log = logger_.createLogger(logLevel);
  const config = config_.loadConfig({
    NODE_ENV: 'production',
    ...(poolSize ? { DATABASE_POOL_SIZE: String(poolSize) } : {}),
    ...overrides,
  });
  const orm = await orm_.openOrm({ url, poolSize: config.DATABASE_POOL_SIZE, onQuery });
  const secrets = new secrets_.LocalSecretStore({ sql: sqlClient_.sqlClientFromOrm(orm), key: randomBytes(32) });
  const pubsub = pubsub_.createInProcessPubSub();
  const jobs = await jobs_.JobQueue.start({ url, poolSize: 2, log });
  const sessionSecret = randomBytes(32).toString('base64');
  const more = [];
  const startApp = async (deps = {}) => {
    const app = await app_.createApp(config, { orm, log, secrets, pubsub, jobs, sessionSecret, ...deps });
    more.push(app);
    return { app, address: await app.listen(0, '127.0.0.1') };
  };
  const app = await app_.createApp(config, { orm, log, secrets, pubsub, jobs, sessionSecret });
  const address = await app.listen(0, '127.0.0.1');
  const close = async () => {
    for (const other of more) await other.stop();
    await app.stop();
    await jobs.stop();
    await pubsub.close();
    await orm.close();
  };
  return { app, address, close, startApp, orm };
}
