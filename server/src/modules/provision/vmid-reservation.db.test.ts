// Regression: the reserve step started at Proxmox's next free id and gave up after 50 ids taken in
// the database, so with many provisions in flight (reserved, not yet cloned) the later ones FAILED
// with NO_VMID (bench/provision.mjs: 14 of 200). Ids reserved in the database are now skipped.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPveSimulator, type PveSimulator } from '@pvepaas/orchestration/pve-sim/index';
import { createLogger } from '../../logger.js';
import { postgresUnavailable } from '../../test/database.js';
import { startTestApi, type TestApi } from '../../test/api.js';
import { startProvisioningPlatform, type ProvisioningPlatform } from '../../test/provisioning.js';
import { startWorker } from '../../worker/start-worker.js';
import { Cluster } from '../cluster/cluster.entity.js';
import { Machine, MachineStatus } from '../machine/machine.entity.js';
import { Role } from '../membership/membership.entity.js';
import { Template } from '../template/template.entity.js';

describe.skipIf(postgresUnavailable())('VMID reservation with many reservations in flight', () => {
  let api: TestApi;
  let sim: PveSimulator;
  let stopWorker: () => void;

  beforeAll(async () => {
    sim = await createPveSimulator({ seed: 9, timeFactor: 0.01, port: 0 });
    api = await startTestApi();
  });

  afterAll(async () => {
    stopWorker?.();
    await api?.close();
    await sim?.close();
  });

  it('skips 60 ids reserved by other jobs and reserves the next free one', async () => {
    const admin = await api.user({ admin: true });
    const { project } = await api.org(admin.user, Role.OWNER);
    const token = sim.credentials.tokens.full;
    const { createCluster } = await api.ok(
      `mutation($input: CreateClusterInput!) { createCluster(input: $input) { id } }`,
      { input: { name: 'sim', apiUrl: sim.url, tokenId: token.tokenid, tokenSecret: token.secret } },
      admin.token,
    );
    const { createTemplate } = await api.ok(
      `mutation($input: CreateTemplateInput!) { createTemplate(input: $input) { id } }`,
      {
        input: {
          clusterId: createCluster.id,
          name: 'debian-12',
          kind: 'VM',
          os: 'debian-12',
          sourceVmid: 9000,
          defaultCores: 1,
          defaultMemoryMiB: 512,
          defaultDiskGiB: 4,
        },
      },
      admin.token,
    );
    // 60 machines mid-provision: VMIDs reserved from Proxmox's next free id on, no guest yet.
    expect(sim.state.guests.every((g) => g.vmid >= 9000)).toBe(true);
    const em = api.db.orm.em.fork();
    const first = 100; // a fresh simulator's next free id (it holds only the templates 9000-9002)
    for (let i = 0; i < 60; i++) {
      em.create(Machine, {
        name: `inflight-${i}`,
        kind: 'VM' as Machine['kind'],
        project: project.id,
        owner: admin.user.id,
        template: em.getReference(Template, createTemplate.id),
        cluster: em.getReference(Cluster, createCluster.id),
        vmid: first + i,
        status: MachineStatus.PROVISIONING,
        cores: 1,
        memoryMiB: 512,
        diskGiB: 4,
      });
    }
    await em.flush();
    stopWorker = (
      await startWorker({
        orm: api.db.orm,
        jobs: api.jobs,
        pubsub: api.pubsub,
        secrets: api.app.services.secrets,
        log: createLogger(process.env.TEST_LOG_LEVEL ?? 'silent'),
        addressTimeoutMs: 30_000,
      })
    ).stop;
    const { provisionMachine } = await api.ok(
      `mutation($input: ProvisionMachineInput!) { provisionMachine(input: $input) { machine { id } job { id } } }`,
      { input: { projectId: project.id, name: 'late', templateId: createTemplate.id } },
      admin.token,
    );
    let job: { status: string; error: string | null } = { status: 'QUEUED', error: null };
    for (let i = 0; i < 300 && !['SUCCEEDED', 'FAILED'].includes(job.status); i++) {
      await new Promise((r) => setTimeout(r, 100));
      job = (
        await api.ok(`query($id: ID!) { job(id: $id) { status error } }`, { id: provisionMachine.job.id }, admin.token)
      ).job;
    }
    expect(job).toEqual({ status: 'SUCCEEDED', error: null });
    const { machine } = await api.ok(
      `query($id: ID!) { machine(id: $id) { vmid } }`,
      { id: provisionMachine.machine.id },
      admin.token,
    );
    expect(machine.vmid).toBeGreaterThanOrEqual(first + 60);
  }, 60_000);
});

