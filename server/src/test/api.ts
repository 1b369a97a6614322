// The API under test, served over real HTTP on a free port against this file's own database.
import { randomBytes } from 'node:crypto';
import { createApp, type App } from '../app.js';
import { loadConfig } from '../config.js';
import { sqlClientFromOrm } from '../db/sql-client.js';
import { createLogger, type Logger } from '../logger.js';
import { Cluster } from '../modules/cluster/cluster.entity.js';
import { Machine } from '../modules/machine/machine.entity.js';
import { Membership, type Role } from '../modules/membership/membership.entity.js';
import { Organization } from '../modules/organization/organization.entity.js';
import { Project } from '../modules/project/project.entity.js';
import { MachineKind, Template } from '../modules/template/template.entity.js';
import { User } from '../modules/user/user.entity.js';
import { hashPassword } from '../auth/password.js';
import { JobQueue } from '../jobs/queue.js';
import { createInProcessPubSub, type PubSub } from '../realtime/pubsub.js';
import { LocalSecretStore } from '../secrets/local-secret-store.js';
import type { RateLimitStore } from '../security/rate-limit.js';
import type { RefreshTokenStore } from '../auth/refresh-token-store.js';
import { openTestDatabase, type TestDatabase } from './database.js';

export interface GqlResult<T = Record<string, unknown>> {
  data?: T | null;
  errors?: { message: string; path?: string[]; extensions?: Record<string, unknown> }[];
}

/** A response's data as tests read it: the assertions check the shape, not the type system. */
export type Json = any;

export type GqlError = NonNullable<GqlResult['errors']>[number];

export interface TestApi {
  url: string;
  db: TestDatabase;
  app: App;
  pubsub: PubSub;
  jobs: JobQueue;
  gql<T = Record<string, Json>>(
    query: string,
    variables?: Record<string, unknown>,
    token?: string | null,
  ): Promise<GqlResult<T>>;
  /** Like gql, but fails the test on any error and returns data. */
  ok<T = Record<string, Json>>(query: string, variables?: Record<string, unknown>, token?: string | null): Promise<T>;
  /** Like gql, but fails the test unless there is an error, and returns the first one. */
  fail(query: string, variables?: Record<string, unknown>, token?: string | null): Promise<GqlError>;
  /** A user with a session token; `password` is set so sign-in can be tested. */
  user(opts?: { admin?: boolean; email?: string; password?: string }): Promise<{ user: User; token: string }>;
  /** An organization (and optional project) with `user` in `role`. */
  org(user: User, role: Role, name?: string): Promise<{ org: Organization; project: Project }>;
  /** A cluster with a VM template, inserted directly (clusters need a secret store to go through the API). */
  template(): Promise<Template>;
  /** A machine record in `project`, inserted directly. */
  machine(project: { id: string }, owner: { id: string }, template: Template, name?: string): Promise<Machine>;
  close(): Promise<void>;
}

/**
 * `secretsKey`: the local secret store's key, for tests that share the store with a worker process (SECRETS_KEY).
 * `env`: extra environment for the config (NODE_ENV, rate limits...); `rateLimitStore`: e.g. a Redis one.
 */
export async function startTestApi(
  options: {
    secretsKey?: Buffer;
    env?: NodeJS.ProcessEnv;
    rateLimitStore?: RateLimitStore;
    refreshTokenStore?: RefreshTokenStore;
    /** The API's logger (default: TEST_LOG_LEVEL, silent, to stdout). */
    log?: Logger;
  } = {},
): Promise<TestApi> {
  const db = await openTestDatabase();
  const log = options.log ?? createLogger(process.env.TEST_LOG_LEVEL ?? 'silent');
  const config = loadConfig({ NODE_ENV: 'test', ...options.env });
  const secrets = new LocalSecretStore({ sql: sqlClientFromOrm(db.orm), key: options.secretsKey ?? randomBytes(32) });
  const pubsub = createInProcessPubSub();
  const jobs = await JobQueue.start({ url: db.url, poolSize: db.kind === 'pglite' ? 1 : 2, log });
  const app = await createApp(config, {
    orm: db.orm,
    log,
    secrets,
    pubsub,
    jobs,
    sessionSecret: randomBytes(32).toString('base64'),
    rateLimitStore: options.rateLimitStore,
    refreshTokenStore: options.refreshTokenStore,
  });
  const address = await app.listen(0, '127.0.0.1');
  const url = `${app.scheme}://127.0.0.1:${address.port}`;

  const gql: TestApi['gql'] = async (query, variables, token) => {
    const res = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    return (await res.json()) as GqlResult<never>;
  };
  let seq = 0;
  return {
    url,
    db,
    app,
    gql,
    async ok(query, variables, token) {
      const result = await gql(query, variables, token);
      if (result.errors?.length) throw new Error(`GraphQL errors: ${JSON.stringify(result.errors)}`);
      return result.data as never;
    },
    async fail(query, variables, token) {
      const result = await gql(query, variables, token);
      const first = result.errors?.[0];
      if (!first) throw new Error(`expected a GraphQL error, got data: ${JSON.stringify(result.data)}`);
      return first;
    },
    async user(opts = {}) {
      const em = db.orm.em.fork();
      const user = em.create(User, {
        email: opts.email ?? `user${++seq}-${randomBytes(3).toString('hex')}@example.com`,
        displayName: `User ${seq}`,
        passwordHash: opts.password ? await hashPassword(opts.password) : null,
        isPlatformAdmin: opts.admin ?? false,
      });
      await em.flush();
      return { user, token: await app.services.sessionKeys.sign(user.id) };
    },
    async org(user, role, name = `org-${++seq}-${randomBytes(3).toString('hex')}`) {
      const em = db.orm.em.fork();
      const org = em.create(Organization, { name, slug: name });
      const project = em.create(Project, { organization: org, name: 'default' });
      em.create(Membership, { organization: org, user: user.id, role, project: null });
      await em.flush();
      return { org, project };
    },
    async template() {
      const em = db.orm.em.fork();
      const n = ++seq;
      const cluster = em.create(Cluster, {
        name: `c${n}`,
        apiUrl: 'https://pve:8006',
        tokenId: 'a@pve!t',
        tokenSecretRef: `clusters/c${n}`,
      });
      const template = em.create(Template, {
        cluster,
        name: `debian-12-${n}`,
        kind: MachineKind.VM,
        os: 'debian-12',
        sourceVmid: 9000,
        defaultCores: 2,
        defaultMemoryMiB: 2048,
        defaultDiskGiB: 10,
      });
      await em.flush();
      return template;
    },
    async machine(project, owner, template, name = `m-${++seq}`) {
      const em = db.orm.em.fork();
      const machine = em.create(Machine, {
        name,
        kind: template.kind,
        project: project.id,
        owner: owner.id,
        template: template.id,
        cores: 1,
        memoryMiB: 1024,
        diskGiB: 10,
      });
      await em.flush();
      return machine;
    },
    pubsub,
    jobs,
    async close() {
      await app.stop();
      await jobs.stop();
      await pubsub.close();
      await db.close();
    },
  };
}
