// Provisioning on a cluster whose driver is TERRAFORM, against the simulator. The `terraform` on the
// worker's PATH is fixtures/sim-terraform (see its WHY): it makes the provider's Proxmox API calls
// and prints Terraform's recorded -json lines, so the rest of the workflow (start, address) runs on
// the guest it really created.
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresUnavailable } from '../../test/database.js';
import { stateConnString } from './terraform-provisioner.js';
import { startProvisioningPlatform, type Progress, type ProvisioningPlatform } from '../../test/provisioning.js';

const FAKE_BIN = fileURLToPath(new URL('./fixtures/sim-terraform/bin', import.meta.url));
const FOLLOW = `subscription($jobId: ID!) { jobProgress(jobId: $jobId) { seq step status percent message data } }`;
const JOB = `query($id: ID!) { job(id: $id) { status } }`;

describe.skipIf(postgresUnavailable())('provisioning with the Terraform driver', () => {
  let p: ProvisioningPlatform;
  let workRoot: string;
  const argvLog = () => join(workRoot, 'argv.jsonl');
  const calls = async () =>
    (await readFile(argvLog(), 'utf8').catch(() => ''))
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { args: string[]; cwd: string; env: Record<string, string> });
  const guest = (vmid: number) => p.sim.state.guests.find((g) => g.vmid === vmid);
  const machineOf = async (id: string) =>
    (await p.api.ok(`query($id: ID!) { machine(id: $id) { status vmid ipAddresses } }`, { id }, p.admin.token)).machine;

  /**
   * Follows a job over graphql-ws; when the first event matching `probe` arrives, asks the API for the
   * job's status and the simulator for the guest at that moment (what a user watching live would see).
   */
  function followLive(jobId: string, probe: (e: Progress) => boolean) {
    let seenAt: Promise<{ status: string; event: Progress }> | undefined;
    const events = new Promise<Progress[]>((resolve, reject) => {
      const all: Progress[] = [];
      p.ws.subscribe<{ jobProgress: Progress }>(
        { query: FOLLOW, variables: { jobId } },
        {
          next: (m) => {
            if (m.errors) return reject(new Error(JSON.stringify(m.errors)));
            const e = m.data!.jobProgress;
            all.push(e);
            if (!seenAt && probe(e))
              seenAt = p.api
                .ok(JOB, { id: jobId }, p.admin.token)
                .then((r) => ({ status: r.job.status as string, event: e }));
          },
          error: reject,
          complete: () => resolve(all),
        },
      );
    });
    return { events, seen: () => seenAt };
  }

  /** Read by each run (a test lengthens the pause inside apply). */
  const extraEnv: Record<string, string> = {};
  /** The worker's environment for terraform: its PATH is where the binary is looked up, at each job. */
  const env: NodeJS.ProcessEnv = { ...process.env, PATH: `${FAKE_BIN}:${process.env.PATH}` };

  beforeAll(async () => {
    workRoot = await mkdtemp(join(tmpdir(), 'pvepaas-tf-provision-'));
    Object.assign(extraEnv, { FAKE_ARGV_LOG: join(workRoot, 'argv.jsonl'), FAKE_TF_APPLY_DELAY_MS: '600' });
    p = await startProvisioningPlatform({
      worker: {
        terraform: {
          workRoot,
          env,
          // A pause inside apply, so a subscriber sees the apply while it runs.
          extraEnv,
          cancelPollMs: 200,
          graceMs: 3000,
        },
      },
    });
    const { clusters } = await p.api.ok(`{ clusters { id provisioningDriver } }`, {}, p.admin.token);
    expect(clusters[0].provisioningDriver).toBe('NATIVE');
    const { updateCluster } = await p.api.ok(
      `mutation($id: ID!) { updateCluster(id: $id, input: { provisioningDriver: TERRAFORM }) { provisioningDriver } }`,
      { id: clusters[0].id },
      p.admin.token,
    );
    expect(updateCluster.provisioningDriver).toBe('TERRAFORM');
  }, 120_000);
  afterAll(async () => {
    await p?.close();
    if (workRoot) await rm(workRoot, { recursive: true, force: true });
  });

  it('creates a VM with init, plan and apply, shown live with the plan summary and resource progress', async () => {
    const { machine, job } = await p.provision({
      name: 'tf-web-1',
      templateId: p.templates.VM,
      cores: 2,
      memoryMiB: 2048,
    });
    const live = followLive(job.id, (e) => e.status === 'progress' && /Still creating/.test(e.message));
    const events = await live.events;

    // Seen while it happened: the job was still running when the apply's progress arrived.
    expect((await live.seen())?.status).toBe('RUNNING');
    // (Other steps, such as tenant isolation, may sit between these; this file checks the driver's.)
    const wanted = new Set(['place', 'reserve', 'secrets', 'create', 'start', 'address', 'configure']);
    const steps = events
      .filter((e) => (e.status === 'succeeded' || e.status === 'skipped') && wanted.has(e.step))
      .map((e) => `${e.step}:${e.status}`);
    expect(steps).toEqual([
      'place:succeeded',
      'reserve:succeeded',
      'secrets:succeeded',
      'create:succeeded',
      'start:succeeded',
      'address:succeeded',
      'configure:skipped',
    ]);
    // This platform leaves CONFIGURE_GUESTS off (as embedded mode does): no guest address is probed.
    expect(events.find((e) => e.step === 'configure' && e.status === 'skipped')?.message).toBe(
      'Guest configuration is off on this platform (CONFIGURE_GUESTS is not true): the guest runs as its template made it.',
    );
    const tf = events.filter((e) => e.step === 'create' && e.data.source === 'terraform');
    expect(new Set(tf.map((e) => e.data.command))).toEqual(new Set(['write', 'init', 'plan', 'apply']));
    const plan = tf.find((e) => e.data.type === 'plan')!;
    expect(plan.message).toBe('Plan: 1 to add, 0 to change, 0 to destroy.');
    expect(plan.data.plan).toEqual({ add: 1, change: 0, import: 0, remove: 0 });
    expect(plan.data.changes).toEqual([
      { address: 'module.machine.proxmox_virtual_environment_vm.this', action: 'create' },
    ]);
    const resource = events.filter((e) => e.step === 'create' && e.status === 'progress').map((e) => e.message);
    expect(resource).toEqual(
      expect.arrayContaining([
        'module.machine.proxmox_virtual_environment_vm.this: Creating...',
        expect.stringMatching(
          /^module\.machine\.proxmox_virtual_environment_vm\.this: Creation complete after \d+s \[id=\d+\]$/,
        ),
      ]),
    );
    // The plan summary comes before any resource changes.
    const first = events.find((e) => /Creating\.\.\./.test(e.message))!;
    expect(plan.seq).toBeLessThan(first.seq);
    expect(events.at(-1)).toMatchObject({ status: 'finished', percent: 100, data: { status: 'SUCCEEDED' } });

    const m = await machineOf(machine.id);
    expect(m.status).toBe('RUNNING');
    expect(m.ipAddresses.length).toBeGreaterThan(0);
    const g = guest(m.vmid)!;
    expect(g.status).toBe('running');
    expect(g.config).toMatchObject({ cores: '2', memory: '2048', ciuser: 'paas', name: 'tf-web-1' });
    expect(decodeURIComponent(g.config.sshkeys ?? '')).toMatch(/^ssh-ed25519 /);

    // What ran: argv arrays with -json, a saved plan applied, state in this database's pg backend.
    const mine = (await calls()).filter((c) => c.cwd.endsWith(`machine-${machine.id}`));
    expect(mine.map((c) => c.args[0])).toEqual(['init', 'workspace', 'plan', 'apply']);
    expect(mine[0]!.args).toEqual(['init', '-input=false', '-no-color', '-json']);
    expect(mine[2]!.args).toEqual(['plan', '-input=false', '-no-color', '-json', '-lock-timeout=60s', '-out=plan.bin']);
    expect(mine[3]!.args).toEqual(['apply', '-input=false', '-no-color', '-json', '-lock-timeout=60s', 'plan.bin']);
    expect(mine[3]!.env).toMatchObject({
      PG_CONN_STR: stateConnString(p.api.db.url),
      TF_WORKSPACE: `machine-${machine.id}`,
      PROXMOX_VE_ENDPOINT: `${p.sim.url}/`,
    });
    // The platform's own database; without sslmode in its URL Terraform's lib/pq is told not to require TLS.
    const state = new URL(mine[3]!.env.PG_CONN_STR!);
    expect(`${state.host}${state.pathname}`).toBe(`${new URL(p.api.db.url).host}${new URL(p.api.db.url).pathname}`);
    expect(state.searchParams.get('sslmode')).toBe(new URL(p.api.db.url).searchParams.get('sslmode') ?? 'disable');
    // The generated root module calls the repository's vm module and holds no secret.
    const root = await readFile(join(workRoot, `machine-${machine.id}`, 'main.tf.json'), 'utf8');
    expect(JSON.parse(root)).toMatchObject({
      terraform: { backend: { pg: { schema_name: 'terraform_state' } } },
      module: { machine: { vm_id: m.vmid, name: 'tf-web-1', cpu: { cores: 2 }, memory: { dedicated: 2048 } } },
    });
    // A relative source (Terraform copies absolute ones like remote packages) naming the repository's module.
    const source = JSON.parse(root).module.machine.source as string;
    expect(source).toMatch(/^\.\.\//);
    expect(resolve(workRoot, `machine-${machine.id}`, source)).toBe(
      fileURLToPath(new URL('../../../../terraform/modules/vm', import.meta.url)),
    );
    const creds = await p.api.app.services.secrets.read(`machines/${machine.id}/credentials`);
    expect(root).not.toContain(String(creds!.data.rootPassword));
    expect(await readdir(join(workRoot, `machine-${machine.id}`))).not.toContain('plan.bin');
  });

  it('creates an LXC container through the lxc module', async () => {
    const { machine, job } = await p.provision({ name: 'tf-ct-1', templateId: p.templates.LXC });
    const events = await p.follow(job.id);
    expect(events.at(-1)).toMatchObject({ status: 'finished', data: { status: 'SUCCEEDED' } });
    expect(events.find((e) => e.data.type === 'plan')?.data.changes).toEqual([
      { address: 'module.machine.proxmox_virtual_environment_container.this', action: 'create' },
    ]);
    const m = await machineOf(machine.id);
    expect(guest(m.vmid)).toMatchObject({ type: 'lxc', status: 'running' });
    expect(guest(m.vmid)!.config).toMatchObject({ hostname: 'tf-ct-1', memory: '512' });
  });

  it('rolls back a failed apply with terraform destroy, the diagnostic in the job events', async () => {
    // The clone succeeds and the start fails: Terraform reports the error and the guest exists.
    p.sim.control.failNextTask('qmstart', 'start failed: QEMU exited with code 1');
    const before = p.sim.state.guests.length;
    const { machine, job } = await p.provision({ name: 'tf-doomed', templateId: p.templates.VM });
    const events = await p.follow(job.id);

    const diagnostic = events.find((e) => e.data.source === 'terraform' && e.data.type === 'diagnostic');
    expect(diagnostic).toMatchObject({ step: 'create', status: 'log', data: { severity: 'error', status: 'failed' } });
    expect(diagnostic!.message).toMatch(/^error creating VM: .*start failed: QEMU exited with code 1/);
    const failed = events.find((e) => e.status === 'failed')!;
    expect(failed).toMatchObject({ step: 'create', data: { code: 'TERRAFORM_FAILED' } });
    expect(failed.message).toMatch(
      /terraform exited with 1: error creating VM .*start failed: QEMU exited with code 1/,
    );
    expect(events.filter((e) => e.status === 'rolledBack').map((e) => e.step)).toEqual([
      'create',
      'secrets',
      'reserve',
    ]);
    // The undo is Terraform's destroy, streamed like the apply.
    const destroyed = events.filter((e) => e.step === 'create' && e.data.command === 'destroy').map((e) => e.message);
    expect(destroyed).toEqual(
      expect.arrayContaining([
        'module.machine.proxmox_virtual_environment_vm.this: Destroying... [id=' + failedVmid(events) + ']',
      ]),
    );
    expect(events.at(-1)).toMatchObject({ status: 'finished', data: { status: 'FAILED' } });
    expect((await machineOf(machine.id)).status).toBe('FAILED');
    expect(p.sim.state.guests.length).toBe(before);
    const mine = (await calls()).filter((c) => c.cwd.endsWith(`machine-${machine.id}`)).map((c) => c.args[0]);
    expect(mine).toEqual(['init', 'workspace', 'plan', 'apply', 'init', 'workspace', 'destroy']);
  });
  it('deletes a machine of a Terraform cluster with terraform destroy', async () => {
    const { machine, job } = await p.provision({ name: 'tf-gone-1', templateId: p.templates.LXC });
    await p.follow(job.id);
    const { vmid } = await machineOf(machine.id);
    expect(guest(vmid)).toBeDefined();
    const { destroyMachine } = await p.api.ok(
      `mutation($input: MachineJobInput!) { destroyMachine(input: $input) { id } }`,
      { input: { id: machine.id } },
      p.admin.token,
    );
    const events = await p.follow(destroyMachine.id);
    expect(events.at(-1)).toMatchObject({ status: 'finished', data: { status: 'SUCCEEDED' } });
    const destroy = events.filter((e) => e.step === 'destroy');
    expect(destroy.map((e) => e.message)).toEqual(
      expect.arrayContaining([
        `module.machine.proxmox_virtual_environment_container.this: Destroying... [id=${vmid}]`,
        'Destroy complete! Resources: 1 destroyed.',
      ]),
    );
    expect(destroy.at(-1)).toMatchObject({ status: 'succeeded' });
    expect(guest(vmid)).toBeUndefined();
    const mine = (await calls()).filter((c) => c.cwd.endsWith(`machine-${machine.id}`)).map((c) => c.args[0]);
    expect(mine.slice(-3)).toEqual(['init', 'workspace', 'destroy']);
    expect(existsSync(join(workRoot, `machine-${machine.id}`))).toBe(false);
  });

  it('resumes after a worker died once the apply had finished: the plan is empty, nothing is created twice', async () => {
    const { machine, job } = await p.provision({ name: 'tf-resumed', templateId: p.templates.LXC });
    const first = await p.follow(job.id);
    const { vmid } = await machineOf(machine.id);
    // The worker "dies" right after Terraform's apply: the create step is not marked done and the
    // events after the apply's last line were never written. pg-boss hands the job to a worker again.
    const applied = first.find((e) => /Creation complete/.test(e.message))!;
    const conn = p.api.db.orm.em.fork().getConnection();
    await conn.execute(`delete from job_event where job_id = ? and seq > ?`, [job.id, applied.seq]);
    await conn.execute(
      `update job set status = 'RUNNING', finished_at = null, checkpoint = jsonb_set(checkpoint, '{done}', '["place","reserve","secrets"]') where id = ?`,
      [job.id],
    );
    await conn.execute(`update machine set status = 'PROVISIONING' where id = ?`, [machine.id]);
    const runsBefore = (await calls()).filter((c) => c.cwd.endsWith(`machine-${machine.id}`)).length;
    await p.api.jobs.enqueue(job.id);

    const events = (await p.follow(job.id)).filter((e) => e.seq > applied.seq);
    expect(events.find((e) => e.data.type === 'plan')?.message).toBe('Plan: 0 to add, 0 to change, 0 to destroy.');
    expect(events.filter((e) => e.step === 'create' && e.status === 'progress').map((e) => e.message)).toContain(
      `Container ${vmid} created on ${guest(vmid)!.node} by Terraform`,
    );
    expect(events.at(-1)).toMatchObject({ status: 'finished', data: { status: 'SUCCEEDED' } });
    const again = (await calls()).filter((c) => c.cwd.endsWith(`machine-${machine.id}`)).slice(runsBefore);
    expect(again.map((c) => c.args[0])).toEqual(['init', 'workspace', 'plan', 'output']);
    expect(p.sim.state.guests.filter((g) => g.vmid === vmid)).toHaveLength(1);
    expect((await machineOf(machine.id)).status).toBe('RUNNING');
  });

  it('fails the create step with what to do when neither terraform nor tofu is installed', async () => {
    const path = env.PATH;
    env.PATH = join(workRoot, 'no-binaries-here');
    try {
      const { machine, job } = await p.provision({ name: 'tf-no-binary', templateId: p.templates.LXC });
      const events = await p.follow(job.id);
      const failed = events.find((e) => e.status === 'failed')!;
      expect(failed).toMatchObject({ step: 'create', data: { code: 'TERRAFORM_NOT_FOUND' } });
      expect(failed.message).toBe(
        `Cluster sim provisions with Terraform, but neither terraform nor tofu is on the worker's PATH (${env.PATH}); install one, set TERRAFORM_BINARY, or switch the cluster to the NATIVE driver with updateCluster.`,
      );
      expect(events.at(-1)).toMatchObject({ status: 'finished', data: { status: 'FAILED' } });
      expect((await machineOf(machine.id)).status).toBe('FAILED');
    } finally {
      env.PATH = path;
    }
  });

  it('cancelJob interrupts a running apply (SIGINT), rolls back and ends CANCELLED', async () => {
    extraEnv.FAKE_TF_APPLY_DELAY_MS = '60000';
    try {
      const before = p.sim.state.guests.length;
      const started = Date.now();
      const { job } = await p.provision({ name: 'tf-cancelled', templateId: p.templates.VM });
      const live = followLive(job.id, (e) => /Still creating/.test(e.message));
      // Cancel as soon as the apply is seen running.
      const cancelled = (async () => {
        while (!live.seen()) await new Promise((r) => setTimeout(r, 50));
        await live.seen();
        return p.api.ok(`mutation($id: ID!) { cancelJob(id: $id) { status } }`, { id: job.id }, p.admin.token);
      })();
      const events = await live.events;
      expect((await cancelled).cancelJob.status).toBe('CANCELLING');
      expect(Date.now() - started).toBeLessThan(30_000);
      // Terraform's own shutdown lines are in the job, then the step fails as cancelled.
      expect(events.some((e) => e.data.source === 'terraform' && /Interrupt received/.test(e.message))).toBe(true);
      expect(events.find((e) => e.status === 'failed')).toMatchObject({ step: 'create', data: { code: 'CANCELLED' } });
      expect(events.filter((e) => e.status === 'rolledBack').map((e) => e.step)).toContain('create');
      expect(events.at(-1)).toMatchObject({ status: 'finished', data: { status: 'CANCELLED' } });
      expect(p.sim.state.guests.length).toBe(before);
    } finally {
      extraEnv.FAKE_TF_APPLY_DELAY_MS = '600';
    }
  });
});

/** The VMID the job reserved, from its "VMID n reserved" event. */
function failedVmid(events: Progress[]): number {
  const reserved = events.find((e) => e.step === 'reserve' && /^VMID \d+ reserved$/.test(e.message))!;
  return Number(/\d+/.exec(reserved.message)![0]);
}
