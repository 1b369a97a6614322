// The runner replaying recorded callback streams (fixtures/ansible-<case>/, recorded by
// converge.test.ts from real runs) through the fake ansible-playbook, plus what only a fake can do
// on demand: hang past the timeout. Also checks what the runner prepares per job.
import { readFile, stat } from 'node:fs/promises';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CommandError } from '../terraform/process.js';
import type { ProgressEvent } from '../terraform/progress.js';
import { FAKE_BIN_DIR, fixture } from '../terraform/test/paths.js';
import { AnsibleRunner, type AnsibleConfig } from './ansible.runner.js';
import { AnsibleStream } from './ansible-stream.js';
import { playbookArgv } from './commands.js';
import { buildInventory } from './inventory.js';
import { ANSIBLE_DIR } from './test/tools.js';

let work = '';
beforeEach(async () => {
  work = await mkdtemp(join(tmpdir(), 'pvepaas-ansrun-'));
});
afterEach(async () => {
  await rm(work, { recursive: true, force: true });
});

const KEY = '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAAfake\n-----END OPENSSH PRIVATE KEY-----';
const host = { name: 'web-1', address: '10.42.0.10', user: 'debian', privateKey: KEY, vars: { base_timezone: 'Etc/UTC' } };

function fakeRunner(fixtureCase: string, extra: Partial<AnsibleConfig> & { mode?: string } = {}) {
  const { mode = 'replay', ...config } = extra;
  return new AnsibleRunner({
    ansibleDir: ANSIBLE_DIR,
    env: { PATH: `${FAKE_BIN_DIR}:${process.env.PATH}`, HOME: work },
    extraEnv: { FAKE_FIXTURE_DIR: fixture(`ansible-${fixtureCase}`), FAKE_MODE: mode, FAKE_ARGV_LOG: join(work, 'argv.log') },
    tempRoot: work,
    graceMs: 2_000,
    ...config,
  });
}

interface Logged {
  args: string[];
  inventory: { all: { hosts: Record<string, Record<string, unknown>> } };
  keyModes: { file: string; mode: string; content: string }[];
  env: Record<string, string>;
  inventoryMode: string;
  knownHosts: string;
}
const logged = async (): Promise<Logged> => JSON.parse((await readFile(join(work, 'argv.log'), 'utf8')).trim()) as Logged;

