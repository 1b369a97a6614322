// Tenant isolation on the Proxmox VE simulator, through the API and a worker: each project's guests
// land in the project's own pool and SDN VNet, behind a firewall that drops inbound traffic except
// the ports the project opens.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresUnavailable } from '../../test/database.js';
import { PROVISION, startProvisioningPlatform, type ProvisioningPlatform } from '../../test/provisioning.js';
import { ownerMarker, PLATFORM_ZONE, projectPoolId, projectVnetId, RULE_COMMENT } from './tenancy.service.js';

const CREATE_PROJECT = `mutation($input: CreateProjectInput!) {
  createProject(input: $input) { id firewallRules { protocol port source } }
}`;

describe.skipIf(postgresUnavailable())('per-project pool, VNet and firewall on Proxmox', () => {
  let p: ProvisioningPlatform;
  const guest = (vmid: number) => p.sim.state.guests.find((g) => g.vmid === vmid)!;
  const pool = (projectId: string) => p.sim.state.pools.find((x) => x.poolid === projectPoolId(projectId));

  beforeAll(async () => {
    p = await startProvisioningPlatform();
  }, 120_000);
  afterAll(() => p?.close());

  async function project(name: string, firewallRules: unknown[] = []): Promise<string> {
    const { createProject } = await p.api.ok(
      CREATE_PROJECT,
      { input: { organizationId: p.org.id, name, firewallRules } },
      p.admin.token,
    );
    return createProject.id;
  }

  async function provision(projectId: string, name: string, kind: 'VM' | 'LXC') {
    const { provisionMachine } = await p.api.ok(
      PROVISION,
      { input: { projectId, name, templateId: p.templates[kind] } },
      p.admin.token,
    );
    return provisionMachine as { machine: { id: string }; job: { id: string } };
  }

  async function vmidOf(machineId: string): Promise<number> {
    const { machine } = await p.api.ok(
      `query($id: ID!) { machine(id: $id) { vmid status } }`,
      { id: machineId },
      p.admin.token,
    );
    expect(machine.status).toBe('RUNNING');
    return machine.vmid;
  }

  it("puts two projects' machines in different pools and VNets, firewall on, inbound dropped, opened ports as rules", async () => {
    const web = await project('web', [
      { protocol: 'TCP', port: 443, source: null },
      { protocol: 'TCP', port: 22, source: '203.0.113.0/24' },
    ]);
    const db = await project('db', [{ protocol: 'UDP', port: 51820, source: '2001:db8::/32' }]);
    // Two machines of one project at once: the second job finds (or races for) the pool and VNet the first makes.
    const started = await Promise.all([
      provision(web, 'web-1', 'VM'),
      provision(web, 'web-2', 'LXC'),
      provision(db, 'db-1', 'VM'),
    ]);
    const events = await Promise.all(started.map((s) => p.follow(s.job.id)));
    for (const e of events) {
      expect(e.at(-1), JSON.stringify(e.filter((x) => x.status === 'failed'))).toMatchObject({
        status: 'finished',
        data: { status: 'SUCCEEDED' },
      });
      // Isolation comes between create and start: the guest never runs outside its project's network.
      const order = e.filter((x) => x.status === 'succeeded').map((x) => x.step);
      expect(order.indexOf('isolate')).toBe(order.indexOf('create') + 1);
      expect(order.indexOf('start')).toBe(order.indexOf('isolate') + 1);
    }
    const [web1, web2, db1] = (await Promise.all(started.map((s) => vmidOf(s.machine.id)))) as [number, number, number];

    // Pools: one per project, holding exactly that project's guests.
    expect(pool(web)).toMatchObject({ comment: ownerMarker(web) });
    expect(pool(web)!.vms.sort()).toEqual([web1, web2].sort());
    expect(pool(db)!.vms).toEqual([db1]);
    expect(projectPoolId(web)).not.toBe(projectPoolId(db));

    // VNets: one per project, in the platform zone, applied (no pending change left).
    const vnets = p.sim.state.sdn.vnets;
    for (const id of [web, db]) {
      expect(vnets[projectVnetId(id)], `VNet of ${id}`).toMatchObject({
        config: { zone: PLATFORM_ZONE, alias: ownerMarker(id) },
      });
      expect(vnets[projectVnetId(id)]!.pending).toBeUndefined();
    }
    expect(p.sim.state.sdn.zones[PLATFORM_ZONE]).toMatchObject({ config: { type: 'simple' } });
    expect(projectVnetId(web)).not.toBe(projectVnetId(db));

    // Each guest's NIC is on its own project's VNet with the firewall flag, and its firewall drops inbound.
    for (const [vmid, id] of [
      [web1, web],
      [web2, web],
      [db1, db],
    ] as const) {
      const g = guest(vmid);
      expect(g.config.net0).toContain(`bridge=${projectVnetId(id)}`);
      expect(g.config.net0).toMatch(/firewall=1/);
      expect(g.firewall.options).toMatchObject({ enable: 1, policy_in: 'DROP' });
    }
    const rules = (vmid: number) =>
      guest(vmid).firewall.rules.map(({ type, action, proto, dport, source, enable, comment }) => ({
        type,
        action,
        proto,
        dport,
        source,
        enable,
        comment,
      }));
    const opened = { type: 'in', action: 'ACCEPT', enable: 1, comment: RULE_COMMENT };
    for (const vmid of [web1, web2])
      expect(rules(vmid)).toEqual(
        expect.arrayContaining([
          { ...opened, proto: 'tcp', dport: '443', source: undefined },
          { ...opened, proto: 'tcp', dport: '22', source: '203.0.113.0/24' },
        ]),
      );
    expect(rules(web1)).toHaveLength(2);
    expect(rules(db1)).toEqual([{ ...opened, proto: 'udp', dport: '51820', source: '2001:db8::/32' }]);

    // Changed rules reach the machines the project has; a rule an operator added by hand stays.
    guest(web1).firewall.rules.push({ pos: 0, type: 'in', action: 'ACCEPT', proto: 'icmp', enable: 1 });
    await p.api.ok(
      `mutation($id: ID!, $input: UpdateProjectInput!) { updateProject(id: $id, input: $input) { id } }`,
      { id: web, input: { firewallRules: [{ protocol: 'TCP', port: 8443, source: '198.51.100.0/24' }] } },
      p.admin.token,
    );
    for (const vmid of [web1, web2])
      expect(rules(vmid).filter((r) => r.comment === RULE_COMMENT)).toEqual([
        { ...opened, proto: 'tcp', dport: '8443', source: '198.51.100.0/24' },
      ]);
    expect(rules(web1).filter((r) => r.proto === 'icmp')).toHaveLength(1);
    expect(rules(db1)).toEqual([{ ...opened, proto: 'udp', dport: '51820', source: '2001:db8::/32' }]);
  });

  it('undoes a half-made isolation when Proxmox refuses the VNet, and a retry then succeeds', async () => {
    const id = await project('flaky');
    const fault = p.sim.control.addRouteFault({
      method: 'POST',
      path: '/cluster/sdn/vnets',
      status: 500,
      message: 'sdn config locked',
    });
    const { machine, job } = await provision(id, 'flaky-1', 'VM');
    const events = await p.follow(job.id);
    expect(events.at(-1)).toMatchObject({ status: 'finished', data: { status: 'FAILED' } });
    expect(events.find((e) => e.status === 'failed')).toMatchObject({ step: 'isolate' });
    // The pool made before the refusal is gone again, and so is the guest (create's undo).
    expect(pool(id)).toBeUndefined();
    expect(p.sim.state.sdn.vnets[projectVnetId(id)]).toBeUndefined();
    expect(p.sim.state.guests.filter((g) => g.config.name === 'flaky-1')).toEqual([]);

    p.sim.control.removeRouteFault(fault);
    await p.api.ok(`mutation($id: ID!) { retryJob(id: $id) { id } }`, { id: job.id }, p.admin.token);
    const retried = await p.follow(job.id);
    expect(retried.at(-1)).toMatchObject({ status: 'finished', data: { status: 'SUCCEEDED' } });
    const vmid = await vmidOf(machine.id);
    expect(pool(id)!.vms).toEqual([vmid]);
    expect(guest(vmid).config.net0).toContain(`bridge=${projectVnetId(id)}`);
  });

  it("refuses to provision while the cluster's datacenter firewall is off (guest firewalls would not filter)", async () => {
    const id = await project('unfiltered');
    const options = p.sim.state.clusterFirewall!.options;
    options.enable = 0;
    try {
      const { job } = await provision(id, 'unfiltered-1', 'LXC');
      const events = await p.follow(job.id);
      expect(events.find((e) => e.status === 'failed')).toMatchObject({
        step: 'isolate',
        data: { code: 'ISOLATION_FAILED' },
      });
      expect(events.find((e) => e.status === 'failed')?.message).toMatch(/datacenter firewall is off/);
      expect(events.at(-1)).toMatchObject({ status: 'finished', data: { status: 'FAILED' } });
      expect(p.sim.state.guests.filter((g) => g.config.hostname === 'unfiltered-1')).toEqual([]);
      expect(pool(id)).toBeUndefined();
    } finally {
      options.enable = 1;
    }
  });

  it('refuses malformed firewall rules, naming the field', async () => {
    for (const [rule, field] of [
      [{ protocol: 'TCP', port: 0 }, 'input.firewallRules.0.port'],
      [{ protocol: 'TCP', port: 65536 }, 'input.firewallRules.0.port'],
      [{ protocol: 'UDP', port: 53, source: '10.0.0.0/33' }, 'input.firewallRules.0.source'],
      [{ protocol: 'UDP', port: 53, source: 'anywhere' }, 'input.firewallRules.0.source'],
    ] as const) {
      const error = await p.api.fail(
        CREATE_PROJECT,
        { input: { organizationId: p.org.id, name: 'bad-rules', firewallRules: [rule] } },
        p.admin.token,
      );
      expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    }
    const error = await p.api.fail(
      `mutation($id: ID!, $input: UpdateProjectInput!) { updateProject(id: $id, input: $input) { id } }`,
      { id: p.project.id, input: { firewallRules: [{ protocol: 'ICMP', port: 1 }] } },
      p.admin.token,
    );
    expect(error.extensions?.code).toBe('BAD_USER_INPUT');
    const { updateProject } = await p.api.ok(
      `mutation($id: ID!, $input: UpdateProjectInput!) { updateProject(id: $id, input: $input) { firewallRules { protocol port source } } }`,
      { id: p.project.id, input: { firewallRules: [{ protocol: 'TCP', port: 8080, source: '198.51.100.7' }] } },
      p.admin.token,
    );
    expect(updateProject.firewallRules).toEqual([{ protocol: 'TCP', port: 8080, source: '198.51.100.7' }]);
  });
});
