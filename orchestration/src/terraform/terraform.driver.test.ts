// The driver replaying recorded Terraform -json streams (fixtures/terraform-<case>/, recorded by
// terraform.real.test.ts) through the fake binary, plus the cases a real binary cannot be made to
// do on demand: hanging past the timeout, ignoring SIGINT, missing from PATH.
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CommandError } from './process.js';
import type { ProgressEvent } from './progress.js';
import { buildRootModule } from './root-module.js';
import { parseMachineOutputs, TerraformDriver, type TerraformConfig } from './terraform.driver.js';
import { FAKE_BIN_DIR, fixture, MODULES_DIR } from './test/paths.js';
import { linuxVm, windowsGpuVm } from './test/specs.js';

let work = '';
beforeEach(async () => {
  work = await mkdtemp(join(tmpdir(), 'pvepaas-tfdrv-'));
});
afterEach(async () => {
  await rm(work, { recursive: true, force: true });
});

function fakeDriver(fixtureCase: string, extra: Partial<TerraformConfig> & { mode?: string } = {}) {
  const { mode = 'replay', ...config } = extra;
  return new TerraformDriver({
    binary: 'terraform',
    workRoot: join(work, 'machines'),
    modulesDir: MODULES_DIR,
    state: { connStr: 'postgres://pvepaas:secret@db.invalid/pvepaas', schema: 'pvepaas_tf' },
    proxmox: { endpoint: 'https://pve.invalid:8006/', apiToken: 'terraform@pve!ci=secret' },
    env: { PATH: `${FAKE_BIN_DIR}:${process.env.PATH}`, HOME: work },
    extraEnv: { FAKE_FIXTURE_DIR: fixture(`terraform-${fixtureCase}`), FAKE_MODE: mode, FAKE_ARGV_LOG: join(work, 'argv.log') },
    graceMs: 2_000,
    ...config,
  });
}

const argvLog = async () =>
  (await readFile(join(work, 'argv.log'), 'utf8'))
    .trim()
    .split('\n')
    .map((l) => (JSON.parse(l) as { args: string[] }).args);

const brief = (e: ProgressEvent) => `${e.step} ${e.status}${e.percent === undefined ? '' : ` ${e.percent}%`}: ${e.message}`;

