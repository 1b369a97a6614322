// Embedded mode keeps Terraform's state in PGlite, served on its loopback socket. This runs the real
// terraform binary's pg backend against it (init, workspace, plan, apply, a second plan with no
// changes, destroy) with stand-in modules: the real modules' variables.tf with built-in
// terraform_data resources (orchestration/test/fixtures/terraform-standin), since the Proxmox
// provider cannot be downloaded here. Without a terraform or tofu binary the suite says so and does not run.
import { execFileSync } from 'node:child_process';
import { cp, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LxcSpec } from '@pvepaas/orchestration/terraform/machine-spec';
import { parseMachineOutputs, TerraformDriver } from '@pvepaas/orchestration/terraform/terraform.driver';
import pgClient from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../db/embedded-postgres.js';
import { stateConnString } from './terraform-provisioner.js';

const REPO = fileURLToPath(new URL('../../../../', import.meta.url));
const which = (bin: string) => {
  try {
    return execFileSync('which', [bin], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
};
const binary = which('terraform') ?? which('tofu');
if (!binary) console.warn('terraform-state.test.ts: no terraform or tofu on PATH; the PGlite state test does not run.');

const spec: LxcSpec = {
  kind: 'lxc',
  machineId: 'pglite-state',
  node: 'pve1',
  vmid: 4242,
  name: 'ct-1',
  tags: ['pvepaas'],
  cores: 1,
  memoryMb: 512,
  diskGb: 8,
  datastore: 'local-lvm',
  templateFileId: 'local:vztmpl/debian-12-standard_12.7-1_amd64.tar.zst',
  osType: 'debian',
  sshKeys: [],
  nics: [{ bridge: 'vmbr0', ipv4: 'dhcp' }],
};

describe.skipIf(!binary)('Terraform state in the embedded PGlite database', () => {
  let pg: EmbeddedPostgres;
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pvepaas-tf-pglite-'));
    for (const kind of ['vm', 'lxc']) {
      await mkdir(join(dir, 'modules', kind), { recursive: true });
      await cp(join(REPO, 'terraform/modules', kind, 'variables.tf'), join(dir, 'modules', kind, 'variables.tf'));
      await cp(
        join(REPO, 'orchestration/test/fixtures/terraform-standin', kind, 'main.tf'),
        join(dir, 'modules', kind, 'main.tf'),
      );
    }
    pg = await startEmbeddedPostgres();
  });
  afterAll(async () => {
    await pg?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('keeps one workspace per machine in the pg backend: apply, an empty second plan, destroy', async () => {
    const tf = new TerraformDriver({
      binary: binary!,
      workRoot: join(dir, 'work'),
      modulesDir: join(dir, 'modules'),
      state: { connStr: stateConnString(pg.url), schema: 'terraform_state' },
      proxmox: { endpoint: 'https://pve.invalid:8006/', apiToken: 'terraform@pve!test=not-a-secret' },
      env: { PATH: process.env.PATH, HOME: dir },
      graceMs: 5000,
    });
    const first = await tf.provision(spec);
    expect(first.plan.summary).toEqual({ add: 1, change: 0, import: 0, remove: 0 });
    expect(parseMachineOutputs(first.apply.outputs)).toMatchObject({ vmid: 4242, node: 'pve1' });
    // What a worker resuming after a crash does: the state says the guest exists, nothing to apply.
    const again = await tf.provision(spec);
    expect(again.plan.empty).toBe(true);
    expect(parseMachineOutputs(again.apply.outputs).vmid).toBe(4242);

    const client = new pgClient.Client({ connectionString: pg.url });
    await client.connect();
    try {
      const rows = await client.query(`select name from terraform_state.states order by name`);
      expect(rows.rows.map((r: { name: string }) => r.name)).toEqual(['machine-pglite-state']);
    } finally {
      await client.end();
    }
    expect((await tf.teardown(spec)).summary.remove).toBe(1);
  }, 120_000);
});
