// Generated from the schema: every query, mutation and subscription, called by three callers —
// anonymous, the owner of another organisation, and a viewer of the organisation the arguments point
// into — against the rule in authorization-matrix.rules.ts. An operation without a rule fails here.
import { randomBytes } from 'node:crypto';
import type { GraphQLField, GraphQLObjectType } from 'graphql';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApiSchema } from '../graphql/schema.js';
import { createInProcessPubSub } from '../realtime/pubsub.js';
import { Alert, AlertSeverity, AlertState } from '../modules/alert/alert.entity.js';
import { Node } from '../modules/cluster/node.entity.js';
import { JobEvent } from '../modules/job/job-event.entity.js';
import { Job, JobStatus } from '../modules/job/job.entity.js';
import { Membership, Role } from '../modules/membership/membership.entity.js';
import { NetworkConfiguration } from '../modules/network/network.entity.js';
import { StorageConfiguration } from '../modules/storage/storage.entity.js';
import { postgresUnavailable } from '../test/database.js';
import { startTestApi, type GqlResult, type TestApi } from '../test/api.js';
import { operation, type Fixtures, type OperationKind, type SampleContext } from './authorization-matrix.operations.js';
import { ruleFor, RULES, type Outcome, type Rule } from './authorization-matrix.rules.js';

type Caller = 'anonymous' | 'otherOrg' | 'viewer';
type Field = GraphQLField<unknown, unknown>;

const schema = await buildApiSchema(createInProcessPubSub());
const fields = (type: GraphQLObjectType | null | undefined) => Object.values(type?.getFields() ?? {});
const roots: [OperationKind, Field][] = [
  ...fields(schema.getQueryType()).map((f) => ['query', f] as [OperationKind, Field]),
  ...fields(schema.getMutationType()).map((f) => ['mutation', f] as [OperationKind, Field]),
];
const subscriptions = fields(schema.getSubscriptionType());

/** Codes that mean "not for you". UNAUTHENTICATED only counts for the anonymous caller. */
const REFUSALS: Record<Caller, string[]> = {
  anonymous: ['UNAUTHENTICATED'],
  otherOrg: ['FORBIDDEN', 'NOT_FOUND'],
  viewer: ['FORBIDDEN', 'NOT_FOUND'],
};

