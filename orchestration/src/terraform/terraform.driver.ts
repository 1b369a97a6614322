import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  applyArgv,
  destroyArgv,
  initArgv,
  outputArgv,
  PLAN_FILE,
  planArgv,
  workspaceSelectArgv,
  terraformEnv,
  type CommandFlags,
} from './commands.js';
import { TerraformStream, type ChangeSummary, type Diagnostic, type OutputValue } from './json-stream.js';
import type { MachineSpec } from './machine-spec.js';
import { CommandError, findOnPath, runCommand } from './process.js';
import type { ProgressCallback } from './progress.js';
import { buildRootModule, secretEnv, workspaceName } from './root-module.js';

export interface TerraformConfig {
  /** `terraform`, `tofu`, or an absolute path. Looked up on env.PATH. */
  binary: string;
  /** One directory per machine is created below it. */
  workRoot: string;
  /** Absolute path of the repository's terraform/modules. */
  modulesDir: string;
  /** pg backend: connection string (a secret) and the platform's schema. */
  state: { connStr: string; schema: string };
  proxmox: { endpoint: string; apiToken: string; insecure?: boolean };
  /** Base environment for the child (PATH, HOME, ...). Defaults to the parent's. */
  env?: NodeJS.ProcessEnv;
  /** Extra variables for the child (TF_LOG, a provider mirror's TF_CLI_CONFIG_FILE, ...). */
  extraEnv?: Record<string, string>;
  /** Shared provider cache so each workspace does not download bpg/proxmox again. */
  pluginCacheDir?: string;
  flags?: CommandFlags;
  timeouts?: Partial<Record<'init' | 'plan' | 'apply' | 'destroy' | 'output', number>>;
  /** Between SIGINT and SIGKILL on cancel/timeout; Terraform releases its lock in this window. */
  graceMs?: number;
}

export interface RunOptions {
  onProgress?: ProgressCallback;
  signal?: AbortSignal;
}

export interface PlanResult {
  summary: ChangeSummary;
  changes: { address: string; action: string }[];
  /** True when there is nothing to do (apply can be skipped). */
  empty: boolean;
}

export interface ApplyResult {
  summary: ChangeSummary;
  outputs: Record<string, unknown>;
}

/** What the platform reads back from a machine's state. */
export interface MachineOutputs {
  vmid: number;
  node: string;
  addresses: { ipv4: string[]; ipv6: string[] };
}

const DEFAULT_TIMEOUTS = { init: 5 * 60_000, plan: 10 * 60_000, apply: 45 * 60_000, destroy: 30 * 60_000, output: 60_000 };
const NO_CHANGES: ChangeSummary = { add: 0, change: 0, import: 0, remove: 0 };

/**
 * Runs Terraform for one machine at a time: writes `<workRoot>/<machine>/main.tf.json`, then
 * init → plan → apply (or destroy) with `-json`, turning the stream into progress events.
 */
export class TerraformDriver {
  /** Secrets of the specs written by this driver, passed as TF_VAR_* (never written to disk). */
  private readonly secrets = new Map<string, Record<string, string>>();

  constructor(private readonly config: TerraformConfig) {}

  workspaceDir(machineId: string): string {
    return join(this.config.workRoot, workspaceName(machineId));
  }

  /** Writes the generated root module; returns the workspace directory. */
  async write(spec: MachineSpec): Promise<string> {
    const dir = this.workspaceDir(spec.machineId);
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const root = buildRootModule(spec, {
      modulesDir: this.config.modulesDir,
      stateSchema: this.config.state.schema,
      workspaceDir: dir,
    });
    await writeFile(join(dir, 'main.tf.json'), `${JSON.stringify(root, null, 2)}\n`, { mode: 0o600 });
    this.secrets.set(spec.machineId, secretEnv(spec));
    return dir;
  }

  /** `init`, then select (or create) the machine's workspace. */
  async init(machineId: string, options: RunOptions = {}): Promise<void> {
    await this.run('init', machineId, (bin) => initArgv(bin, this.config.flags), options, { workspace: false });
    await this.run('init', machineId, (bin) => workspaceSelectArgv(bin, workspaceName(machineId)), options, {
      workspace: false,
    });
  }

  async plan(machineId: string, options: RunOptions & { destroy?: boolean } = {}): Promise<PlanResult> {
    const stream = await this.run(
      'plan',
      machineId,
      (bin) => planArgv(bin, { ...this.config.flags, destroy: options.destroy }),
      options,
    );
    const summary = stream.summary ?? NO_CHANGES;
    return {
      summary,
      changes: stream.plannedChanges,
      empty: summary.add + summary.change + summary.remove + summary.import === 0,
    };
  }

  /**
   * Applies the plan saved by the last plan() in this workspace, then deletes the plan file: it holds
   * the input variables, the initial password included, and Terraform would refuse it as stale anyway.
   */
  async apply(machineId: string, options: RunOptions = {}): Promise<ApplyResult> {
    try {
      const stream = await this.run('apply', machineId, (bin) => applyArgv(bin, this.config.flags), options);
      return { summary: stream.summary ?? NO_CHANGES, outputs: outputValues(stream.outputs) };
    } finally {
      await rm(join(this.workspaceDir(machineId), PLAN_FILE), { force: true });
    }
  }