// Regression: at 64 jobs at once each lost race for an id counted as one of the reserve step's 50
// attempts, and some jobs FAILED with NO_VMID while thousands of ids were free (bench/provision: 2 of
// 200). A lost race now only moves the loser on to another free id.
describe.skipIf(postgresUnavailable())('VMID reservation by many jobs at once on one cluster', () => {
  let platform: ProvisioningPlatform;
  const JOBS = 60;

  beforeAll(async () => {
    platform = await startProvisioningPlatform({
      sim: { seed: 13 },
      worker: { concurrency: JOBS + 4, addressTimeoutMs: 60_000 },
    });
  }, 60_000);

  afterAll(async () => {
    platform?.sim.control.releaseTasks();
    await platform?.close();
  });

  it(`${JOBS} provisions reserving at the same time all get distinct VMIDs and succeed`, async () => {
    const { api, sim } = platform;
    // Clones hang, so every job holds its reservation at once: none frees an id for the next.
    sim.control.stallTasks('qmclone');
    // Proxmox answering its next id slowly keeps the jobs in step: they read the same free ids and race
    // for each one together, as on a loaded cluster (under the old budget the last of 60 lost > 50 races).
    sim.control.addRouteFault({ method: 'GET', path: '/cluster/nextid', latencyMs: 100 });
    const started = await Promise.all(
      Array.from({ length: JOBS }, (_, i) =>
        platform.provision({ name: `many-${i}`, templateId: platform.templates.VM }),
      ),
    );
    const jobIds = started.map((s) => s.job.id);
    const sql = () => api.db.orm.em.fork().getConnection();
    const deadline = Date.now() + 60_000;
    let failed: { id: string; error: string }[] = [];
    for (;;) {
      const [row] = await sql().execute<{ n: string }[]>(
        `select count(*) as n from job_event where job_id in (${jobIds.map(() => '?').join(',')}) and step = 'reserve' and status in ('succeeded', 'failed')`,
        jobIds,
      );
      failed = await sql().execute(
        `select id, error from job where id in (${jobIds.map(() => '?').join(',')}) and status = 'FAILED'`,
        jobIds,
      );
      if (Number(row?.n) >= JOBS || failed.length > 0 || Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(failed).toEqual([]);
    const vmids = (
      await sql().execute<{ vmid: number | null }[]>(
        `select vmid from machine where id in (${started.map(() => '?').join(',')})`,
        started.map((s) => s.machine.id),
      )
    ).map((r) => Number(r.vmid));
    expect(vmids.every((v) => v >= 100)).toBe(true);
    expect(new Set(vmids).size).toBe(JOBS);

    sim.control.releaseTasks('qmclone');
    const statuses = await Promise.all(
      jobIds.map(async (id) => {
        for (let i = 0; i < 600; i++) {
          const { job } = await api.ok(
            `query($id: ID!) { job(id: $id) { status error } }`,
            { id },
            platform.admin.token,
          );
          if (['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(job.status)) return job;
          await new Promise((r) => setTimeout(r, 250));
        }
        return { status: 'TIMED OUT', error: null };
      }),
    );
    expect(statuses.filter((s) => s.status !== 'SUCCEEDED')).toEqual([]);
    // One guest per reserved id on the cluster: no two jobs created guests with the same VMID.
    expect(
      sim.state.guests
        .filter((g) => vmids.includes(g.vmid))
        .map((g) => g.vmid)
        .sort(),
    ).toEqual([...vmids].sort());
  }, 180_000);
});
