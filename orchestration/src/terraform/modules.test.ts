// The Terraform modules, parsed with HashiCorp's HCL parser: resources, variables and outputs are
// there, every resource argument exists in the bpg/proxmox provider (per the reference), and the
// root modules the driver generates only pass inputs the modules declare.
import { execFileSync, spawnSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BPG_RESOURCES, META_ARGUMENTS, type ArgTree } from './bpg-schema.js';
import { buildRootModule } from './root-module.js';
import { objectTypeKeys, parseModule, type HclBody } from './test/hcl.js';
import { MODULES_DIR, REPO_ROOT } from './test/paths.js';
import { debianLxc, linuxVm, windowsGpuVm } from './test/specs.js';

const isBlock = (v: unknown): v is HclBody[] =>
  Array.isArray(v) && v.length > 0 && v.every((x) => x !== null && typeof x === 'object' && !Array.isArray(x));

/** Walks a parsed resource body against the provider's argument tree; returns one line per problem. */
export function checkArguments(body: HclBody, tree: ArgTree, path: string, topLevel = true): string[] {
  const problems: string[] = [];
  for (const [name, value] of Object.entries(body)) {
    if (topLevel && META_ARGUMENTS.has(name)) continue;
    if (name === 'dynamic') {
      for (const [blockName, dyns] of Object.entries(value as Record<string, HclBody[]>)) {
        for (const dyn of dyns) {
          const content = (dyn.content as HclBody[] | undefined) ?? [];
          problems.push(...checkBlock(blockName, content, tree, `${path}.dynamic`));
        }
      }
      continue;
    }
    const spec = tree[name];
    if (spec === undefined) problems.push(`${path}.${name}: unknown argument`);
    else if (spec === true && isBlock(value)) problems.push(`${path}.${name}: is an attribute, written as a block`);
    else if (typeof spec === 'object' && !isBlock(value)) problems.push(`${path}.${name}: is a block, written as an attribute`);
    else if (typeof spec === 'object') problems.push(...checkBlock(name, value as HclBody[], tree, path));
  }
  return problems;
}

function checkBlock(name: string, bodies: HclBody[], tree: ArgTree, path: string): string[] {
  const spec = tree[name];
  if (spec === undefined) return [`${path}.${name}: unknown block`];
  if (spec === true) return [`${path}.${name}: is an attribute, written as a block`];
  if (spec === '*') return [];
  return bodies.flatMap((b) => checkArguments(b, spec, `${path}.${name}`, false));
}

const MODULES = {
  vm: { resources: ['proxmox_virtual_environment_vm.this'], outputs: ['vmid', 'node', 'addresses'] },
  lxc: { resources: ['proxmox_virtual_environment_container.this'], outputs: ['vmid', 'node', 'addresses'] },
  network: {
    resources: [
      'proxmox_virtual_environment_sdn_zone_simple.this',
      'proxmox_virtual_environment_sdn_vnet.this',
      'proxmox_virtual_environment_sdn_subnet.this',
      'proxmox_virtual_environment_sdn_applier.this',
    ],
    outputs: ['zone_id', 'bridges', 'subnets'],
  },
  storage: {
    resources: ['proxmox_virtual_environment_storage_directory.this', 'proxmox_virtual_environment_download_file.this'],
    outputs: ['datastore_id', 'file_ids'],
  },
} as const;

describe.each(Object.entries(MODULES))('module %s', (name, expected) => {
  const dir = join(MODULES_DIR, name);

  it('declares the expected resources and outputs', async () => {
    const mod = await parseModule(dir);
    const resources = Object.entries(mod.resource).flatMap(([type, byName]) =>
      Object.keys(byName).map((n) => `${type}.${n}`),
    );
    expect(resources.sort()).toEqual([...expected.resources].sort());
    expect(Object.keys(mod.output)).toEqual(expect.arrayContaining([...expected.outputs]));
    for (const [out, [body]] of Object.entries(mod.output)) {
      expect(body?.description, `output ${out} needs a description`).toBeTruthy();
    }
  });

  it('types and documents every variable; validates the ones a person types', async () => {
    const mod = await parseModule(dir);
    const variables = Object.entries(mod.variable);
    expect(variables.length).toBeGreaterThan(0);
    for (const [v, [body]] of variables) {
      expect(body?.type, `variable ${v} needs a type`).toBeTruthy();
      expect(body?.description, `variable ${v} needs a description`).toBeTruthy();
    }
    expect(variables.filter(([, [b]]) => Array.isArray(b?.validation)).length).toBeGreaterThanOrEqual(2);
  });

  it('pins bpg/proxmox to one minor version', async () => {
    const mod = await parseModule(dir);
    const providers = mod.terraform[0]?.required_providers as HclBody[] | undefined;
    const proxmox = providers?.[0]?.proxmox as { source: string; version: string };
    expect(proxmox.source).toBe('bpg/proxmox');
    expect(proxmox.version).toMatch(/^~> 0\.\d+\.\d+$/);
  });

  it('uses only arguments the provider has', async () => {
    const mod = await parseModule(dir);
    const problems: string[] = [];
    for (const [type, byName] of Object.entries(mod.resource)) {
      const tree = BPG_RESOURCES[type];
      if (!tree) {
        problems.push(`${type}: resource type not in the reference`);
        continue;
      }
      for (const [n, bodies] of Object.entries(byName)) {
        for (const body of bodies) problems.push(...checkArguments(body, tree, `${type}.${n}`));
      }
    }
    expect(problems).toEqual([]);
  });
});

