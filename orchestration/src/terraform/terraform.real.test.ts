// The driver against the real `terraform` binary and the platform's real PostgreSQL state backend.
// The Proxmox provider cannot be downloaded here, so the modules are stand-ins: the real modules'
// variables.tf (types and validation blocks included) with built-in terraform_data resources. Every
// run records the raw -json streams through record-tool.mjs; RECORD_FIXTURES=1 copies them into
// orchestration/test/fixtures/terraform-<case>/ for the replay tests.
import { execFileSync } from 'node:child_process';
import { cp, mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MachineSpec } from './machine-spec.js';
import { CommandError } from './process.js';
import type { ProgressEvent } from './progress.js';
import { parseMachineOutputs, TerraformDriver } from './terraform.driver.js';
import { FAKE_BIN_DIR, fixture, MODULES_DIR } from './test/paths.js';
import { debianLxc, linuxVm, windowsGpuVm } from './test/specs.js';

const which = (bin: string) => {
  try {
    return execFileSync('which', [bin], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
};
const REAL = process.env.TERRAFORM_BIN ?? which('terraform') ?? which('tofu');
const PG_URL = process.env.TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test?sslmode=disable';
const schema = `tf_test_${process.pid}_${Date.now().toString(36)}`;
let root = '';

async function standinModules(dir: string) {
  for (const kind of ['vm', 'lxc']) {
    await mkdir(join(dir, kind), { recursive: true });
    await cp(join(MODULES_DIR, kind, 'variables.tf'), join(dir, kind, 'variables.tf'));
    await cp(join(fixture('terraform-standin'), kind, 'main.tf'), join(dir, kind, 'main.tf'));
  }
}

function driverFor(recordCase: string) {
  return new TerraformDriver({
    binary: join(FAKE_BIN_DIR, 'record-tool.mjs'),
    workRoot: join(root, 'work'),
    modulesDir: join(root, 'modules'),
    state: { connStr: PG_URL, schema },
    proxmox: { endpoint: 'https://pve.invalid:8006/', apiToken: 'terraform@pve!test=not-a-secret' },
    extraEnv: { RECORD_REAL_TOOL: REAL!, RECORD_DIR: join(root, 'record', recordCase) },
    graceMs: 10_000,
  });
}

async function keepRecording(recordCase: string) {
  if (!process.env.RECORD_FIXTURES) return;
  const target = fixture(`terraform-${recordCase}`);
  await mkdir(target, { recursive: true });
  for (const f of await readdir(target)) if (f !== 'WHY') await rm(join(target, f));
  for (const f of await readdir(join(root, 'record', recordCase))) {
    const from = join(root, 'record', recordCase, f);
    if ((await stat(from)).size > 0) await cp(from, join(target, f));
  }
}

describe.skipIf(!REAL)('TerraformDriver with the real terraform binary and the pg backend', () => {
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'pvepaas-tf-'));
    await standinModules(join(root, 'modules'));
  });

  afterAll(async () => {
    try {
      execFileSync('psql', [PG_URL, '-qc', `DROP SCHEMA IF EXISTS "${schema}" CASCADE`], { stdio: 'ignore' });
    } catch {
      // psql missing: the schema stays; it is uniquely named
    }
    if (root && !process.env.KEEP_TF_TMP) await rm(root, { recursive: true, force: true });
  });

  it('provisions a Linux VM: init, plan, apply, outputs; state lands in PostgreSQL', async () => {
    const events: ProgressEvent[] = [];
    const driver = driverFor('success');
    const result = await driver.provision(linuxVm, { onProgress: (e) => events.push(e) });
    expect(result.plan.summary).toEqual({ add: 1, change: 0, import: 0, remove: 0 });
    expect(result.plan.changes).toEqual([{ address: 'module.machine.terraform_data.guest', action: 'create' }]);
    expect(parseMachineOutputs(result.apply.outputs)).toEqual({
      vmid: expect.any(Number),
      node: 'pve1',
      addresses: { ipv4: ['10.42.0.10'], ipv6: [] },
    });
    // The saved plan (it holds the input variables) is gone after apply.
    await expect(stat(join(driver.workspaceDir(linuxVm.machineId), 'plan.bin'))).rejects.toThrow(/ENOENT/);
    const steps = new Set(events.map((e) => e.step));
    expect(steps).toEqual(new Set(['terraform.init', 'terraform.plan', 'terraform.apply']));
    expect(events.filter((e) => e.step === 'terraform.apply').at(-2)).toMatchObject({ status: 'succeeded', percent: 100 });
    const states = execFileSync('psql', [PG_URL, '-tAc', `SELECT name FROM "${schema}".states`], { encoding: 'utf8' });
    expect(states).toContain('machine-0f6c3a52-debian');
    await keepRecording('success');
  });

  it('plans nothing for an unchanged machine and reads outputs from the state', async () => {
    const result = await driverFor('noop').provision(linuxVm);
    expect(result.plan.empty).toBe(true);
    expect(parseMachineOutputs(result.apply.outputs).node).toBe('pve1');
  });

  it.each([
    ['Windows with GPU passthrough', windowsGpuVm],
    ['LXC', debianLxc],
  ] as [string, MachineSpec][])('accepts the generated root module of %s (real variable types and validation)', async (_l, spec) => {
    const result = await driverFor(`kind-${spec.machineId}`).provision(spec);
    expect(result.plan.summary.add).toBe(1);
    expect(parseMachineOutputs(result.apply.outputs).node).toBe(spec.node);
  });

  it('fails a plan that breaks a module validation with the diagnostic in the error', async () => {
    const bad: MachineSpec = { ...linuxVm, machineId: 'bad-memory', memoryMb: 256 };
    const err = await driverFor('validation-error').provision(bad).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CommandError);
    const e = err as CommandError;
    expect(e.code).toBe('COMMAND_FAILED');
    expect(e.argv.slice(1)).toEqual(['plan', '-input=false', '-no-color', '-json', '-lock-timeout=60s', '-out=plan.bin']);
    expect(e.exitCode).toBe(1);
    expect(e.message).toContain('Invalid value for variable');
    expect(JSON.stringify(e.details.diagnostics)).toContain('memory.dedicated must be at least 512 MiB');
    await keepRecording('validation-error');
  });

  it('fails an apply whose resource errors, carrying diagnostics and the summary', async () => {
    const spec: MachineSpec = { ...linuxVm, machineId: 'apply-error', name: 'apply-error' };
    const driver = driverFor('apply-error');
    const dir = await driver.write(spec);
    await driver.init(spec.machineId);
    await driver.plan(spec.machineId);
    await writeFile(join(dir, 'fail-apply'), '');
    const events: ProgressEvent[] = [];
    const err = (await driver.apply(spec.machineId, { onProgress: (ev) => events.push(ev) }).catch((x: unknown) => x)) as CommandError;
    expect(err.code).toBe('COMMAND_FAILED');
    expect(err.message).toContain('local-exec provisioner error');
    expect(events.some((ev) => ev.status === 'failed')).toBe(true);
    await keepRecording('apply-error');
  });

  it('cancels a running apply with SIGINT; Terraform releases the state lock', async () => {
    const spec: MachineSpec = { ...linuxVm, machineId: 'cancel', name: 'cancel' };
    const driver = driverFor('cancel');
    const dir = await driver.write(spec);
    await driver.init(spec.machineId);
    await driver.plan(spec.machineId);
    await writeFile(join(dir, 'slow-apply'), '');
    const controller = new AbortController();
    const started = Date.now();
    const err = (await driver
      .apply(spec.machineId, {
        signal: controller.signal,
        onProgress: (ev) => {
          if (ev.detail?.type === 'provision_start') controller.abort();
        },
      })
      .catch((x: unknown) => x)) as CommandError;
    expect(err.code).toBe('COMMAND_CANCELLED');
    expect(Date.now() - started).toBeLessThan(20_000);
    await rm(join(dir, 'slow-apply'));
    // A lock left behind would make this wait for -lock-timeout and then fail.
    const again = await driver.plan(spec.machineId);
    expect(again.summary.add + again.summary.change).toBeGreaterThanOrEqual(1);
    await keepRecording('cancel');
  });

  it('destroys the machine and removes its workspace', async () => {
    const events: ProgressEvent[] = [];
    const result = await driverFor('destroy').teardown(linuxVm, { onProgress: (e) => events.push(e) });
    expect(result.summary.remove).toBe(1);
    expect(events.some((e) => e.step === 'terraform.destroy' && e.status === 'succeeded')).toBe(true);
    await keepRecording('destroy');
  });
});
