// The configure step with CONFIGURE_GUESTS on. The guests are the simulator's, so the only addresses
// this test lets the worker contact are loopback ones: containers get a static 127.0.0.x address and
// "SSH" is a TCP listener on 127.0.0.1. ansible-playbook is the fake on PATH that replays output
// recorded from real runs (orchestration/test/fixtures/ansible-*) and logs the inventory it was given.
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresUnavailable } from '../../test/database.js';
import { startProvisioningPlatform, type Progress, type ProvisioningPlatform } from '../../test/provisioning.js';

const FIXTURES = fileURLToPath(new URL('../../../../orchestration/test/fixtures/', import.meta.url));
const NETWORK = `mutation($input: CreateNetworkConfigurationInput!) { createNetworkConfiguration(input: $input) { id } }`;

describe.skipIf(postgresUnavailable())('the configure step runs the template playbook', () => {
  let p: ProvisioningPlatform;
  let dir: string;
  let ssh: Server;
  let sshPort = 0;
  let connections = 0;
  const extraEnv: Record<string, string> = {};
  const env: NodeJS.ProcessEnv = { ...process.env };
  const networks: Record<string, string> = {};

  const calls = async () =>
    (await readFile(join(dir, 'argv.jsonl'), 'utf8').catch(() => ''))
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Record<string, any>);
  const provisionCt = async (name: string, network: string, templateId = p.templates.LXC) => {
    const { machine, job } = await p.provision({ name, templateId, networkId: networks[network] });
    return { machine, events: await p.follow(job.id) };
  };
  const configureOf = (events: Progress[]) => events.filter((e) => e.step === 'configure');

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pvepaas-configure-'));
    ssh = createServer((socket) => {
      connections++;
      socket.end();
    });
    await new Promise<void>((resolve) => ssh.listen(0, '127.0.0.1', resolve));
    sshPort = (ssh.address() as { port: number }).port;
    env.PATH = `${join(FIXTURES, 'bin')}:${process.env.PATH}`;
    Object.assign(extraEnv, { FAKE_ARGV_LOG: join(dir, 'argv.jsonl') });
    p = await startProvisioningPlatform({
      worker: {
        configure: { enabled: true, env, extraEnv, sshPort, reachTimeoutMs: 1000, graceMs: 1000 },
      },
    });
    // Static loopback addresses: 127.0.0.1 has the listener, nothing listens on 127.0.0.2.
    for (const [name, cidr] of [
      ['listening', '127.0.0.1/8'],
      ['closed', '127.0.0.2/8'],
    ] as const) {
      const { createNetworkConfiguration } = await p.api.ok(
        NETWORK,
        { input: { projectId: p.project.id, name, bridge: 'vmbr0', cidr } },
        p.admin.token,
      );
      networks[name] = createNetworkConfiguration.id;
    }
  }, 120_000);
  afterAll(async () => {
    await p?.close();
    await new Promise((r) => ssh?.close(r));
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('runs debian.yml over SSH with a per-job inventory and key, each task result a job event', async () => {
    extraEnv.FAKE_FIXTURE_DIR = join(FIXTURES, 'ansible-converge-second');
    const before = connections;
    const { machine, events } = await provisionCt('web-1', 'listening');
    expect(events.at(-1)).toMatchObject({ status: 'finished', data: { status: 'SUCCEEDED' } });
    expect(connections).toBeGreaterThan(before);

    const configure = configureOf(events);
    expect(configure.at(-1)).toMatchObject({ status: 'succeeded' });
    expect(configure.find((e) => e.data.source === 'platform')?.message).toBe(
      `Running debian.yml on 127.0.0.1:${sshPort} as root`,
    );
    // Every task result of the recorded run (23, all ok, no change) is an event naming task and host.
    const results = configure.filter((e) => e.data.source === 'ansible' && e.data.type === 'task_result');
    expect(results).toHaveLength(23);
    expect(results[0]).toMatchObject({
      message: 'base : Write the hostname on web-1: ok',
      data: { task: 'base : Write the hostname', host: 'web-1', result: 'ok', changed: false, role: 'base' },
    });
    expect(configure.find((e) => e.status === 'progress')?.message).toMatch(/^debian\.yml: \d+ ok, 0 changed/);

    // What ansible-playbook got: the guest's address, port and user, the machine's key in a 0600 file.
    const run = (await calls()).at(-1)!;
    expect(run.args.at(-1)).toBe(fileURLToPath(new URL('../../../../ansible/playbooks/debian.yml', import.meta.url)));
    const host = run.inventory.all.hosts['web-1'];
    expect(host).toMatchObject({
      ansible_host: '127.0.0.1',
      ansible_port: sshPort,
      ansible_user: 'root',
      ansible_connection: 'ssh',
      base_qemu_guest_agent: false,
    });
    const creds = await p.api.app.services.secrets.read(`machines/${machine.id}/credentials`);
    expect(run.keyModes).toEqual([
      {
        file: host.ansible_ssh_private_key_file,
        mode: '600',
        content: `${String(creds!.data.sshPrivateKey).trim()}\n`,
      },
    ]);
    expect(run.inventoryMode).toBe('600');
    // Removed after the run.
    expect(existsSync(host.ansible_ssh_private_key_file)).toBe(false);
  });

  it('fails the job on a failed task with the task, host and message, and rolls back', async () => {
    extraEnv.FAKE_FIXTURE_DIR = join(FIXTURES, 'ansible-task-failed');
    const before = p.sim.state.guests.length;
    const { events } = await provisionCt('web-2', 'listening');
    const failed = events.find((e) => e.status === 'failed')!;
    expect(failed).toMatchObject({ step: 'configure', data: { code: 'CONFIGURE_FAILED' } });
    // The recorded run's host is web-1.
    expect(failed.message).toMatch(
      /ansible-playbook exited with 2: task "service : Check the service definition" failed on web-1: service_name must be a lowercase unit name/,
    );
    const taskFailure = configureOf(events).find((e) => e.data.source === 'ansible' && e.data.result === 'failed');
    expect(taskFailure?.data).toMatchObject({ task: 'service : Check the service definition', host: 'web-1' });
    expect(events.filter((e) => e.status === 'rolledBack').map((e) => e.step)).toContain('create');
    expect(events.at(-1)).toMatchObject({ status: 'finished', data: { status: 'FAILED' } });
    expect(p.sim.state.guests.length).toBe(before);
  });

  it('skips, saying why, when the guest does not answer on its SSH port', async () => {
    const runs = (await calls()).length;
    const { events } = await provisionCt('quiet-1', 'closed');
    expect(configureOf(events).at(-1)).toMatchObject({
      status: 'skipped',
      message: `The guest at 127.0.0.2 does not answer on port ${sshPort} within 1 s (not reachable from the worker).`,
    });
    expect(events.at(-1)).toMatchObject({ status: 'finished', data: { status: 'SUCCEEDED' } });
    expect((await calls()).length).toBe(runs);
  });

  it('skips, saying why, when ansible-playbook is not installed', async () => {
    const path = env.PATH;
    env.PATH = join(dir, 'empty');
    try {
      const { events } = await provisionCt('no-ansible-1', 'listening');
      expect(configureOf(events).at(-1)).toMatchObject({
        status: 'skipped',
        message: `Ansible is not installed on the worker: ansible-playbook is not on its PATH (${join(dir, 'empty')}).`,
      });
    } finally {
      env.PATH = path;
    }
  });

  it('skips, saying why, when there is no playbook for the template', async () => {
    const { createTemplate } = await p.api.ok(
      `mutation($input: CreateTemplateInput!) { createTemplate(input: $input) { id } }`,
      {
        input: {
          name: 'alpine-ct',
          kind: 'LXC',
          os: 'alpine-3.20',
          osTemplate: 'local:vztmpl/debian-12-standard_12.12-1_amd64.tar.zst',
          defaultCores: 1,
          defaultMemoryMiB: 256,
          defaultDiskGiB: 2,
          clusterId: (await p.api.ok(`{ clusters { id } }`, {}, p.admin.token)).clusters[0].id,
        },
      },
      p.admin.token,
    );
    const { events } = await provisionCt('alpine-1', 'listening', createTemplate.id);
    expect(configureOf(events).at(-1)).toMatchObject({
      status: 'skipped',
      message: 'No playbook for operating system alpine-3.20 (there are playbooks for debian-* and ubuntu-*).',
    });
  });
});
