// Alerts end to end: rules made over GraphQL, evaluated by the collector's listener against the
// simulator on a frozen, stepped clock; e-mail caught by a real SMTP server on loopback, webhooks by
// a receiver that checks the HMAC signature; retries, acknowledge, silence, and tenant isolation.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createClient, type Client } from 'graphql-ws';
import { SMTPServer } from 'smtp-server';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Collector, MetricSample } from '@pvepaas/orchestration/metrics/index';
import { createLogger } from '../../logger.js';
import { postgresUnavailable } from '../../test/database.js';
import { startProvisioningPlatform, type ProvisioningPlatform } from '../../test/provisioning.js';
import { Role } from '../membership/membership.entity.js';
import { Template } from '../template/template.entity.js';
import { startMetricsCollector } from '../metrics/metrics.collector.js';
import { Notifier } from '../notification/notification.dispatch.js';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, verifyWebhook } from '../notification/notification.webhook.js';
import { createClusterClients } from '../provision/cluster-clients.js';
import { alertListener } from './alert.listener.js';

const SECRET = 'whsec-0123456789abcdef';
const VMID = 4242;

interface Hook {
  body: { event: string; alert: { ruleName: string; state: string } };
  valid: boolean;
}

/** A webhook receiver answering each request with the next status of `statuses` (then 200). */
async function receiver(statuses: number[] = []): Promise<{ url: string; hooks: Hook[]; server: Server }> {
  const hooks: Hook[] = [];
  const server = createServer((req: IncomingMessage, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString()));
    req.on('end', () => {
      const valid = verifyWebhook(
        SECRET,
        { timestamp: req.headers[TIMESTAMP_HEADER] as string, signature: req.headers[SIGNATURE_HEADER] as string },
        raw,
      );
      hooks.push({ body: JSON.parse(raw), valid });
      res.statusCode = statuses.shift() ?? 200;
      res.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, hooks, server };
}

const waitFor = async (what: string, ok: () => boolean | Promise<boolean>, ms = 10_000) => {
  const end = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
};

describe.skipIf(postgresUnavailable())('alerts and notifications', () => {
  let p: ProvisioningPlatform;
  let collector: Collector;
  let clusters: ReturnType<typeof createClusterClients>;
  let notifier: Notifier;
  let smtp: SMTPServer;
  const mails: string[] = [];
  let platformHook: Awaited<ReturnType<typeof receiver>>;
  let orgHook: Awaited<ReturnType<typeof receiver>>;
  let clusterId: string;
  let machineId: string;
  let listener: ReturnType<typeof alertListener>;
  let t = Math.floor(Date.now() / 1000) * 1000;
  const step = (s: number) => {
    p.sim.control.advanceTime(s);
    t += s * 1000;
  };

  beforeAll(async () => {
    p = await startProvisioningPlatform();
    p.sim.control.freezeTime(t);
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onData(stream, _session, done) {
        let data = '';
        stream.on('data', (c: Buffer) => (data += c.toString()));
        stream.on('end', () => {
          mails.push(data);
          done();
        });
      },
    });
    await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', r));
    const smtpPort = (smtp.server.address() as AddressInfo).port;
    platformHook = await receiver();
    orgHook = await receiver([500, 503]);
    const log = createLogger(process.env.TEST_LOG_LEVEL ?? 'silent');
    notifier = new Notifier(p.api.db.orm, p.api.app.services.secrets, log, {
      smtpUrl: `smtp://127.0.0.1:${smtpPort}`,
      retryBaseMs: 40,
      maxAttempts: 4,
      // The receivers listen on loopback.
      allowPrivateWebhooks: true,
    });
    listener = alertListener({ orm: p.api.db.orm, pubsub: p.api.pubsub, notifier, log });
    clusters = createClusterClients(p.api.db.orm, p.api.app.services.secrets, log);
    collector = startMetricsCollector(
      { orm: p.api.db.orm, clusters, pubsub: p.api.pubsub, log },
      { timers: false, now: () => new Date(t), cephEveryTicks: 0, listeners: [listener] },
    );
    const em = p.api.db.orm.em.fork();
    const template = await em.findOneOrFail(Template, { id: p.templates.VM }, { populate: ['cluster'] });
    clusterId = template.cluster.id;
    const machine = await p.api.machine(p.project, p.admin.user, template, 'db-1');
    await em
      .getConnection()
      .execute(`update machine set cluster_id = ?, vmid = ? where id = ?`, [clusterId, VMID, machine.id]);
    machineId = machine.id;
  }, 120_000);

  afterAll(async () => {
    await collector?.stop();
    await notifier?.idle();
    notifier?.close();
    clusters?.close();
    platformHook?.server.close();
    orgHook?.server.close();
    await new Promise<void>((r) => (smtp ? smtp.close(() => r()) : r()));
    await p?.close();
  });

  it("has the operators' default rules, which a platform admin can turn off", async () => {
    const { alertRules } = await p.api.ok(
      `{ alertRules(first: 50) { totalCount edges { node { id name scope metric comparator threshold durationSeconds builtin } } } }`,
      {},
      p.admin.token,
    );
    const builtin = alertRules.edges
      .map((e: { node: Record<string, unknown> }) => e.node)
      .filter((r: { builtin: boolean }) => r.builtin);
    expect(builtin.map((r: { name: string }) => r.name).sort()).toEqual([
      'Ceph health not OK',
      'Guest memory over 90% for 5 minutes',
      'Node down',
      'Storage over 85%',
    ]);
    expect(builtin.find((r: { name: string }) => r.name.startsWith('Guest memory'))).toMatchObject({
      scope: 'CLUSTER',
      metric: 'MEMORY',
      comparator: 'GT',
      threshold: 90,
      durationSeconds: 300,
    });
    // The tests below use rules of their own, with short durations.
    for (const r of builtin)
      await p.api.ok(
        `mutation($id: ID!) { updateAlertRule(id: $id, input: { enabled: false }) { enabled } }`,
        { id: r.id },
        p.admin.token,
      );
  });

  it('validates each field of a rule and names it', async () => {
    const create = (input: Record<string, unknown>) =>
      p.api.fail(
        `mutation($input: CreateAlertRuleInput!) { createAlertRule(input: $input) { id } }`,
        { input },
        p.admin.token,
      );
    const base = { name: 'x', scope: 'NODE', metric: 'CPU', comparator: 'GT', threshold: 90, durationSeconds: 60 };
    expect((await create({ ...base, threshold: 150 })).extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.threshold',
    });
    expect((await create({ ...base, clearThreshold: 95 })).extensions).toMatchObject({ field: 'input.clearThreshold' });
    expect((await create({ ...base, metric: 'CEPH_HEALTH' })).extensions).toMatchObject({ field: 'input.metric' });
    expect((await create({ ...base, durationSeconds: -1 })).extensions).toMatchObject({
      field: 'input.durationSeconds',
    });
    expect((await create({ ...base, name: '' })).extensions).toMatchObject({ field: 'input.name' });
    expect((await create({ ...base, scope: 'MACHINE' })).extensions).toMatchObject({ field: 'input.machineId' });
  });

  it('fires a node rule after its duration and resolves it; e-mail and a signed webhook arrive for both', async () => {
    await p.api.ok(
      `mutation($input: CreateAlertRuleInput!) { createAlertRule(input: $input) { id } }`,
      {
        input: {
          name: 'Node offline',
          scope: 'NODE',
          metric: 'NODE_STATUS',
          comparator: 'LT',
          threshold: 1,
          durationSeconds: 30,
          severity: 'CRITICAL',
        },
      },
      p.admin.token,
    );
    const channel = `mutation($input: CreateNotificationChannelInput!) { createNotificationChannel(input: $input) { id kind } }`;
    await p.api.ok(
      channel,
      { input: { name: 'ops hook', kind: 'WEBHOOK', url: platformHook.url, webhookSecret: SECRET } },
      p.admin.token,
    );
    await p.api.ok(
      channel,
      { input: { name: 'ops mail', kind: 'EMAIL', recipients: ['ops@example.com'] } },
      p.admin.token,
    );
    const FIRING = `{ alerts(filter: { states: [PENDING, FIRING] }) { edges { node { id state subject firedAt history { kind } } } } }`;

    await collector.tick();
    const node = p.sim.state.nodes[1]!.name;
    p.sim.control.setNodeOnline(node, false);
    step(10);
    await collector.tick(); // condition starts to hold
    let open = (await p.api.ok(FIRING, {}, p.admin.token)).alerts.edges;
    expect(open).toHaveLength(1);
    expect(open[0].node).toMatchObject({ state: 'PENDING', subject: `node:${node}` });
    step(20);
    await collector.tick(); // held 20 s of 30
    open = (await p.api.ok(FIRING, {}, p.admin.token)).alerts.edges;
    expect(open[0].node.state).toBe('PENDING');
    step(10);
    await collector.tick(); // held 30 s: fires
    open = (await p.api.ok(FIRING, {}, p.admin.token)).alerts.edges;
    expect(open[0].node).toMatchObject({ state: 'FIRING', firedAt: new Date(t).toISOString() });
    await notifier.idle();
    expect(platformHook.hooks.map((h) => [h.body.event, h.valid])).toEqual([['FIRING', true]]);
    expect(mails).toHaveLength(1);
    expect(mails[0]).toContain('ops@example.com');
    expect(mails[0]).toMatch(/Node offline firing: node /);

    p.sim.control.setNodeOnline(node, true);
    step(10);
    await collector.tick();
    await notifier.idle();
    expect((await p.api.ok(FIRING, {}, p.admin.token)).alerts.edges).toHaveLength(0);
    const { alerts } = await p.api.ok(
      `{ alerts(filter: { states: [RESOLVED] }) { totalCount edges { node { resolvedAt history { kind } } } } }`,
      {},
      p.admin.token,
    );
    expect(alerts.edges[0].node.history.map((h: { kind: string }) => h.kind)).toEqual([
      'PENDING',
      'FIRING',
      'RESOLVED',
    ]);
    expect(platformHook.hooks.map((h) => [h.body.event, h.valid])).toEqual([
      ['FIRING', true],
      ['RESOLVED', true],
    ]);
    expect(mails).toHaveLength(2);
    expect(mails[1]).toMatch(/Node offline resolved/);
  });

  describe("an organisation's machine rule", () => {
    let ruleId: string;
    let alertId: string;
    let channelId: string;
    let owner: Client;
    let outsider: Client;
    let outsiderToken: string;
    const ownerEvents: { kind: string; state: string }[] = [];
    const outsiderEvents: unknown[] = [];
    const T = Math.floor(Date.now() / 1000) * 1000;
    const mem = (pct: number, at: number): MetricSample[] => [
      {
        ts: new Date(at).toISOString(),
        kind: 'machine',
        clusterId,
        node: 'pve1',
        vmid: VMID,
        cpu: 0.1,
        cpus: 1,
        memUsed: pct * 10_000_000,
        memTotal: 1_000_000_000,
        netInBps: 0,
        netOutBps: 0,
        diskReadBps: 0,
        diskWriteBps: 0,
        diskUsed: 1,
        diskTotal: 10,
        status: 'running',
      },
    ];
    const alertState = async () =>
      (
        await p.api.ok(
          `query($o: ID) { alerts(organizationId: $o, filter: { ruleId: "${ruleId}" }) { edges { node { id state acknowledgedAt silencedUntil history { kind } } } } }`,
          { o: p.org.id },
          p.admin.token,
        )
      ).alerts.edges.map((e: { node: unknown }) => e.node);

    beforeAll(async () => {
      const other = await p.api.user();
      const otherOrg = await p.api.org(other.user, Role.OWNER);
      outsiderToken = other.token;
      const ws = (token: string) =>
        createClient({
          url: p.api.url.replace('http', 'ws') + '/graphql',
          webSocketImpl: WebSocket,
          retryAttempts: 0,
          connectionParams: { authorization: `Bearer ${token}` },
        });
      owner = ws(p.admin.token);
      outsider = ws(other.token);
      const EVENTS = `subscription($o: ID) { alertEvents(organizationId: $o) { kind state alertId organizationId } }`;
      owner.subscribe(
        { query: EVENTS, variables: { o: p.org.id } },
        {
          next: (m) => ownerEvents.push(m.data!.alertEvents as never),
          error: () => undefined,
          complete: () => undefined,
        },
      );
      // The outsider listens on its own organisation: the first one's events must never arrive there.
      outsider.subscribe(
        { query: EVENTS, variables: { o: otherOrg.org.id } },
        {
          next: (m) => outsiderEvents.push(m),
          error: (e) => outsiderEvents.push(e),
          complete: () => undefined,
        },
      );
      const { createAlertRule } = await p.api.ok(
        `mutation($input: CreateAlertRuleInput!) { createAlertRule(input: $input) { id organizationId projectId machineId } }`,
        {
          input: {
            name: 'Memory high',
            scope: 'MACHINE',
            machineId,
            metric: 'MEMORY',
            comparator: 'GT',
            threshold: 90,
            clearThreshold: 80,
            durationSeconds: 20,
          },
        },
        p.admin.token,
      );
      expect(createAlertRule).toMatchObject({ organizationId: p.org.id, projectId: p.project.id, machineId });
      ruleId = createAlertRule.id;
      const { createNotificationChannel } = await p.api.ok(
        `mutation($input: CreateNotificationChannelInput!) { createNotificationChannel(input: $input) { id } }`,
        {
          input: {
            organizationId: p.org.id,
            name: 'team hook',
            kind: 'WEBHOOK',
            url: orgHook.url,
            webhookSecret: SECRET,
          },
        },
        p.admin.token,
      );
      channelId = createNotificationChannel.id;
      // Let both subscriptions start before anything is published.
      await new Promise((r) => setTimeout(r, 300));
    });
    afterAll(async () => {
      await owner?.dispose();
      await outsider?.dispose();
    });

    it('fires after its duration, retries a failing webhook recording every attempt, and holds with hysteresis', async () => {
      await listener(clusterId, mem(95, T), new Date(T));
      await listener(clusterId, mem(95, T + 10_000), new Date(T + 10_000));
      expect((await alertState())[0]).toMatchObject({ state: 'PENDING' });
      await listener(clusterId, mem(95, T + 20_000), new Date(T + 20_000));
      const [firing] = await alertState();
      expect(firing).toMatchObject({ state: 'FIRING' });
      alertId = firing.id;
      // Back under the threshold but not under the clear threshold: still firing.
      await listener(clusterId, mem(85, T + 30_000), new Date(T + 30_000));
      expect((await alertState())[0]).toMatchObject({ state: 'FIRING' });
      await notifier.idle();
      // The receiver failed twice (500, 503); the third attempt got through, each one recorded.
      const { notificationDeliveries } = await p.api.ok(
        `query($c: ID!) { notificationDeliveries(channelId: $c) { edges { node { attempt status statusCode event notificationId } } } }`,
        { c: channelId },
        p.admin.token,
      );
      const attempts = notificationDeliveries.edges.map((e: { node: Record<string, unknown> }) => e.node).reverse();
      expect(attempts.map((a: Record<string, unknown>) => [a.attempt, a.status, a.statusCode, a.event])).toEqual([
        [1, 'RETRYING', 500, 'FIRING'],
        [2, 'RETRYING', 503, 'FIRING'],
        [3, 'SUCCEEDED', 200, 'FIRING'],
      ]);
      expect(new Set(attempts.map((a: Record<string, unknown>) => a.notificationId)).size).toBe(1);
      expect(orgHook.hooks.map((h) => h.valid)).toEqual([true, true, true]);
    });

    it('is acknowledged and silenced; a silence that runs out while firing notifies again; then resolves', async () => {
      const ack = await p.api.ok(
        `mutation($id: ID!) { acknowledgeAlert(id: $id) { acknowledgedAt } }`,
        { id: alertId },
        p.admin.token,
      );
      expect(ack.acknowledgeAlert.acknowledgedAt).toBeTruthy();
      const until = new Date(Date.now() + 60_000).toISOString();
      await p.api.ok(
        `mutation($id: ID!, $u: DateTimeISO!) { silenceAlert(id: $id, until: $u) { silencedUntil } }`,
        { id: alertId, u: until },
        p.admin.token,
      );
      const before = orgHook.hooks.length;
      // Still firing within the silence: nothing sent.
      await listener(clusterId, mem(96, T + 40_000), new Date(T + 40_000));
      await notifier.idle();
      expect(orgHook.hooks.length).toBe(before);
      // The silence has run out (collector clock past it) and it still fires: notified again.
      const later = Date.now() + 120_000;
      await listener(clusterId, mem(96, later), new Date(later));
      await notifier.idle();
      expect(orgHook.hooks.slice(before).map((h) => h.body.event)).toEqual(['SILENCE_EXPIRED']);
      // Under the clear threshold: resolved.
      await listener(clusterId, mem(79, later + 10_000), new Date(later + 10_000));
      await notifier.idle();
      const [resolved] = await alertState();
      expect(resolved.state).toBe('RESOLVED');
      expect(resolved.history.map((h: { kind: string }) => h.kind)).toEqual([
        'PENDING',
        'FIRING',
        'ACKNOWLEDGED',
        'SILENCED',
        'SILENCE_EXPIRED',
        'RESOLVED',
      ]);
      expect(orgHook.hooks.at(-1)!.body.event).toBe('RESOLVED');
      // The organisation's members saw every change in-app; the other organisation nothing.
      await waitFor('the in-app events', () => ownerEvents.some((e) => e.kind === 'RESOLVED'));
      expect(ownerEvents.map((e) => e.kind)).toEqual([
        'PENDING',
        'FIRING',
        'ACKNOWLEDGED',
        'SILENCED',
        'SILENCE_EXPIRED',
        'RESOLVED',
      ]);
      expect(outsiderEvents).toEqual([]);
    });

    it('audits every change, and keeps the webhook secret out of the database and the audit log', async () => {
      const conn = p.api.db.orm.em.fork().getConnection();
      const audit = JSON.stringify(await conn.execute(`select * from audit_log order by id`));
      for (const action of [
        'createAlertRule',
        'updateAlertRule',
        'createNotificationChannel',
        'acknowledgeAlert',
        'silenceAlert',
      ])
        expect(audit).toContain(`mutation.${action}`);
      const channels = JSON.stringify(await conn.execute(`select * from notification_channel`));
      expect(channels).toContain('notification-channels/');
      for (const text of [audit, channels]) expect(text).not.toContain(SECRET);
      const stored = await p.api.app.services.secrets.read(`notification-channels/${channelId}`);
      expect(stored?.data.secret).toBe(SECRET);
    });

    it("refuses an organisation's webhook to a private address unless allowed, and records why", async () => {
      const log = createLogger('silent');
      const strict = new Notifier(p.api.db.orm, p.api.app.services.secrets, log, { retryBaseMs: 40 });
      const before = orgHook.hooks.length;
      strict.notify({
        kind: 'FIRING',
        at: new Date().toISOString(),
        alertId,
        ruleId,
        ruleName: 'Memory high',
        organizationId: p.org.id,
        projectId: p.project.id,
        machineId,
        clusterId,
        subject: `machine:${VMID}`,
        subjectLabel: 'db-1',
        state: 'FIRING',
        severity: 'WARNING',
        value: 95,
      });
      await strict.idle();
      strict.close();
      expect(orgHook.hooks.length).toBe(before);
      const { notificationDeliveries } = await p.api.ok(
        `query($c: ID!) { notificationDeliveries(channelId: $c, first: 1) { edges { node { attempt status statusCode error } } } }`,
        { c: channelId },
        p.admin.token,
      );
      expect(notificationDeliveries.edges[0].node).toMatchObject({ attempt: 1, status: 'FAILED', statusCode: null });
      expect(notificationDeliveries.edges[0].node.error).toContain('private address (127.0.0.1)');
    });

    it('is invisible and unchangeable to another organisation', async () => {
      const refused = async (query: string, variables: Record<string, unknown>) =>
        expect((await p.api.fail(query, variables, outsiderToken)).extensions?.code).toBe('NOT_FOUND');
      await refused(`query($o: ID) { alertRules(organizationId: $o) { totalCount } }`, { o: p.org.id });
      await refused(`query($o: ID) { alerts(organizationId: $o) { totalCount } }`, { o: p.org.id });
      await refused(`mutation($id: ID!) { updateAlertRule(id: $id, input: { threshold: 1 }) { id } }`, { id: ruleId });
      await refused(`mutation($id: ID!) { deleteAlertRule(id: $id) }`, { id: ruleId });
      await refused(`mutation($id: ID!) { acknowledgeAlert(id: $id) { id } }`, { id: alertId });
      await refused(`query($c: ID!) { notificationDeliveries(channelId: $c) { totalCount } }`, { c: channelId });
      // Nor can it follow the first organisation's alerts.
      const err = await new Promise<unknown>((resolve) => {
        outsider.subscribe(
          { query: `subscription($o: ID) { alertEvents(organizationId: $o) { kind } }`, variables: { o: p.org.id } },
          { next: resolve, error: resolve, complete: () => resolve('completed') },
        );
      });
      expect(JSON.stringify(err)).toContain('NOT_FOUND');
      const { alertRules } = await p.api.ok(
        `query($o: ID) { alertRules(organizationId: $o) { edges { node { threshold } } } }`,
        { o: p.org.id },
        p.admin.token,
      );
      expect(alertRules.edges[0].node.threshold).toBe(90);
    });
  });
});
