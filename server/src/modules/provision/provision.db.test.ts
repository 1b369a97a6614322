import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresUnavailable } from '../../test/database.js';
import { projectVnetId } from '../tenancy/tenancy.service.js';
import { PROVISION, startProvisioningPlatform, type ProvisioningPlatform } from '../../test/provisioning.js';

describe.skipIf(postgresUnavailable())('provisioning on the Proxmox VE simulator', () => {
  let p: ProvisioningPlatform;
  const guest = (vmid: number) => p.sim.state.guests.find((g) => g.vmid === vmid);

  beforeAll(async () => {
    p = await startProvisioningPlatform();
  }, 120_000);
  afterAll(() => p?.close());

  it('provisions a VM: every step in order up to finished, and the guest runs with what was asked', async () => {
    const { createNetworkConfiguration: lan } = await p.api.ok(
      `mutation($input: CreateNetworkConfigurationInput!) { createNetworkConfiguration(input: $input) { id } }`,
      { input: { projectId: p.project.id, name: 'lan', bridge: 'vmbr0', vlanTag: 20 } },
      p.admin.token,
    );
    const { provisionMachine } = await p.api.ok(
      PROVISION,
      {
        input: {
          projectId: p.project.id,
          name: 'web-1',
          templateId: p.templates.VM,
          cores: 2,
          memoryMiB: 2048,
          diskGiB: 8,
          networkId: lan.id,
        },
      },
      p.admin.token,
    );
    expect(provisionMachine.machine.status).toBe('PROVISIONING');
    const events = await p.follow(provisionMachine.job.id);
    const steps = events
      .filter((e) => e.status === 'succeeded' || e.status === 'skipped')
      .map((e) => `${e.step}:${e.status}`);
    expect(steps).toEqual([
      'place:succeeded',
      'reserve:succeeded',
      'secrets:succeeded',
      'create:succeeded',
      'isolate:succeeded',
      'start:succeeded',
      'address:succeeded',
      'configure:skipped',
    ]);
    expect(events.at(-1)).toMatchObject({ status: 'finished', percent: 100, data: { status: 'SUCCEEDED' } });
    expect(events.some((e) => e.status === 'log' && e.data.source === 'proxmox')).toBe(true);
    const { machine } = await p.api.ok(
      `query($id: ID!) { machine(id: $id) { status vmid ipAddresses } }`,
      { id: provisionMachine.machine.id },
      p.admin.token,
    );
    expect(machine.status).toBe('RUNNING');
    expect(machine.ipAddresses.length).toBeGreaterThan(0);
    const g = guest(machine.vmid)!;
    expect(g.status).toBe('running');
    expect(g.config).toMatchObject({ cores: '2', memory: '2048', ciuser: 'paas', name: 'web-1' });
    expect(decodeURIComponent(g.config.sshkeys ?? '')).toMatch(/^ssh-ed25519 /);
    expect(g.config.scsi0).toMatch(/size=8G/);
    // The project's own VNet replaces the network's bridge and VLAN (tenant isolation, modules/tenancy).
    expect(g.config.net0).toContain(`bridge=${projectVnetId(p.project.id)}`);
    expect(g.config.net0).not.toMatch(/tag=/);
    expect(g.config.ipconfig0).toBe('ip=dhcp');
  });

  it('provisions an LXC container', async () => {
    const { provisionMachine } = await p.api.ok(
      PROVISION,
      { input: { projectId: p.project.id, name: 'ct-1', templateId: p.templates.LXC } },
      p.admin.token,
    );
    const events = await p.follow(provisionMachine.job.id);
    expect(events.at(-1)).toMatchObject({ status: 'finished', data: { status: 'SUCCEEDED' } });
    const { machine } = await p.api.ok(
      `query($id: ID!) { machine(id: $id) { status vmid } }`,
      { id: provisionMachine.machine.id },
      p.admin.token,
    );
    const g = guest(machine.vmid)!;
    expect(g).toMatchObject({ type: 'lxc', status: 'running' });
    expect(g.config).toMatchObject({ hostname: 'ct-1', memory: '512' });
  });

  it('ends a failed clone in FAILED with its reason, and leaves no guest, reservation or secret', async () => {
    p.sim.control.failNextTask('qmclone', 'clone failed: storage ceph-vm is full');
    const before = p.sim.state.guests.length;
    const { provisionMachine } = await p.api.ok(
      PROVISION,
      { input: { projectId: p.project.id, name: 'doomed', templateId: p.templates.VM } },
      p.admin.token,
    );
    const events = await p.follow(provisionMachine.job.id);
    expect(events.find((e) => e.status === 'failed')).toMatchObject({
      step: 'create',
      data: { code: 'PROXMOX_TASK_FAILED' },
    });
    expect(events.find((e) => e.status === 'failed')?.message).toMatch(/storage ceph-vm is full/);
    expect(events.filter((e) => e.status === 'rolledBack').map((e) => e.step)).toEqual([
      'create',
      'secrets',
      'reserve',
    ]);
    expect(events.at(-1)).toMatchObject({ status: 'finished', data: { status: 'FAILED' } });
    const { machine } = await p.api.ok(
      `query($id: ID!) { machine(id: $id) { status vmid } }`,
      { id: provisionMachine.machine.id },
      p.admin.token,
    );
    expect(machine).toEqual({ status: 'FAILED', vmid: null });
    expect(p.sim.state.guests.length).toBe(before);
    expect(await p.api.app.services.secrets.read(`machines/${provisionMachine.machine.id}/credentials`)).toBeNull();
  });

  it('returns the same job for a repeated idempotency key', async () => {
    const input = { projectId: p.project.id, name: 'idem-1', templateId: p.templates.LXC, idempotencyKey: 'k-1' };
    const a = await p.api.ok(PROVISION, { input }, p.admin.token);
    const b = await p.api.ok(PROVISION, { input }, p.admin.token);
    expect(b.provisionMachine.job.id).toBe(a.provisionMachine.job.id);
    const c = await p.api.gql(PROVISION, { input: { ...input, cores: 3 } }, p.admin.token);
    expect(c.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    await p.follow(a.provisionMachine.job.id);
  });
});
