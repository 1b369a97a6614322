import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PveSimulator } from '@pvepaas/orchestration/pve-sim/index';
import { postgresUnavailable } from '../../test/database.js';
import type { TestApi } from '../../test/api.js';
import { PROVISION, startProvisioningPlatform, type ProvisioningPlatform } from '../../test/provisioning.js';
import { Node } from '../cluster/node.entity.js';
import { Machine } from '../machine/machine.entity.js';
import { Membership, Role } from '../membership/membership.entity.js';
import type { Organization } from '../organization/organization.entity.js';
import { Project } from '../project/project.entity.js';
import type { User } from '../user/user.entity.js';

const EVENTS = `subscription($projectId: ID!) { machineEvents(projectId: $projectId) { machineId status deleted node ipAddresses } }`;
const MACHINE = `query($id: ID!) { machine(id: $id) { status vmid cores memoryMiB diskGiB ipAddresses snapshots { name description includesMemory parent } } }`;
const op = (name: string, input: string) =>
  `mutation($input: ${input}!) { ${name}(input: $input) { id kind status params } }`;
const START = op('startMachine', 'MachineJobInput');
const STOP = op('stopMachine', 'MachineJobInput');
const SHUTDOWN = op('shutdownMachine', 'ShutdownMachineInput');
const REBOOT = op('rebootMachine', 'MachineJobInput');
const SUSPEND = op('suspendMachine', 'MachineJobInput');
const RESUME = op('resumeMachine', 'MachineJobInput');
const RESIZE = op('resizeMachine', 'ResizeMachineInput');
const SNAPSHOT = op('createSnapshot', 'CreateSnapshotInput');
const ROLLBACK = op('rollbackSnapshot', 'SnapshotInput');
const DELETE_SNAPSHOT = op('deleteSnapshot', 'SnapshotInput');
const MIGRATE = op('migrateMachine', 'MigrateMachineInput');
const DESTROY = op('destroyMachine', 'MachineJobInput');

interface MachineEventMsg {
  machineId: string;
  status: string | null;
  deleted: boolean;
  node: string | null;
  ipAddresses: string[];
}