describe('the argument check itself', () => {
  const tree = BPG_RESOURCES.proxmox_virtual_environment_vm!;

  it('catches a misspelt attribute, a misspelt nested attribute and a block written as an attribute', () => {
    const body: HclBody = {
      node_name: 'pve',
      cpu: [{ core: 2 }],
      network_device: 'vmbr0',
      dynamic: { hostpci: [{ for_each: '${var.x}', content: [{ device: 'hostpci0', maping: 'gpu' }] }] },
      clone_id: 9000,
    };
    expect(checkArguments(body, tree, 'vm').sort()).toEqual([
      'vm.clone_id: unknown argument',
      'vm.cpu.core: unknown argument',
      'vm.dynamic.hostpci.maping: unknown argument',
      'vm.network_device: is a block, written as an attribute',
    ]);
  });
});

describe('objectTypeKeys', () => {
  it('lists the top-level attributes of object and list(object) types', () => {
    expect(objectTypeKeys('${object({\n  a = string\n  b = optional(object({ c = number }), {})\n})}')).toEqual(['a', 'b']);
    expect(objectTypeKeys('${list(object({ bridge = string, vlan_id = optional(number) }))}')).toEqual([
      'bridge',
      'vlan_id',
    ]);
    expect(objectTypeKeys('${string}')).toBeUndefined();
  });
});

describe('generated root modules call the modules with declared inputs only', () => {
  const cases = [
    ['VM Linux cloud-init', linuxVm],
    ['VM Windows with GPU passthrough', windowsGpuVm],
    ['LXC', debianLxc],
  ] as const;

  it.each(cases)('%s', async (_label, spec) => {
    const root = buildRootModule(spec, { modulesDir: MODULES_DIR, stateSchema: 'pvepaas_tf' });
    const { source, ...inputs } = root.module.machine;
    const mod = await parseModule(source);
    const variables = mod.variable;
    const problems: string[] = [];
    for (const [name, value] of Object.entries(inputs)) {
      const decl = variables[name]?.[0];
      if (!decl) {
        problems.push(`${name}: not a variable of ${source}`);
        continue;
      }
      const keys = objectTypeKeys(String(decl.type));
      const items = Array.isArray(value) ? value : [value];
      if (keys) {
        for (const item of items) {
          for (const k of Object.keys(item as object)) if (!keys.includes(k)) problems.push(`${name}.${k}: not in the type`);
        }
      }
    }
    for (const [name, [decl]] of Object.entries(variables)) {
      if (decl && !('default' in decl) && !(name in inputs)) problems.push(`${name}: required but not passed`);
    }
    expect(problems).toEqual([]);
  });
});

const terraformBin = (() => {
  try {
    return execFileSync('which', ['terraform'], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
})();

describe.skipIf(!terraformBin)('terraform fmt', () => {
  it('finds nothing to reformat under terraform/', () => {
    const r = spawnSync(terraformBin!, ['fmt', '-check', '-recursive', '-list=true', join(REPO_ROOT, 'terraform')], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH, HOME: process.env.HOME, TF_CLI_CONFIG_FILE: '/dev/null' },
    });
    expect(r.stdout).toBe('');
    expect(r.status).toBe(0);
  });
});

describe('examples/basic', () => {
  it('calls every module with required inputs and pins the provider', async () => {
    const dir = join(REPO_ROOT, 'terraform/examples/basic');
    const example = await parseModule(dir);
    expect(Object.keys(example.module).sort()).toEqual(['ct', 'images', 'network', 'vm']);
    const main = await readFile(join(dir, 'main.tf'), 'utf8');
    expect(main).toContain('version = "~> 0.111.1"');
  });
});