  async destroy(machineId: string, options: RunOptions = {}): Promise<ApplyResult> {
    const stream = await this.run('destroy', machineId, (bin) => destroyArgv(bin, this.config.flags), options);
    return { summary: stream.summary ?? NO_CHANGES, outputs: {} };
  }

  /** `terraform output -json`: the outputs as stored in the state. */
  async outputs(machineId: string, options: RunOptions = {}): Promise<Record<string, unknown>> {
    let json = '';
    const bin = await this.binary();
    await runCommand(outputArgv(bin), {
      ...this.processOptions('output', machineId, options),
      onStdoutLine: (line) => (json += `${line}\n`),
    });
    return outputValues(JSON.parse(json || '{}') as Record<string, OutputValue>);
  }

  /** The usual create/update path: write, init, plan, apply (skipped when the plan is empty). */
  async provision(spec: MachineSpec, options: RunOptions = {}): Promise<{ plan: PlanResult; apply: ApplyResult }> {
    await this.write(spec);
    await this.init(spec.machineId, options);
    const plan = await this.plan(spec.machineId, options);
    if (plan.empty) {
      return { plan, apply: { summary: NO_CHANGES, outputs: await this.outputs(spec.machineId, options) } };
    }
    return { plan, apply: await this.apply(spec.machineId, options) };
  }

  /** Destroys the machine and removes its workspace directory (the state row stays, empty). */
  async teardown(spec: MachineSpec, options: RunOptions = {}): Promise<ApplyResult> {
    await this.write(spec);
    await this.init(spec.machineId, options);
    const result = await this.destroy(spec.machineId, options);
    await rm(this.workspaceDir(spec.machineId), { recursive: true, force: true });
    return result;
  }

  private async binary(): Promise<string> {
    const env = this.config.env ?? process.env;
    return findOnPath(this.config.binary, env.PATH);
  }

  private processOptions(
    command: keyof typeof DEFAULT_TIMEOUTS,
    machineId: string,
    options: RunOptions,
    { workspace = true }: { workspace?: boolean } = {},
  ) {
    return {
      cwd: this.workspaceDir(machineId),
      env: {
        ...terraformEnv({
          base: this.config.env ?? process.env,
          workspace: workspace ? workspaceName(machineId) : undefined,
          stateConnStr: this.config.state.connStr,
          proxmox: this.config.proxmox,
          pluginCacheDir: this.config.pluginCacheDir,
        }),
        ...this.config.extraEnv,
        ...this.secrets.get(machineId),
      },
      signal: options.signal,
      timeoutMs: this.config.timeouts?.[command] ?? DEFAULT_TIMEOUTS[command],
      graceMs: this.config.graceMs,
    };
  }

  private async run(
    command: 'init' | 'plan' | 'apply' | 'destroy',
    machineId: string,
    argv: (binary: string) => string[],
    options: RunOptions,
    env: { workspace?: boolean } = {},
  ): Promise<TerraformStream> {
    const stream = new TerraformStream(`terraform.${command}`);
    const bin = await this.binary();
    try {
      await runCommand(argv(bin), {
        ...this.processOptions(command, machineId, options, env),
        onStdoutLine: (line) => {
          const event = stream.push(line);
          if (event) options.onProgress?.(event);
        },
      });
      return stream;
    } catch (err) {
      if (!(err instanceof CommandError)) throw err;
      const first = stream.firstError;
      throw err.withDetails(
        { diagnostics: stream.diagnostics, summary: stream.summary ?? null },
        first ? describeDiagnostic(first) : undefined,
      );
    }
  }
}

function describeDiagnostic(d: Diagnostic): string {
  const text = `${d.summary}${d.address ? ` (${d.address})` : ''}${d.detail ? `: ${d.detail}` : ''}`.replace(/\s+/g, ' ');
  return text.length > 300 ? `${text.slice(0, 297)}...` : text;
}

function outputValues(outputs: Record<string, OutputValue> | undefined): Record<string, unknown> {
  return Object.fromEntries(Object.entries(outputs ?? {}).map(([k, v]) => [k, v.sensitive ? '(sensitive)' : v.value]));
}

/** Checks the shape of the machine outputs; throws a TypeError naming the bad field. */
export function parseMachineOutputs(outputs: Record<string, unknown>): MachineOutputs {
  const { vmid, node, addresses } = outputs;
  if (typeof vmid !== 'number') throw new TypeError(`output vmid must be a number, got ${JSON.stringify(vmid)}`);
  if (typeof node !== 'string') throw new TypeError(`output node must be a string, got ${JSON.stringify(node)}`);
  const a = (addresses ?? {}) as { ipv4?: unknown; ipv6?: unknown };
  const list = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
  return { vmid, node, addresses: { ipv4: list(a.ipv4), ipv6: list(a.ipv6) } };
}