describe('TerraformDriver (recorded streams, fake binary)', () => {
  it('provisions: writes main.tf.json, runs init → workspace → plan → apply, reports progress and outputs', async () => {
    const events: ProgressEvent[] = [];
    const driver = fakeDriver('success');
    const result = await driver.provision(linuxVm, { onProgress: (e) => events.push(e) });

    expect(await argvLog()).toEqual([
      ['init', '-input=false', '-no-color', '-json'],
      ['workspace', 'select', '-or-create=true', 'machine-0f6c3a52-debian'],
      ['plan', '-input=false', '-no-color', '-json', '-lock-timeout=60s', '-out=plan.bin'],
      ['apply', '-input=false', '-no-color', '-json', '-lock-timeout=60s', 'plan.bin'],
    ]);
    const dir = driver.workspaceDir(linuxVm.machineId);
    const written = JSON.parse(await readFile(join(dir, 'main.tf.json'), 'utf8')) as unknown;
    expect(written).toEqual(
      buildRootModule(linuxVm, { modulesDir: MODULES_DIR, stateSchema: 'pvepaas_tf', workspaceDir: dir }),
    );
    expect((await stat(join(dir, 'main.tf.json'))).mode & 0o777).toBe(0o600);
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
    await expect(stat(join(dir, 'plan.bin'))).rejects.toThrow(/ENOENT/); // removed after apply

    expect(result.plan).toEqual({
      summary: { add: 1, change: 0, import: 0, remove: 0 },
      changes: [{ address: 'module.machine.terraform_data.guest', action: 'create' }],
      empty: false,
    });
    expect(parseMachineOutputs(result.apply.outputs)).toMatchObject({ node: 'pve1', addresses: { ipv4: ['10.42.0.10'] } });

    expect(events.filter((e) => e.step === 'terraform.apply').map(brief)).toEqual([
      'terraform.apply started: Terraform 1.11.4',
      'terraform.apply info: module.machine.terraform_data.guest: Plan to create',
      'terraform.apply running 0%: module.machine.terraform_data.guest: Creating...',
      "terraform.apply running 0%: module.machine.terraform_data.guest: Provisioning with 'local-exec'...",
      expect.stringMatching(/^terraform\.apply running 0%: module\.machine\.terraform_data\.guest: \(local-exec\): Executing/),
      'terraform.apply running 0%: module.machine.terraform_data.guest: (local-exec) Provisioning complete',
      expect.stringMatching(/^terraform\.apply running 99%: module\.machine\.terraform_data\.guest: Creation complete after 0s \[id=/),
      'terraform.apply succeeded 100%: Apply complete! Resources: 1 added, 0 changed, 0 destroyed.',
      'terraform.apply info: Outputs: 3',
    ]);
    // Timestamps are Terraform's own, not the replay time.
    expect(events[0]!.at).toMatch(/^2026-11-25T23:0\d:\d\d/);
    expect(events.find((e) => e.message.startsWith('module.machine.terraform_data.guest: Creation complete'))?.detail).toMatchObject({
      type: 'apply_complete',
      address: 'module.machine.terraform_data.guest',
      action: 'create',
      elapsedSeconds: 0,
    });
    // init prints some plain text lines even with -json; they arrive as info events.
    expect(events.some((e) => e.step === 'terraform.init' && e.detail?.type === 'text')).toBe(true);
  });

  it('passes secrets through the environment only, never files or the parent environment', async () => {
    const driver = fakeDriver('success', {
      env: { PATH: `${FAKE_BIN_DIR}:${process.env.PATH}`, HOME: work, AWS_SECRET_ACCESS_KEY: 'leak' },
    });
    await driver.provision(windowsGpuVm);
    const json = await readFile(join(driver.workspaceDir(windowsGpuVm.machineId), 'main.tf.json'), 'utf8');
    expect(json).not.toMatch(/secret|initial-Secret-1|db\.invalid/i);
    expect(json).toContain('"password": "${var.machine_password}"');
    const calls = (await readFile(join(work, 'argv.log'), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { args: string[]; env: Record<string, string> });
    const plan = calls.find((c) => c.args[0] === 'plan')!;
    expect(plan.env).toEqual({
      TF_IN_AUTOMATION: '1',
      TF_INPUT: '0',
      TF_WORKSPACE: 'machine-7d1e9b20-gaming',
      TF_VAR_machine_password: 'initial-Secret-1',
      PG_CONN_STR: 'postgres://pvepaas:secret@db.invalid/pvepaas',
      PROXMOX_VE_ENDPOINT: 'https://pve.invalid:8006/',
      PROXMOX_VE_API_TOKEN: 'terraform@pve!ci=secret',
      PROXMOX_VE_INSECURE: 'false',
    });
    // init and workspace select run before the workspace exists, so without TF_WORKSPACE.
    expect(calls.find((c) => c.args[0] === 'init')!.env).not.toHaveProperty('TF_WORKSPACE');
  });

  it('tears down: init, workspace, destroy -auto-approve, then removes the workspace directory', async () => {
    const events: ProgressEvent[] = [];
    const driver = fakeDriver('destroy');
    const result = await driver.teardown(linuxVm, { onProgress: (e) => events.push(e) });
    expect(result.summary).toEqual({ add: 0, change: 0, import: 0, remove: 1 });
    expect((await argvLog()).map((a) => a[0])).toEqual(['init', 'workspace', 'destroy']);
    expect(events.at(-1)?.step).toBe('terraform.destroy');
    await expect(stat(driver.workspaceDir(linuxVm.machineId))).rejects.toThrow(/ENOENT/);
  });

  it('fails a plan with the diagnostic as message and details', async () => {
    const events: ProgressEvent[] = [];
    const err = (await fakeDriver('validation-error')
      .provision({ ...linuxVm, memoryMb: 256 }, { onProgress: (e) => events.push(e) })
      .catch((e: unknown) => e)) as CommandError;
    expect(err).toBeInstanceOf(CommandError);
    expect(err).toMatchObject({ code: 'COMMAND_FAILED', exitCode: 1, signal: null });
    expect(err.argv).toEqual(['terraform', 'plan', '-input=false', '-no-color', '-json', '-lock-timeout=60s', '-out=plan.bin'].map((a, i) => (i === 0 ? expect.stringMatching(/\/terraform$/) : a)));
    expect(err.message).toContain('Invalid value for variable');
    expect(err.message).toContain('memory.dedicated must be at least 512 MiB');
    expect(err.stderrTail).toContain('Warning');
    expect(err.details.diagnostics).toEqual([expect.objectContaining({ severity: 'error', summary: 'Invalid value for variable' })]);
    expect(events.filter((e) => e.status === 'failed').map((e) => e.step)).toEqual(['terraform.plan']);
  });

  it('fails an apply with the provider error, summary of what did not happen, failed events', async () => {
    const events: ProgressEvent[] = [];
    const driver = fakeDriver('apply-error');
    await driver.write(linuxVm);
    const err = (await driver.apply(linuxVm.machineId, { onProgress: (e) => events.push(e) }).catch((e: unknown) => e)) as CommandError;
    expect(err.code).toBe('COMMAND_FAILED');
    expect(err.message).toContain('local-exec provisioner error');
    expect(err.message).toContain('clone failed: VM 9000 is locked');
    expect(events.filter((e) => e.status === 'failed').map((e) => e.detail?.type)).toEqual([
      'provision_errored',
      'apply_errored',
      'diagnostic',
    ]);
  });

  it('cancels: SIGINT, Terraform shuts down gracefully, the promise rejects with COMMAND_CANCELLED', async () => {
    const events: ProgressEvent[] = [];
    const controller = new AbortController();
    const driver = fakeDriver('cancel', { mode: 'trap-sigint' });
    await driver.write(linuxVm);
    const err = (await driver
      .apply(linuxVm.machineId, {
        signal: controller.signal,
        onProgress: (e) => {
          events.push(e);
          if (e.detail?.type === 'provision_start') controller.abort();
        },
      })
      .catch((e: unknown) => e)) as CommandError;
    expect(err).toMatchObject({ code: 'COMMAND_CANCELLED', exitCode: 1, signal: null });
    expect(events.some((e) => e.message.includes('Interrupt received'))).toBe(true);
    expect(err.details.diagnostics).toContainEqual(expect.objectContaining({ summary: 'execution halted' }));
  });

  it('times out: SIGINT ignored, SIGKILL after the grace period', async () => {
    const driver = fakeDriver('success', { mode: 'hang', timeouts: { apply: 300 }, graceMs: 300 });
    await driver.write(linuxVm);
    const started = Date.now();
    const err = (await driver.apply(linuxVm.machineId).catch((e: unknown) => e)) as CommandError;
    expect(err).toMatchObject({ code: 'COMMAND_TIMEOUT', signal: 'SIGKILL' });
    expect(err.message).toMatch(/did not finish within 0 s/);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('cancels before start without running anything long', async () => {
    const driver = fakeDriver('success', { mode: 'hang', graceMs: 100 });
    await driver.write(linuxVm);
    const err = (await driver.plan(linuxVm.machineId, { signal: AbortSignal.abort() }).catch((e: unknown) => e)) as CommandError;
    expect(err.code).toBe('COMMAND_CANCELLED');
  });

  it('runs OpenTofu the same way', async () => {
    await fakeDriver('success', { binary: 'tofu' }).provision(linuxVm);
    expect((await argvLog()).map((a) => a[0])).toEqual(['init', 'workspace', 'plan', 'apply']);
  });

  it('says how to fix a missing binary', async () => {
    const err = (await fakeDriver('success', { binary: 'terraform-not-installed' }).init('x').catch((e: unknown) => e)) as CommandError;
    expect(err.code).toBe('COMMAND_NOT_FOUND');
    expect(err.message).toMatch(/install it or set its absolute path/);
  });
});
