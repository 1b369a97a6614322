// Changes made behind the platform's back (the simulator's control surface: no task, no API call
// through the platform) and the reconciler's timer catching up: status, node, vanished guests,
// orphans.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPveSimulator, type PveSimulator } from '@pvepaas/orchestration/pve-sim/index';
import { createLogger } from '../../logger.js';
import type { Subscription, Topics } from '../../realtime/pubsub.js';
import { postgresUnavailable } from '../../test/database.js';
import { startTestApi, type TestApi } from '../../test/api.js';
import { startWorker } from '../../worker/start-worker.js';
import { Role } from '../membership/membership.entity.js';

const PROVISION = `mutation($input: ProvisionMachineInput!) {
  provisionMachine(input: $input) { machine { id } job { id } }
}`;
const MACHINE = `query($id: ID!) { machine(id: $id) { status vmid } }`;

type MachineEvent = Topics['machineEvents'];

describe.skipIf(postgresUnavailable())('reconciling clusters with the database', () => {
  let api: TestApi;
  let sim: PveSimulator;
  let admin: Awaited<ReturnType<TestApi['user']>>;
  let member: Awaited<ReturnType<TestApi['user']>>;
  let projectId: string;
  let clusterId: string;
  let events: Subscription<MachineEvent>;
  let worker: Awaited<ReturnType<typeof startWorker>>;
  const machines: { id: string; vmid: number }[] = [];

  const machine = async (id: string) =>
    (await api.ok(MACHINE, { id }, admin.token)).machine as { status: string; vmid: number };
  const nodeOf = async (id: string) => {
    const row = await api.db.orm.em
      .fork()
      .getConnection()
      .execute<{ name: string | null }[]>(
        'select n.name from machine m left join node n on n.id = m.node_id where m.id = ?',
        [id],
      );
    return row[0]?.name ?? null;
  };
  /** The next machineEvents message for this machine (others are skipped). */
  const nextEvent = async (machineId: string, timeoutMs = 10_000): Promise<MachineEvent> => {
    const timeout = new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error('no machineEvents message')), timeoutMs),
    );
    for (;;) {
      const r = await Promise.race([events.next(), timeout]);
      if (r.done) throw new Error('subscription ended');
      if (r.value.machineId === machineId) return r.value;
    }
  };

  beforeAll(async () => {
    sim = await createPveSimulator({ seed: 5, timeFactor: 0.01, port: 0 });
    api = await startTestApi();
    admin = await api.user({ admin: true });
    member = await api.user();
    const { project } = await api.org(admin.user, Role.OWNER);
    projectId = project.id;
    const token = sim.credentials.tokens.full;
    const { createCluster } = await api.ok(
      `mutation($input: CreateClusterInput!) { createCluster(input: $input) { id } }`,
      { input: { name: 'sim', apiUrl: sim.url, tokenId: token.tokenid, tokenSecret: token.secret } },
      admin.token,
    );
    clusterId = createCluster.id;
    const { createTemplate } = await api.ok(
      `mutation($input: CreateTemplateInput!) { createTemplate(input: $input) { id } }`,
      {
        input: {
          clusterId,
          name: 'debian-12',
          kind: 'VM',
          os: 'debian-12',
          sourceVmid: 9000,
          defaultCores: 1,
          defaultMemoryMiB: 1024,
          defaultDiskGiB: 4,
        },
      },
      admin.token,
    );
    worker = await startWorker({
      orm: api.db.orm,
      jobs: api.jobs,
      pubsub: api.pubsub,
      secrets: api.app.services.secrets,
      log: createLogger(process.env.TEST_LOG_LEVEL ?? 'silent'),
      concurrency: 4,
      addressTimeoutMs: 30_000,
      reconcileIntervalMs: 200,
    });
    for (const name of ['rec-1', 'rec-2', 'rec-3']) {
      const { provisionMachine } = await api.ok(
        PROVISION,
        { input: { projectId, name, templateId: createTemplate.id } },
        admin.token,
      );
      machines.push({ id: provisionMachine.machine.id, vmid: 0 });
    }
    for (const m of machines) {
      for (let i = 0; i < 300; i++) {
        const { status, vmid } = await machine(m.id);
        if (status === 'RUNNING') {
          m.vmid = vmid;
          break;
        }
        if (status === 'FAILED') throw new Error(`provision of ${m.id} failed`);
        await new Promise((r) => setTimeout(r, 100));
      }
      if (!m.vmid) throw new Error(`machine ${m.id} did not reach RUNNING`);
    }
    events = await api.pubsub.subscribe('machineEvents', projectId);
  }, 90_000);

  afterAll(async () => {
    await events?.return();
    worker?.stop();
    await api?.close();
    await sim?.close();
  });

  it('applies a stop and a start made outside the platform, and publishes each', async () => {
    const [a] = machines;
    sim.control.stopGuest(a!.vmid);
    expect(await nextEvent(a!.id)).toMatchObject({ machineId: a!.id, projectId, status: 'STOPPED' });
    expect((await machine(a!.id)).status).toBe('STOPPED');
    sim.control.startGuest(a!.vmid);
    expect(await nextEvent(a!.id)).toMatchObject({ status: 'RUNNING' });
  });

  it('follows a guest moved to another node', async () => {
    const [, b] = machines;
    const from = sim.state.guests.find((g) => g.vmid === b!.vmid)!.node;
    const to = ['pve1', 'pve2', 'pve3'].find((n) => n !== from)!;
    sim.control.moveGuest(b!.vmid, to);
    expect(await nextEvent(b!.id)).toMatchObject({ status: 'RUNNING', node: to });
    expect(await nodeOf(b!.id)).toBe(to);
  });

  it('marks a machine whose guest vanished MISSING', async () => {
    const [, , c] = machines;
    sim.control.deleteGuest(c!.vmid);
    expect(await nextEvent(c!.id)).toMatchObject({ status: 'MISSING' });
    expect((await machine(c!.id)).status).toBe('MISSING');
  });

  it('reports guests tagged pvepaas without a machine as orphans, to platform admins only', async () => {
    // The simulator hands out the lowest free VMIDs, so the first may be the vanished guest's again
    // (that machine then comes back from MISSING); take two that no machine ever had.
    const [orphan, untagged] = sim.control.addGuests(3).filter((id) => !machines.some((m) => m.vmid === id));
    sim.control.setGuestConfig(orphan!, { tags: 'pvepaas;web' });
    const { orphanGuests } = await api.ok(
      `query($id: ID!) { orphanGuests(clusterId: $id) { vmid type node name status tags } }`,
      { id: clusterId },
      admin.token,
    );
    expect(orphanGuests).toEqual([
      expect.objectContaining({ vmid: orphan, type: 'qemu', status: 'running', tags: ['pvepaas', 'web'] }),
    ]);
    expect(orphanGuests.map((o: { vmid: number }) => o.vmid)).not.toContain(untagged);
    const denied = await api.fail(
      `query($id: ID!) { orphanGuests(clusterId: $id) { vmid } }`,
      { id: clusterId },
      member.token,
    );
    expect(denied.extensions?.code).toBe('FORBIDDEN');
  });

  it('leaves unchanged machines alone: a pass with nothing new writes and publishes nothing', async () => {
    await worker.reconciler.runOnce();
    const [report] = await worker.reconciler.runOnce();
    expect(report).toMatchObject({ clusterId, changed: [] });
    expect(report!.orphans.length).toBeGreaterThan(0);
  });
});
