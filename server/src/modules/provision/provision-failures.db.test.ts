// Provisioning that goes wrong: each failure ends FAILED (or CANCELLED) with a reason a user can act
// on, and leaves no guest, VMID reservation or secret behind; a failed job can be retried.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresUnavailable } from '../../test/database.js';
import { startProvisioningPlatform, type ProvisioningPlatform } from '../../test/provisioning.js';

describe.skipIf(postgresUnavailable())('provisioning failures on the Proxmox VE simulator', () => {
  let p: ProvisioningPlatform;

  beforeAll(async () => {
    // A strict simulator: a node refuses to start guests beyond 3% of its memory.
    p = await startProvisioningPlatform({
      sim: { overcommitRatio: 0.03 },
      worker: { stepTimeoutsMs: { create: 4000 } },
    });
  }, 120_000);
  afterAll(() => p?.close());

  async function expectNothingLeft(machineId: string, guestsBefore: number) {
    const { machine } = await p.api.ok(
      `query($id: ID!) { machine(id: $id) { status vmid } }`,
      { id: machineId },
      p.admin.token,
    );
    expect(machine.vmid).toBeNull();
    expect(p.sim.state.guests.length).toBe(guestsBefore);
    expect(await p.api.app.services.secrets.read(`machines/${machineId}/credentials`)).toBeNull();
    return machine.status as string;
  }

  it('a start refused for memory ends FAILED with the reason, and nothing is left', async () => {
    const before = p.sim.state.guests.length;
    const { machine, job } = await p.provision({ name: 'too-big', templateId: p.templates.VM, memoryMiB: 16384 });
    const events = await p.follow(job.id);
    const failed = events.find((e) => e.status === 'failed');
    expect(failed).toMatchObject({ step: 'start', data: { code: 'PROXMOX_TASK_FAILED' } });
    expect(failed?.message).toMatch(/memory/i);
    expect(events.filter((e) => e.status === 'rolledBack').map((e) => e.step)).toEqual([
      'create',
      'secrets',
      'reserve',
    ]);
    expect(await expectNothingLeft(machine.id, before)).toBe('FAILED');
  });

  it('a stalled clone fails the step at its timeout, and the stalled task and its guest are removed', async () => {
    const before = p.sim.state.guests.length;
    p.sim.control.stallTasks('qmclone');
    try {
      const { machine, job } = await p.provision({ name: 'stalled', templateId: p.templates.VM });
      const events = await p.follow(job.id);
      expect(events.find((e) => e.status === 'failed')).toMatchObject({
        step: 'create',
        data: { code: 'STEP_TIMEOUT' },
      });
      expect(events.at(-1)).toMatchObject({ status: 'finished', data: { status: 'FAILED' } });
      expect(await expectNothingLeft(machine.id, before)).toBe('FAILED');
    } finally {
      p.sim.control.releaseTasks('qmclone');
    }
  });

  it('cancelJob stops a provision and rolls it back: CANCELLED, nothing left', async () => {
    const before = p.sim.state.guests.length;
    p.sim.control.stallTasks('qmclone');
    try {
      const { machine, job } = await p.provision({ name: 'cancelled', templateId: p.templates.VM });
      const done = p.follow(job.id);
      // Wait until the clone is under way, then cancel.
      for (let i = 0; i < 100 && !p.sim.state.guests.some((g) => g.config.name === 'cancelled'); i++)
        await new Promise((r) => setTimeout(r, 50));
      await p.api.ok(`mutation($id: ID!) { cancelJob(id: $id) { status } }`, { id: job.id }, p.admin.token);
      const events = await done;
      expect(events.at(-1)?.data).toMatchObject({ status: expect.stringMatching(/CANCELLED|FAILED/) });
      await expectNothingLeft(machine.id, before);
    } finally {
      p.sim.control.releaseTasks('qmclone');
    }
  });

  it('retryJob runs a failed provision again, to success', async () => {
    p.sim.control.failNextTask('qmclone', 'clone failed: temporary storage error');
    const { machine, job } = await p.provision({ name: 'second-time', templateId: p.templates.VM, memoryMiB: 512 });
    const first = await p.follow(job.id);
    expect(first.at(-1)?.data).toMatchObject({ status: 'FAILED' });
    const retried = await p.api.ok(
      `mutation($id: ID!) { retryJob(id: $id) { status } }`,
      { id: job.id },
      p.admin.token,
    );
    expect(retried.retryJob.status).toBe('QUEUED');
    const second = await p.follow(job.id);
    expect(second.at(-1)?.data).toMatchObject({ status: 'SUCCEEDED' });
    const again = await p.api.ok(
      `query($id: ID!) { machine(id: $id) { status vmid } }`,
      { id: machine.id },
      p.admin.token,
    );
    expect(again.machine.status).toBe('RUNNING');
    expect(p.sim.state.guests.filter((g) => g.vmid === again.machine.vmid)).toHaveLength(1);
    const conflict = await p.api.gql(
      `mutation($id: ID!) { retryJob(id: $id) { status } }`,
      { id: job.id },
      p.admin.token,
    );
    expect(conflict.errors?.[0]?.extensions?.code).toBe('CONFLICT');
  });
});