describe('AnsibleRunner (recorded streams, fake binary)', () => {
  it('prepares a private job directory: 0600 key and inventory, vars file, our callback; removes it afterwards', async () => {
    const result = await fakeRunner('converge-second').run({ playbook: 'debian.yml', hosts: [host], vars: { pvepaas_docker: true } });
    const log = await logged();
    const jobDir = log.args[1]!.replace(/\/inventory\.json$/, '');
    expect(log.args).toEqual(['-i', `${jobDir}/inventory.json`, '-e', `@${jobDir}/vars.json`, join(ANSIBLE_DIR, 'playbooks/debian.yml')]);
    expect(jobDir.startsWith(join(work, 'pvepaas-ansible-'))).toBe(true);
    expect(log.inventoryMode).toBe('600');
    expect(log.keyModes).toEqual([{ file: `${jobDir}/key-0`, mode: '600', content: `${KEY}\n` }]);
    expect(log.inventory.all.hosts['web-1']).toEqual({
      ansible_host: '10.42.0.10',
      ansible_connection: 'ssh',
      ansible_user: 'debian',
      ansible_ssh_private_key_file: `${jobDir}/key-0`,
      ansible_ssh_common_args: `-o StrictHostKeyChecking=accept-new -o UserKnownHostsFile=${jobDir}/known_hosts -o IdentitiesOnly=yes`,
      base_timezone: 'Etc/UTC',
    });
    expect(log.env).toMatchObject({
      ANSIBLE_STDOUT_CALLBACK: 'pvepaas_jsonl',
      ANSIBLE_CONFIG: join(ANSIBLE_DIR, 'ansible.cfg'),
      ANSIBLE_CALLBACK_PLUGINS: join(ANSIBLE_DIR, 'callback_plugins'),
      LANG: 'C.UTF-8',
    });
    await expect(stat(jobDir)).rejects.toThrow(/ENOENT/);
    expect(result.summary).toMatchObject({ changed: 0, failures: 0 });
  });

  it('pins host keys the guest reported: written to known_hosts, checked strictly', async () => {
    await fakeRunner('converge-second').run({
      playbook: 'debian.yml',
      hosts: [{ ...host, port: 2222, hostKeys: ['ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHostKey root@web-1'] }],
    });
    const log = await logged();
    const hostVars = log.inventory.all.hosts['web-1']!;
    expect(hostVars.ansible_ssh_common_args).toMatch(/^-o StrictHostKeyChecking=yes -o UserKnownHostsFile=\S+\/known_hosts /);
    expect(log.knownHosts).toBe('[10.42.0.10]:2222 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHostKey root@web-1\n');
  });

  it('turns the first converge into progress events and an ok/changed summary', async () => {
    const events: ProgressEvent[] = [];
    const result = await fakeRunner('converge-first').run({ playbook: 'base-hardening.yml', hosts: [host], onProgress: (e) => events.push(e) });
    expect(result.failures).toEqual([]);
    expect(result.summary.changed).toBeGreaterThan(5);
    expect(result.summary).toEqual({ ...result.hosts['web-1'] });
    const brief = events.slice(0, 5).map((e) => `${e.step} ${e.status}${e.percent === undefined ? '' : ` ${e.percent}%`}: ${e.message}`);
    expect(brief).toEqual([
      expect.stringMatching(/^ansible\.base-hardening started: Playbook .*base-hardening\.yml$/),
      'ansible.base-hardening info: Play: Base system and hardening',
      'ansible.base-hardening running 0%: base : Write the hostname',
      expect.stringMatching(/^ansible\.base-hardening running 4%: base : Write the hostname on web-1: (ok|changed)$/),
      'ansible.base-hardening running 4%: base : Resolve localhost',
    ]);
    const percents = events.map((e) => e.percent).filter((p): p is number => p !== undefined);
    expect(percents).toEqual([...percents].sort((a, b) => a - b));
    expect(events.at(-1)).toMatchObject({ status: 'succeeded', percent: 100, message: expect.stringMatching(/^ok=\d+ changed=\d+ failed=0/) });
    expect(events.find((e) => e.detail?.result === 'changed')?.detail).toMatchObject({ type: 'task_result', host: 'web-1', changed: true, role: 'base' });
  });

  it('fails with task, host and message when a task fails', async () => {
    const events: ProgressEvent[] = [];
    const err = (await fakeRunner('task-failed')
      .run({ playbook: 'service.yml', hosts: [host], onProgress: (e) => events.push(e) })
      .catch((e: unknown) => e)) as CommandError;
    expect(err).toBeInstanceOf(CommandError);
    expect(err).toMatchObject({ code: 'COMMAND_FAILED', exitCode: 2 });
    expect(err.message).toMatch(/^ansible-playbook exited with 2: task "service : Check the service definition" failed on web-1: service_name must be/);
    expect(err.details.failures).toHaveLength(1);
    expect(err.details.summary).toMatchObject({ failures: 1 });
    expect(events.filter((e) => e.status === 'failed').map((e) => e.detail?.type)).toEqual(['task_result', 'stats']);
  });

  it('reports an unreachable host as such', async () => {
    const err = (await fakeRunner('unreachable').run({ playbook: 'base-hardening.yml', hosts: [host] }).catch((e: unknown) => e)) as CommandError;
    expect(err).toMatchObject({ code: 'COMMAND_FAILED', exitCode: 4 });
    expect(err.message).toContain('unreachable on gone: Failed to connect to the host via ssh');
  });

  it('cancels with SIGINT; Ansible exits 99 and the run rejects with COMMAND_CANCELLED', async () => {
    const controller = new AbortController();
    let results = 0;
    const err = (await fakeRunner('cancel', { mode: 'trap-sigint' })
      .run({
        playbook: 'base-hardening.yml',
        hosts: [host],
        signal: controller.signal,
        onProgress: (e) => {
          if (e.detail?.type === 'task_result' && ++results === 2) controller.abort();
        },
      })
      .catch((e: unknown) => e)) as CommandError;
    expect(err).toMatchObject({ code: 'COMMAND_CANCELLED', exitCode: 99 });
    expect(err.stderrTail).toContain('User interrupted execution');
  });

  it('times out: SIGINT ignored, SIGKILL after the grace period, job directory still removed', async () => {
    const started = Date.now();
    const err = (await fakeRunner('converge-first', { mode: 'hang', graceMs: 200 })
      .run({ playbook: 'base-hardening.yml', hosts: [host], timeoutMs: 300 })
      .catch((e: unknown) => e)) as CommandError;
    expect(err).toMatchObject({ code: 'COMMAND_TIMEOUT', signal: 'SIGKILL' });
    expect(Date.now() - started).toBeLessThan(5_000);
    const log = await logged();
    await expect(stat(log.args[1]!)).rejects.toThrow(/ENOENT/);
  });

  it('says how to fix a missing ansible-playbook', async () => {
    const err = (await fakeRunner('converge-first', { binary: 'ansible-playbook-missing' }).run({ playbook: 'debian.yml', hosts: [host] }).catch((e: unknown) => e)) as CommandError;
    expect(err.code).toBe('COMMAND_NOT_FOUND');
  });
});

describe('pure parts', () => {
  it('builds argv with check mode, limit and tags', () => {
    expect(playbookArgv('ansible-playbook', '/srv/ansible', { playbook: 'ubuntu.yml', inventoryFile: '/j/inv.json', check: true, limit: 'web-1', tags: ['base', 'hardening'] })).toEqual([
      'ansible-playbook', '-i', '/j/inv.json', '--check', '--diff', '--limit', 'web-1', '--tags', 'base,hardening', '/srv/ansible/playbooks/ubuntu.yml',
    ]);
  });

  it('builds WinRM and chroot inventory entries and refuses duplicate hosts', () => {
    const inv = buildInventory([
      { name: 'win', address: '10.0.0.5', connection: 'winrm', user: 'Administrator', password: 'pw' },
      { name: 'img', address: '/srv/root', connection: 'community.general.chroot' },
    ]);
    expect(inv.all.hosts.win).toEqual({ ansible_host: '10.0.0.5', ansible_connection: 'winrm', ansible_user: 'Administrator', ansible_password: 'pw' });
    expect(inv.all.hosts.img).toEqual({ ansible_host: '/srv/root', ansible_connection: 'community.general.chroot', ansible_python_interpreter: '/usr/bin/python3' });
    expect(() => buildInventory([{ name: 'a', address: 'x' }, { name: 'a', address: 'y' }])).toThrow(/duplicate/);
  });

  it('treats ignored failures as warnings and non-JSON lines as text', () => {
    const s = new AnsibleStream('ansible.x', () => new Date('2026-01-01T00:00:00Z'));
    const warn = s.push(JSON.stringify({ event: 'task_result', status: 'failed', ignored: true, task: 't', host: 'h', msg: 'nope' }));
    expect(warn).toMatchObject({ status: 'warning', message: 't failed on h (ignored): nope' });
    expect(s.failures).toEqual([]);
    expect(s.push('[WARNING]: something')).toMatchObject({ status: 'info', message: '[WARNING]: something', detail: { type: 'text' } });
  });
});