describe.skipIf(postgresUnavailable())('machine lifecycle on the Proxmox VE simulator', () => {
  let api: TestApi;
  let sim: PveSimulator;
  let admin: { user: User; token: string };
  let org: Organization;
  let project: Project;
  let ws: Client;
  let platform: ProvisioningPlatform;
  const templates: Record<string, string> = {};
  const events: MachineEventMsg[] = [];
  let vm: { id: string; vmid: number };
  let ct: { id: string; vmid: number };

  const follow = (jobId: string) => platform.follow(jobId);
  /** Runs a lifecycle mutation and follows its job to the end; fails unless it succeeded. */
  const run = async (mutation: string, input: Record<string, unknown>) => {
    const data = await api.ok(mutation, { input }, admin.token);
    const job = Object.values(data)[0] as { id: string; kind: string; status: string; params: Record<string, unknown> };
    expect(job.status).toBe('QUEUED');
    const progress = await follow(job.id);
    expect(progress.at(-1), JSON.stringify(progress.filter((e) => e.status === 'failed'))).toMatchObject({
      status: 'finished',
      data: { status: 'SUCCEEDED' },
    });
    return { job, progress };
  };
  const machine = async (id: string) => (await api.ok(MACHINE, { id }, admin.token)).machine;
  const guest = (vmid: number) => sim.state.guests.find((g) => g.vmid === vmid)!;
  const refused = async (mutation: string, input: Record<string, unknown>, token = admin.token) => {
    const error = await api.fail(mutation, { input }, token);
    return {
      code: error.extensions?.code,
      message: error.message,
      field: (error.extensions as { field?: string } | undefined)?.field,
    };
  };
  const provision = async (input: Record<string, unknown>) => {
    const { provisionMachine } = await api.ok(PROVISION, { input: { projectId: project.id, ...input } }, admin.token);
    const progress = await follow(provisionMachine.job.id);
    expect(progress.at(-1), JSON.stringify(progress)).toMatchObject({ data: { status: 'SUCCEEDED' } });
    return {
      id: provisionMachine.machine.id as string,
      vmid: (await machine(provisionMachine.machine.id)).vmid as number,
    };
  };

  beforeAll(async () => {
    platform = await startProvisioningPlatform({ sim: { seed: 11 }, worker: { addressTimeoutMs: 5_000 } });
    ({ api, sim, admin, org, project, ws } = platform);
    Object.assign(templates, platform.templates);
    ws.subscribe<{ machineEvents: MachineEventMsg }>(
      { query: EVENTS, variables: { projectId: project.id } },
      { next: (m) => m.data && events.push(m.data.machineEvents), error: () => undefined, complete: () => undefined },
    );
    // One after the other: two concurrent first placements race to create the same node row (see the report).
    vm = await provision({ name: 'vm-1', templateId: templates.VM });
    ct = await provision({ name: 'ct-1', templateId: templates.LXC });
  }, 120_000);

  afterAll(() => platform?.close());

  it('powers a VM through shutdown, start, reboot, suspend, resume and stop, with Proxmox task logs and machineEvents', async () => {
    const shutdown = await run(SHUTDOWN, { id: vm.id, timeoutSeconds: 30 });
    expect(shutdown.job.params).toMatchObject({ machineId: vm.id, timeoutSeconds: 30, forceStopAfter: true });
    expect(shutdown.progress.some((e) => e.status === 'log' && e.data.source === 'proxmox')).toBe(true);
    expect(guest(vm.vmid).status).toBe('stopped');
    expect((await machine(vm.id)).status).toBe('STOPPED');
    expect(events.filter((e) => e.machineId === vm.id).at(-1)).toMatchObject({ status: 'STOPPED', deleted: false });

    const start = await run(START, { id: vm.id });
    expect(start.progress.filter((e) => e.status === 'succeeded').map((e) => e.step)).toEqual(['start', 'address']);
    expect(guest(vm.vmid).status).toBe('running');
    expect((await machine(vm.id)).status).toBe('RUNNING');

    await run(REBOOT, { id: vm.id });
    expect(guest(vm.vmid).status).toBe('running');

    await run(SUSPEND, { id: vm.id });
    expect(guest(vm.vmid).status).toBe('paused');
    expect((await machine(vm.id)).status).toBe('SUSPENDED');
    expect(await refused(START, { id: vm.id })).toMatchObject({
      code: 'CONFLICT',
      message: expect.stringMatching(/suspended; resume it first/),
    });

    await run(RESUME, { id: vm.id });
    expect(guest(vm.vmid).status).toBe('running');

    await run(STOP, { id: vm.id });
    expect(guest(vm.vmid).status).toBe('stopped');
    expect(events.filter((e) => e.machineId === vm.id).map((e) => e.status)).toEqual(
      expect.arrayContaining(['STOPPED', 'RUNNING', 'SUSPENDED']),
    );
    await run(START, { id: vm.id });
  });

  it("follows the guest's real state: skips what Proxmox already did, and reads the status back after a failure", async () => {
    sim.control.stopGuest(vm.vmid); // behind the platform's back: the row still says RUNNING
    const { progress } = await run(STOP, { id: vm.id });
    expect(progress.find((e) => e.step === 'stop' && e.status === 'skipped')?.message).toMatch(/already stopped/);
    expect((await machine(vm.id)).status).toBe('STOPPED');

    sim.control.failNextTask('qmstart', 'start failed: QEMU exited with code 1');
    const { startMachine } = await api.ok(START, { input: { id: vm.id } }, admin.token);
    const failed = await follow(startMachine.id);
    expect(failed.find((e) => e.status === 'failed')).toMatchObject({
      step: 'start',
      data: { code: 'PROXMOX_TASK_FAILED' },
    });
    expect(failed.find((e) => e.status === 'failed')?.message).toMatch(/QEMU exited with code 1/);
    expect(failed.at(-1)).toMatchObject({ data: { status: 'FAILED' } });
    expect(guest(vm.vmid).status).toBe('stopped');
    expect((await machine(vm.id)).status).toBe('STOPPED');
    await run(START, { id: vm.id });
    expect((await machine(vm.id)).status).toBe('RUNNING');
  });

  it('refuses invalid transitions with CONFLICT and a reason', async () => {
    expect(await refused(START, { id: vm.id })).toMatchObject({
      code: 'CONFLICT',
      message: expect.stringMatching(/already running/),
    });
    expect(await refused(RESUME, { id: vm.id })).toMatchObject({
      code: 'CONFLICT',
      message: expect.stringMatching(/is running; .*suspended/),
    });
    expect(await refused(SUSPEND, { id: ct.id })).toMatchObject({
      code: 'CONFLICT',
      message: expect.stringMatching(/LXC container; only VMs can suspend/),
    });

    // A second job on a machine with one in progress.
    sim.control.stallTasks('qmreboot');
    const { rebootMachine } = await api.ok(REBOOT, { input: { id: vm.id } }, admin.token);
    const rebooted = follow(rebootMachine.id);
    expect(await refused(STOP, { id: vm.id })).toMatchObject({
      code: 'CONFLICT',
      message: expect.stringMatching(/has a reboot job in progress/),
    });
    sim.control.releaseTasks('qmreboot');
    expect((await rebooted).at(-1)).toMatchObject({ data: { status: 'SUCCEEDED' } });

    // A machine being provisioned: nothing but waiting.
    sim.control.stallTasks('qmclone');
    const { provisionMachine } = await api.ok(
      PROVISION,
      { input: { projectId: project.id, name: 'vm-slow', templateId: templates.VM } },
      admin.token,
    );
    const provisioned = follow(provisionMachine.job.id);
    expect(await refused(RESIZE, { id: provisionMachine.machine.id, cores: 2 })).toMatchObject({
      code: 'CONFLICT',
      message: expect.stringMatching(/being provisioned/),
    });
    sim.control.releaseTasks('qmclone');
    expect((await provisioned).at(-1)).toMatchObject({ data: { status: 'SUCCEEDED' } });
  });

  it('needs the privilege of each operation, and hides machines of other projects', async () => {
    const viewer = await api.user();
    const em = api.db.orm.em.fork();
    em.create(Membership, { organization: org.id, user: viewer.user.id, role: Role.VIEWER, project: null });
    await em.flush();
    expect(await refused(STOP, { id: vm.id }, viewer.token)).toMatchObject({
      code: 'FORBIDDEN',
      message: expect.stringMatching(/Machine.PowerMgmt/),
    });
    expect(await refused(DESTROY, { id: vm.id }, viewer.token)).toMatchObject({
      code: 'FORBIDDEN',
      message: expect.stringMatching(/Machine.Delete/),
    });
    const stranger = await api.user();
    expect(await refused(STOP, { id: vm.id }, stranger.token)).toMatchObject({ code: 'NOT_FOUND' });
    const wsStranger = createClient({
      url: api.url.replace('http', 'ws') + '/graphql',
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${stranger.token}` },
    });
    const error = await new Promise<unknown>((resolve) =>
      wsStranger.subscribe(
        { query: EVENTS, variables: { projectId: project.id } },
        { next: resolve, error: resolve, complete: () => resolve(null) },
      ),
    );
    expect(JSON.stringify(error)).toMatch(/NOT_FOUND/);
    await wsStranger.dispose();
  });

  it('returns the same job for a repeated idempotency key, and CONFLICT for another request with it', async () => {
    const input = { id: ct.id, timeoutSeconds: 20, idempotencyKey: 'shutdown-ct-1' };
    const a = await api.ok(SHUTDOWN, { input }, admin.token);
    const b = await api.ok(SHUTDOWN, { input }, admin.token);
    expect(b.shutdownMachine.id).toBe(a.shutdownMachine.id);
    expect(await refused(SHUTDOWN, { ...input, timeoutSeconds: 21 })).toMatchObject({
      code: 'CONFLICT',
      message: expect.stringMatching(/idempotency key/),
    });
    expect((await follow(a.shutdownMachine.id)).at(-1)).toMatchObject({ data: { status: 'SUCCEEDED' } });
    expect(guest(ct.vmid).status).toBe('stopped');
    await run(START, { id: ct.id });
    expect(guest(ct.vmid).status).toBe('running');
  });

  it('resizes cores, memory and disk within quota, and refuses to shrink a disk', async () => {
    expect(await refused(RESIZE, { id: vm.id, diskGiB: 2 })).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.diskGiB',
      message: expect.stringMatching(/Proxmox cannot shrink disks/),
    });
    expect(await refused(RESIZE, { id: vm.id, cores: 1 })).toMatchObject({
      code: 'BAD_USER_INPUT',
      message: expect.stringMatching(/at least one of/),
    });
    const em = api.db.orm.em.fork();
    const p = await em.findOneOrFail(Project, { id: project.id });
    const used = (await em.find(Machine, { project: project.id })).reduce((sum, m) => sum + m.cores, 0);
    p.quota.cores = used + 1;
    await em.flush();
    try {
      expect(await refused(RESIZE, { id: vm.id, cores: 3 })).toMatchObject({
        code: 'QUOTA_EXCEEDED',
        message: expect.stringMatching(/project.cores/),
      });
      const { progress } = await run(RESIZE, { id: vm.id, cores: 2, memoryMiB: 2048, diskGiB: 6 });
      expect(progress.some((e) => /next reboot/.test(e.message))).toBe(true);
    } finally {
      p.quota.cores = null;
      await em.flush();
    }
    const g = guest(vm.vmid);
    expect({ ...g.config, ...g.pending }).toMatchObject({ cores: '2', memory: '2048' });
    expect(g.config.scsi0).toMatch(/size=6G/);
    expect(await machine(vm.id)).toMatchObject({ cores: 2, memoryMiB: 2048, diskGiB: 6 });

    await run(RESIZE, { id: ct.id, memoryMiB: 1024, diskGiB: 8 });
    expect(guest(ct.vmid).config).toMatchObject({ memory: '1024' });
    expect(guest(ct.vmid).config.rootfs).toMatch(/size=8G/);
  });

  it('gives back reserved sizes when a resize fails', async () => {
    sim.control.failNextTask('resize', 'disk resize failed: storage full');
    const { resizeMachine } = await api.ok(RESIZE, { input: { id: ct.id, cores: 2, diskGiB: 20 } }, admin.token);
    expect(await machine(ct.id)).toMatchObject({ cores: 2, diskGiB: 20 });
    const progress = await follow(resizeMachine.id);
    expect(progress.at(-1)).toMatchObject({ data: { status: 'FAILED', code: 'PROXMOX_TASK_FAILED' } });
    expect(progress.filter((e) => e.status === 'rolledBack').map((e) => e.step)).toEqual(['config']);
    expect(await machine(ct.id)).toMatchObject({ cores: 1, diskGiB: 8, status: 'RUNNING' });
    expect(guest(ct.vmid).config.cores).toBe('1');
  });

  it('creates, lists, rolls back and deletes snapshots', async () => {
    expect(await refused(SNAPSHOT, { id: vm.id, name: '1st' })).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.name',
    });
    expect(await refused(SNAPSHOT, { id: vm.id, name: 'current' })).toMatchObject({ code: 'BAD_USER_INPUT' });
    await run(SNAPSHOT, { id: vm.id, name: 'before-upgrade', description: 'clean install' });
    expect(guest(vm.vmid).snapshots.map((s) => s.name)).toEqual(['before-upgrade']);
    expect((await machine(vm.id)).snapshots).toEqual([
      { name: 'before-upgrade', description: 'clean install', includesMemory: false, parent: null },
    ]);
    expect(await refused(SNAPSHOT, { id: vm.id, name: 'before-upgrade' })).toMatchObject({
      code: 'CONFLICT',
      message: expect.stringMatching(/already has a snapshot/),
    });
    expect(await refused(ROLLBACK, { id: vm.id, name: 'nope' })).toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringMatching(/no snapshot named nope/),
    });
    expect(await refused(DELETE_SNAPSHOT, { id: vm.id, name: 'nope' })).toMatchObject({ code: 'NOT_FOUND' });

    sim.control.setGuestConfig(vm.vmid, { description: 'changed after the snapshot' });
    await run(ROLLBACK, { id: vm.id, name: 'before-upgrade' });
    expect(guest(vm.vmid).config.description).toBeUndefined();
    // A snapshot without memory leaves the VM stopped, and the machine says so.
    expect(guest(vm.vmid).status).toBe('stopped');
    expect((await machine(vm.id)).status).toBe('STOPPED');

    await run(DELETE_SNAPSHOT, { id: vm.id, name: 'before-upgrade' });
    expect(guest(vm.vmid).snapshots).toEqual([]);
    expect((await machine(vm.id)).snapshots).toEqual([]);
    await run(START, { id: vm.id });
  });

  it('migrates a running VM online to another node and refuses unusable targets', async () => {
    const from = guest(vm.vmid).node;
    const nodes = sim.state.nodes.map((n) => n.name);
    const [target, other] = nodes.filter((n) => n !== from);
    expect(await refused(MIGRATE, { id: vm.id, targetNode: 'pve9' })).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.targetNode',
    });
    expect(await refused(MIGRATE, { id: vm.id, targetNode: from })).toMatchObject({
      code: 'BAD_USER_INPUT',
      message: expect.stringMatching(/already runs on/),
    });
    const em = api.db.orm.em.fork();
    const clusterId = (await em.findOneOrFail(Node, { name: from })).cluster.id;
    em.create(Node, { cluster: clusterId, name: target!, status: 'online', maintenance: true });
    await em.flush();
    expect(await refused(MIGRATE, { id: vm.id, targetNode: target })).toMatchObject({
      code: 'CONFLICT',
      message: expect.stringMatching(/in maintenance/),
    });
    await em.nativeUpdate(Node, { name: target! }, { maintenance: false });
    const offline = other!;
    const ctNode = guest(ct.vmid).node;
    if (offline !== ctNode) {
      sim.control.setNodeOnline(offline, false);
      expect(await refused(MIGRATE, { id: vm.id, targetNode: offline })).toMatchObject({
        code: 'CONFLICT',
        message: expect.stringMatching(/offline/),
      });
      sim.control.setNodeOnline(offline, true);
    }

    const { progress } = await run(MIGRATE, { id: vm.id, targetNode: target });
    expect(progress.some((e) => /Online migration/.test(e.message))).toBe(true);
    expect(progress.some((e) => /migration finished successfully/.test(e.message))).toBe(true);
    expect(guest(vm.vmid)).toMatchObject({ node: target, status: 'running' });
    expect(events.filter((e) => e.machineId === vm.id).at(-1)).toMatchObject({ node: target, status: 'RUNNING' });

    // A running container moves in restart mode: stopped, moved, started again.
    const ctTarget = nodes.find((n) => n !== guest(ct.vmid).node)!;
    const ctRun = await run(MIGRATE, { id: ct.id, targetNode: ctTarget });
    expect(ctRun.progress.some((e) => /Online migration/.test(e.message))).toBe(true);
    expect(guest(ct.vmid)).toMatchObject({ node: ctTarget, status: 'running' });
  });

  it('deletes a running container: stopped, destroyed with purge, credentials and record released, the job kept', async () => {
    const seen = events.length;
    const { job, progress } = await run(DESTROY, { id: ct.id });
    expect(progress.filter((e) => e.status === 'succeeded').map((e) => e.step)).toEqual([
      'stop',
      'destroy',
      'secrets',
      'release',
    ]);
    expect(sim.state.guests.some((g) => g.vmid === ct.vmid)).toBe(false);
    expect(await api.app.services.secrets.read(`machines/${ct.id}/credentials`)).toBeNull();
    expect(await refused(START, { id: ct.id })).toMatchObject({ code: 'NOT_FOUND' });
    const { job: kept } = await api.ok(
      `query($id: ID!) { job(id: $id) { kind status machine { id } params } }`,
      { id: job.id },
      admin.token,
    );
    expect(kept).toMatchObject({
      kind: 'delete',
      status: 'SUCCEEDED',
      machine: null,
      params: { machineId: ct.id, prior: { name: 'ct-1', vmid: ct.vmid } },
    });
    expect(events.slice(seen).filter((e) => e.machineId === ct.id)).toEqual([
      expect.objectContaining({ status: 'DELETING', deleted: false }),
      expect.objectContaining({ status: null, deleted: true }),
    ]);
  });

  it('deletes a machine whose guest vanished behind the platform', async () => {
    const { machine: m } = await api.ok(`query($id: ID!) { machine(id: $id) { id vmid } }`, { id: vm.id }, admin.token);
    sim.control.deleteGuest(m.vmid);
    const { progress } = await run(DESTROY, { id: vm.id });
    expect(progress.filter((e) => e.status === 'skipped').map((e) => e.step)).toEqual(['stop', 'destroy']);
    expect(await refused(START, { id: vm.id })).toMatchObject({ code: 'NOT_FOUND' });

    // A machine that was only recorded (never provisioned) has nothing on Proxmox to remove.
    const { createMachine } = await api.ok(
      `mutation($input: CreateMachineInput!) { createMachine(input: $input) { id status } }`,
      { input: { projectId: project.id, name: 'never-built', templateId: templates.VM } },
      admin.token,
    );
    expect(await refused(START, { id: createMachine.id })).toMatchObject({
      code: 'CONFLICT',
      message: expect.stringMatching(/is pending/),
    });
    const pending = await run(DESTROY, { id: createMachine.id });
    expect(pending.progress.filter((e) => e.status === 'skipped').map((e) => e.step)).toEqual(['stop', 'destroy']);
    expect(await refused(START, { id: createMachine.id })).toMatchObject({ code: 'NOT_FOUND' });
  });
});