describe.skipIf(postgresUnavailable())('authorisation matrix generated from the schema', () => {
  let api: TestApi;
  let fixtures: Fixtures;
  const tokens: Record<Caller, string | null> = { anonymous: null, otherOrg: null, viewer: null };
  const userIds: Record<Caller, string | null> = { anonymous: null, otherOrg: null, viewer: null };
  let otherOrgId: string;
  let ownerToken: string;
  /** Per caller: ids that must never appear in an answer the caller gets. */
  const hidden: Record<Caller, string[]> = { anonymous: [], otherOrg: [], viewer: [] };
  let viewerAccount: { email: string; password: string };
  let otherProjectId: string;
  let stateBefore: string;

  /** Every row the callers could have changed, as owner A would see it in the database. */
  async function tenantState(): Promise<string> {
    const em = api.db.orm.em.fork();
    const rows = await Promise.all(
      [
        'organization',
        'project',
        'membership',
        'machine',
        'job',
        'network_configuration',
        'api_token',
        'cluster',
        'node',
        'template',
        'storage_configuration',
        'users',
        'invitation',
        'alert_rule',
        'alert',
        'notification_channel',
      ].map(async (table) => {
        // Ids this test generated (UUIDs), so they can stand in the statement.
        const ids = Object.values(fixtures).map((id) => `'${id}'`);
        const found = await em.getConnection().execute(`select * from "${table}" where id in (${ids}) order by id`);
        return [table, found.map((r: Record<string, unknown>) => ({ ...r, updated_at: undefined }))];
      }),
    );
    return JSON.stringify(rows);
  }

  beforeAll(async () => {
    api = await startTestApi();
    const owner = await api.user();
    ownerToken = owner.token;
    const { org, project } = await api.org(owner.user, Role.OWNER);
    const template = await api.template();
    const machine = await api.machine(project, owner.user, template);
    const em = api.db.orm.em.fork();
    const network = em.create(NetworkConfiguration, { project: project.id, name: 'lan', bridge: 'vmbr0' });
    const node = em.create(Node, { cluster: template.cluster.id, name: 'pve1', status: 'online' });
    const storage = em.create(StorageConfiguration, {
      cluster: template.cluster.id,
      name: 'fast',
      storageId: 'local-lvm',
      type: 'lvmthin',
    });
    const job = em.create(Job, {
      kind: 'provision',
      status: JobStatus.FAILED,
      project: project.id,
      machine: machine.id,
      requestedBy: owner.user.id,
    });
    em.create(JobEvent, { job, seq: 1, step: 'job', status: 'finished', message: 'done' });
    await em.flush();
    const { createApiToken } = await api.ok(
      `mutation { createApiToken(input: { name: "owner's", scopes: [] }) { apiToken { id } } }`,
      {},
      owner.token,
    );

    const { createInvitation } = await api.ok(
      `mutation($o: ID!) { createInvitation(input: { organizationId: $o, email: "invitee@example.com", role: VIEWER }) { invitation { id } } }`,
      { o: org.id },
      owner.token,
    );
    const { createAlertRule } = await api.ok(
      `mutation($m: ID!) { createAlertRule(input: { name: "cpu", scope: MACHINE, machineId: $m, metric: CPU, comparator: GT, threshold: 90, durationSeconds: 60 }) { id } }`,
      { m: machine.id },
      owner.token,
    );
    const { createNotificationChannel } = await api.ok(
      `mutation($o: ID!) { createNotificationChannel(input: { organizationId: $o, name: "ops", kind: EMAIL, recipients: ["ops@example.com"] }) { id } }`,
      { o: org.id },
      owner.token,
    );
    const alert = em.create(Alert, {
      rule: createAlertRule.id,
      organization: org.id,
      project: project.id,
      machine: machine.id,
      subject: 'machine:100',
      subjectLabel: 'guest 100',
      state: AlertState.FIRING,
      severity: AlertSeverity.WARNING,
      value: 95,
      pendingSince: new Date(),
      firedAt: new Date(),
    });
    await em.flush();
    const password = `pw-${randomBytes(8).toString('hex')}`;
    const viewer = await api.user({ password });
    viewerAccount = { email: viewer.user.email, password };
    const viewerMembership = em.create(Membership, {
      organization: org.id,
      user: viewer.user.id,
      role: Role.VIEWER,
      project: null,
    });
    await em.flush();
    const ownerMembership = await em.findOneOrFail(Membership, { organization: org.id, user: owner.user.id });
    tokens.viewer = viewer.token;
    userIds.viewer = viewer.user.id;

    const other = await api.user();
    const otherOrg = await api.org(other.user, Role.OWNER);
    otherProjectId = otherOrg.project.id;
    otherOrgId = otherOrg.org.id;
    tokens.otherOrg = other.token;
    userIds.otherOrg = other.user.id;

    fixtures = {
      organization: org.id,
      project: project.id,
      machine: machine.id,
      job: job.id,
      membership: ownerMembership.id,
      network: network.id,
      apiToken: createApiToken.apiToken.id,
      cluster: template.cluster.id,
      node: node.id,
      template: template.id,
      storage: storage.id,
      user: owner.user.id,
      invitation: createInvitation.invitation.id,
      alertRule: createAlertRule.id,
      alert: alert.id,
      notificationChannel: createNotificationChannel.id,
    };
    // The platform's catalogue (clusters' templates and storages) is shared; the tenant's is not.
    const catalogue = new Set([template.id, storage.id, template.cluster.id]);
    hidden.otherOrg = [...Object.values(fixtures).filter((id) => !catalogue.has(id)), viewerMembership.id];
    // Another member's token is theirs alone.
    hidden.viewer = [createApiToken.apiToken.id];
    stateBefore = await tenantState();
  });
  afterAll(() => api?.close());

  const context = (rule: Rule): SampleContext => ({
    fixtures,
    id: rule.id,
    email: viewerAccount.email,
    password: viewerAccount.password,
  });

  it('has a rule for every operation of the schema, and no rule for an operation that is gone', () => {
    const missing: string[] = [];
    for (const [kind, f] of [...roots, ...subscriptions.map((f) => ['subscription', f] as const)]) {
      try {
        ruleFor(kind, f.name);
      } catch (err) {
        missing.push((err as Error).message);
      }
    }
    expect(missing, missing.join('\n')).toEqual([]);
    const names = new Set([...roots, ...subscriptions.map((f) => ['subscription', f] as const)].map(([, f]) => f.name));
    const stale = Object.values(RULES).flatMap((table) => Object.keys(table).filter((n) => !names.has(n)));
    expect(stale, 'rules for operations the schema no longer has').toEqual([]);
    expect(roots.length).toBeGreaterThan(50);
  });

  function check(caller: Caller, expected: Outcome, field: Field, res: GqlResult, query: string) {
    // The operation's own answer: an error on a nested field (e.g. members) also nulls the data,
    // but would hide that the operation itself let the caller in.
    const root = res.errors?.find((e) => !e.path || (e.path.length === 1 && e.path[0] === field.name));
    const code = root?.extensions?.code as string | undefined;
    const where = `${query}\n→ ${JSON.stringify(res).slice(0, 1500)}`;
    if (expected === 'public') {
      expect(code, where).not.toBe('INTERNAL_SERVER_ERROR');
      const text = JSON.stringify(res);
      for (const id of hidden[caller]) expect(text, `${where}\nleaks ${id}`).not.toContain(id);
      return;
    }
    if (expected === 'refused') {
      expect(REFUSALS[caller], where).toContain(code);
      expect(res.data?.[field.name as never] ?? null, where).toBeNull();
      return;
    }
    // Allowed: whatever else may go wrong (a conflict, a bad password), it is not authorisation.
    expect(['UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND'], where).not.toContain(code);
    const text = JSON.stringify(res);
    for (const id of hidden[caller]) expect(text, `${where}\nleaks ${id}`).not.toContain(id);
  }

  describe.each(['anonymous', 'otherOrg', 'viewer'] as const)('as %s', (caller) => {
    it.each(roots.map(([kind, f]) => [`${kind} ${f.name}`, kind, f] as const))('%s', async (_name, kind, f) => {
      const rule = ruleFor(kind, f.name);
      const { query, variables } = operation(kind, f, context(rule));
      // Sign-in and sign-out get a session of their own, so ending it cannot end the caller's.
      const userId = userIds[caller];
      const token =
        rule[caller] === 'public' && userId ? await api.app.services.sessionKeys.sign(userId) : tokens[caller];
      const res = await api.gql(query, variables, token);
      check(caller, rule[caller], f, res, query);
      if (caller === 'viewer' && kind === 'query' && rule.viewer === 'allowed' && rule.id)
        expect(res.data?.[f.name as never], `a viewer reads ${f.name}`).toMatchObject({ id: fixtures[rule.id] });
    });

    it.each(subscriptions.map((f) => [f.name, f] as const))('subscription %s over graphql-ws', async (_name, f) => {
      const rule = ruleFor('subscription', f.name);
      const { query, variables } = operation('subscription', f, context(rule));
      const client = createClient({
        url: api.url.replace('http', 'ws') + '/graphql',
        webSocketImpl: WebSocket,
        retryAttempts: 0,
        connectionParams: tokens[caller] ? { authorization: `Bearer ${tokens[caller]}` } : {},
      });
      // Live-only subscriptions have no history: keep publishing the tenant's events until one arrives.
      const at = () => new Date().toISOString();
      const tick = setInterval(() => {
        void api.pubsub.publish('machineEvents', fixtures.project, {
          machineId: fixtures.machine,
          projectId: fixtures.project,
          status: 'RUNNING',
          node: 'pve1',
          ipAddresses: [],
          at: at(),
        });
        const load = { cpu: 0.5, memoryBytes: 1, netIn: 1, netOut: 1, diskRead: 1, diskWrite: 1 };
        void api.pubsub.publish('machineMetrics', fixtures.machine, { machineId: fixtures.machine, at: at(), ...load });
        void api.pubsub.publish('projectMetrics', fixtures.project, {
          projectId: fixtures.project,
          at: at(),
          machines: 1,
          ...load,
        });
      }, 50);
      try {
        const first = await new Promise<GqlResult>((resolve) => {
          // A refusal comes at once; an allowed subscription nothing feeds here answers with silence.
          const quiet = setTimeout(() => resolve({ data: null }), 1500);
          client.subscribe(
            { query, variables },
            {
              next: (m) => (clearTimeout(quiet), resolve(m as GqlResult)),
              error: (e) => (
                clearTimeout(quiet),
                resolve({ errors: Array.isArray(e) ? e : [{ message: String(e) }] } as GqlResult)
              ),
              complete: () => (clearTimeout(quiet), resolve({ errors: [{ message: 'completed without a message' }] })),
            },
          );
        });
        check(caller, rule[caller], f, first, query);
        // The two streams every tenant uses are fed above: an allowed caller gets their events.
        if (rule[caller] === 'allowed' && ['jobProgress', 'machineEvents', 'machineMetricsLive'].includes(f.name))
          expect(first.data?.[f.name as never], JSON.stringify(first)).toBeTruthy();
      } finally {
        clearInterval(tick);
        await client.dispose();
      }
    });
  });

  it("never delivers another tenant's machine or job events to a subscriber of its own project and job", async () => {
    const client = createClient({
      url: api.url.replace('http', 'ws') + '/graphql',
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      connectionParams: { authorization: `Bearer ${tokens.otherOrg}` },
    });
    const received: unknown[] = [];
    const event = (projectId: string, machineId: string) => ({
      machineId,
      projectId,
      status: 'RUNNING',
      node: 'pve1',
      ipAddresses: [],
      at: new Date().toISOString(),
    });
    try {
      const ownMachine = `00000000-0000-4000-8000-${randomBytes(6).toString('hex')}`;
      const done = new Promise<void>((resolve, reject) => {
        client.subscribe(
          {
            query: `subscription($p: ID!) { machineEvents(projectId: $p) { machineId projectId } }`,
            variables: { p: otherProjectId },
          },
          {
            next: (m) => {
              received.push(m.data?.machineEvents ?? m.errors);
              if ((m.data?.machineEvents as { machineId?: string } | undefined)?.machineId === ownMachine) resolve();
            },
            error: reject,
            complete: () => reject(new Error('completed')),
          },
        );
      });
      // Each round: the first tenant's event first, then the subscriber's own; the subscriber's
      // arrives, so the other (published before it on the same bus) would have arrived too.
      const tick = setInterval(() => {
        void api.pubsub
          .publish('machineEvents', fixtures.project, event(fixtures.project, fixtures.machine))
          .then(() => api.pubsub.publish('machineEvents', otherProjectId, event(otherProjectId, ownMachine)));
      }, 50);
      await done.finally(() => clearInterval(tick));
      expect(received.length).toBeGreaterThan(0);
      expect(JSON.stringify(received)).not.toContain(fixtures.machine);
      expect(JSON.stringify(received)).not.toContain(fixtures.project);

      // The same for job progress: a job of its own, followed while the first tenant's job moves.
      const em = api.db.orm.em.fork();
      const ownJob = em.create(Job, { kind: 'provision', status: JobStatus.RUNNING, project: otherProjectId });
      await em.flush();
      const progress: unknown[] = [];
      const finished = new Promise<void>((resolve, reject) => {
        client.subscribe(
          {
            query: `subscription($j: ID!) { jobProgress(jobId: $j) { jobId seq message } }`,
            variables: { j: ownJob.id },
          },
          { next: (m) => void progress.push(m.data?.jobProgress ?? m.errors), error: reject, complete: resolve },
        );
      });
      const step = (jobId: string, seq: number, status: string) => ({
        jobId,
        seq,
        step: 'job',
        status,
        percent: null,
        message: `${jobId} ${status}`,
        at: new Date().toISOString(),
        data: {},
      });
      let seq = 0;
      const jobTick = setInterval(() => {
        seq++;
        void api.pubsub
          .publish('jobProgress', fixtures.job, step(fixtures.job, 100 + seq, 'progress'))
          .then(() =>
            api.pubsub.publish('jobProgress', ownJob.id, step(ownJob.id, seq, seq >= 3 ? 'finished' : 'progress')),
          );
      }, 50);
      await finished.finally(() => clearInterval(jobTick));
      expect(progress.length).toBeGreaterThan(0);
      expect(JSON.stringify(progress)).toContain(ownJob.id);
      expect(JSON.stringify(progress)).not.toContain(fixtures.job);
    } finally {
      await client.dispose();
    }
  });

  it('stops delivering events to a member removed while subscribed', async () => {
    const member = await api.user();
    const em = api.db.orm.em.fork();
    const membership = em.create(Membership, {
      organization: fixtures.organization,
      user: member.user.id,
      role: Role.VIEWER,
      project: null,
    });
    await em.flush();
    const client = createClient({
      url: api.url.replace('http', 'ws') + '/graphql',
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      connectionParams: { authorization: `Bearer ${member.token}` },
    });
    const publish = (status: string) =>
      api.pubsub.publish('machineEvents', fixtures.project, {
        machineId: fixtures.machine,
        projectId: fixtures.project,
        status,
        node: 'pve1',
        ipAddresses: [],
        at: new Date().toISOString(),
      });
    try {
      const received: string[] = [];
      let first!: () => void;
      const firstArrived = new Promise<void>((resolve) => (first = resolve));
      const ended = new Promise<void>((resolve, reject) => {
        client.subscribe(
          {
            query: `subscription($p: ID!) { machineEvents(projectId: $p) { status } }`,
            variables: { p: fixtures.project },
          },
          {
            next: (m) => {
              received.push(JSON.stringify(m));
              if (received.at(-1)!.includes('STOPPED')) reject(new Error('a removed member still receives events'));
              first();
            },
            error: reject,
            complete: resolve,
          },
        );
      });
      // While a member: events arrive.
      const tick = setInterval(() => void publish('RUNNING'), 50);
      await firstArrived.finally(() => clearInterval(tick));
      await api.ok(`mutation($id: ID!) { removeMember(id: $id) }`, { id: membership.id }, ownerToken);
      // Removed: the next event ends the subscription instead of reaching the former member.
      await publish('STOPPED');
      await ended;
      expect(received.join()).not.toContain('STOPPED');
    } finally {
      await client.dispose();
    }
  });

  // Last but one, as it may change the caller's own organisation (e.g. require MFA in it).
  // The other organisation's owner again, now naming their own organisation and project with the
  // first tenant's machine, network, job... in the same call: accepted or not, the answer never
  // shows the first tenant's objects (and the last test checks none of them changed).
  describe("as otherOrg, mixing its own organisation and project with the first tenant's objects", () => {
    const mixed = roots.filter(([kind, f]) => {
      // Operations without a rule fail the first test; here they are left out.
      const rule = RULES[kind as 'query' | 'mutation'][f.name];
      if (!rule) return false;
      // Deleting or renaming its own organisation or project would only change the caller's own things.
      return rule.otherOrg !== 'public' && rule.id !== 'organization' && rule.id !== 'project';
    });
    it.each(mixed.map(([kind, f]) => [`${kind} ${f.name}`, kind, f] as const))('%s', async (_name, kind, f) => {
      const rule = ruleFor(kind, f.name);
      const own = { ...context(rule), fixtures: { ...fixtures, organization: otherOrgId, project: otherProjectId } };
      const { query, variables } = operation(kind, f, own);
      const res = await api.gql(query, variables, tokens.otherOrg);
      const where = `${query}\n${JSON.stringify(variables)}\n→ ${JSON.stringify(res).slice(0, 1500)}`;
      expect(res.errors?.[0]?.extensions?.code, where).not.toBe('INTERNAL_SERVER_ERROR');
      const text = JSON.stringify(res.data ?? null);
      for (const id of hidden.otherOrg) expect(text, `${where}\nleaks ${id}`).not.toContain(id);
    });
  });

  it("left the first tenant's objects exactly as they were", async () => {
    expect(await tenantState()).toEqual(stateBefore);
    // And the owner still reads them: nothing was removed behind the rows compared above.
    const { project } = await api.ok(
      `query($id: ID!) { project(id: $id) { id } }`,
      { id: fixtures.project },
      ownerToken,
    );
    expect(project.id).toBe(fixtures.project);
  });
});
