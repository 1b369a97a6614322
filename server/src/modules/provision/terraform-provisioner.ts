// The Terraform driver inside the provision workflow: a cluster with provisioningDriver TERRAFORM has
// its guests created by terraform/tofu (orchestration/src/terraform) instead of the Proxmox client.
// One workspace per machine (`machine-<id>`, generated main.tf.json calling terraform/modules/vm or
// lxc), state in the platform's PostgreSQL through the pg backend, every line of Terraform's -json
// stream turned into a job event.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { ProxmoxClient } from '@pvepaas/orchestration/proxmox/index';
import type { LxcSpec, MachineSpec, VmSpec } from '@pvepaas/orchestration/terraform/machine-spec';
import { CommandError, findOnPath } from '@pvepaas/orchestration/terraform/process';
import type { ProgressEvent } from '@pvepaas/orchestration/terraform/progress';
import { parseMachineOutputs, TerraformDriver } from '@pvepaas/orchestration/terraform/terraform.driver';
import { StepError, type StepContext } from '../../jobs/runner.js';
import type { Cluster } from '../cluster/cluster.entity.js';
import { Job, JobStatus, type JobCheckpoint } from '../job/job.entity.js';
import type { Machine } from '../machine/machine.entity.js';
import { MachineKind } from '../template/template.entity.js';
import type { MachineCredentials } from './credentials.js';

export interface TerraformSettings {
  /** `terraform`, `tofu` or an absolute path (TERRAFORM_BINARY); default: terraform, else tofu, on PATH. */
  binary?: string;
  /** The platform's database (the pg backend keeps one state per workspace in `stateSchema`). */
  stateConnStr: string;
  stateSchema: string;
  /** Workspaces are written below it, one directory per machine. */
  workRoot: string;
  /** The repository's terraform/modules. */
  modulesDir: string;
  /** The child's base environment (PATH is where the binary is looked up); default: the worker's. */
  env?: NodeJS.ProcessEnv;
  /** Extra variables for terraform (TF_LOG, TF_CLI_CONFIG_FILE of a provider mirror, ...). */
  extraEnv?: Record<string, string>;
  /** Between SIGINT and SIGKILL when a run is cancelled (Terraform releases its state lock meanwhile). */
  graceMs?: number;
  /** How often a running terraform looks for a cancelJob. */
  cancelPollMs?: number;
}

/**
 * The pg backend's connection string for the platform's database URL. Terraform's driver (lib/pq)
 * requires TLS unless told otherwise, while the platform's own client (node-postgres) uses it only
 * when the URL asks: a URL without `sslmode` gets `sslmode=disable`, so Terraform connects the way
 * the platform does (the embedded PGlite socket has no TLS at all).
 */
export function stateConnString(databaseUrl: string): string {
  const url = new URL(databaseUrl);
  if (!url.searchParams.has('sslmode')) url.searchParams.set('sslmode', 'disable');
  return url.toString();
}

/** What the create step remembers so a resumed or undone job uses the same driver and workspace. */
export interface TerraformCheckpoint extends JobCheckpoint {
  driver?: 'NATIVE' | 'TERRAFORM';
  /** Set before the first apply: from then on the workspace's state owns the guest. */
  terraformApplied?: boolean;
}

export const CANCELLED_BY_USER = 'Cancelled by a user.';

/**
 * Sets checkpoint fields and saves them. Written to the job's current checkpoint as well: the
 * runner's save() replaces that object with a copy, so after a step's first save, changes made only
 * to ctx.checkpoint would not be stored by the next one.
 */
export async function persist<C extends JobCheckpoint>(ctx: StepContext<C>, patch: Partial<C>): Promise<void> {
  Object.assign(ctx.checkpoint, patch);
  Object.assign(ctx.job.checkpoint, patch);
  await ctx.save();
}

/**
 * The binary to run, resolved when the job runs (so installing terraform needs no restart): the
 * configured one, or terraform then tofu on PATH. A StepError that says how to fix it otherwise.
 */
export async function resolveTerraformBinary(settings: TerraformSettings, cluster: Cluster): Promise<string> {
  const path = (settings.env ?? process.env).PATH;
  const candidates = settings.binary ? [settings.binary] : ['terraform', 'tofu'];
  for (const candidate of candidates) {
    try {
      return await findOnPath(candidate, path);
    } catch (err) {
      if (!(err instanceof CommandError)) throw err;
    }
  }
  throw new StepError(
    'TERRAFORM_NOT_FOUND',
    settings.binary
      ? `Cluster ${cluster.name} provisions with Terraform, but TERRAFORM_BINARY (${settings.binary}) is not an executable on the worker (PATH ${path || 'empty'}); fix TERRAFORM_BINARY or switch the cluster to the NATIVE driver with updateCluster.`
      : `Cluster ${cluster.name} provisions with Terraform, but neither terraform nor tofu is on the worker's PATH (${path || 'empty'}); install one, set TERRAFORM_BINARY, or switch the cluster to the NATIVE driver with updateCluster.`,
  );
}

/** The machine as Terraform's module inputs describe it: the same guest the native driver would make. */
export async function machineSpec(
  machine: Machine,
  client: ProxmoxClient,
  where: { node: string; vmid: number },
  creds: MachineCredentials,
): Promise<MachineSpec> {
  const net = machine.network;
  const common = {
    machineId: machine.id,
    node: where.node,
    vmid: where.vmid,
    name: machine.name,
    tags: ['pvepaas', ...machine.tags],
    cores: machine.cores,
    memoryMb: machine.memoryMiB,
    diskGb: machine.diskGiB,
    nics: [
      {
        bridge: net?.bridge ?? 'vmbr0',
        vlanId: net?.vlanTag ?? undefined,
        firewall: net?.firewall ?? true,
        ipv4: net?.cidr ? { address: net.cidr, gateway: net.gateway ?? undefined } : ('dhcp' as const),
      },
    ],
    sshKeys: [creds.sshPublicKey],
    password: creds.rootPassword,
  };
  if (machine.kind === MachineKind.LXC) {
    const spec: LxcSpec = {
      ...common,
      kind: 'lxc',
      datastore: machine.storage?.storageId ?? 'local-lvm',
      templateFileId: machine.template.osTemplate!,
      osType: lxcOsType(machine.template.os),
      unprivileged: true,
    };
    return spec;
  }
  const source = await client.cluster.findGuest(machine.template.sourceVmid!);
  if (!source)
    throw new StepError(
      'TEMPLATE_MISSING',
      `Template VM ${machine.template.sourceVmid} is not on the cluster; ask an operator to fix template ${machine.template.name}.`,
    );
  // Without a storage configuration the disk stays where the template's is (a linked clone), as natively.
  const storage = machine.storage?.storageId;
  const datastore = storage ?? bootDiskStorage(await client.qemu.getConfig(source.node, source.vmid!));
  const spec: VmSpec = {
    ...common,
    kind: 'vm',
    os: machine.template.os.startsWith('windows') ? 'windows' : 'linux',
    datastore,
    template: { vmid: source.vmid!, node: source.node, full: Boolean(storage) },
    username: 'paas',
  };
  return spec;
}

function lxcOsType(os: string): LxcSpec['osType'] {
  for (const known of ['debian', 'ubuntu', 'alpine'] as const) if (os.startsWith(known)) return known;
  return 'unmanaged';
}

function bootDiskStorage(config: Record<string, unknown>): string {
  for (const key of ['scsi0', 'virtio0', 'sata0', 'ide0']) {
    const value = config[key];
    if (typeof value === 'string' && value.includes(':')) return value.split(':')[0]!;
  }
  return 'local-lvm';
}

/**
 * Turns the driver's progress events into job events, in order: resource progress and the apply's
 * percent as `progress` events, everything else (init, plan lines, diagnostics) as `log` events with
 * `data.source = 'terraform'`. The stream callback is synchronous; writes are chained and awaited.
 */
export interface EventSink {
  onProgress(e: ProgressEvent): void;
  /** Resolves when every event so far is stored. */
  flush(): Promise<void>;
}

export function jobEventSink(ctx: StepContext, share: { from: number; to: number }): EventSink {
  let chain = Promise.resolve();
  const onProgress = (e: ProgressEvent) => {
    const command = e.step.replace(/^terraform\./, '');
    const data = { source: 'terraform', command, status: e.status, at: e.at, ...e.detail };
    const isResource = typeof e.detail?.address === 'string' && command === 'apply';
    chain = chain.then(() =>
      isResource && e.percent !== undefined
        ? ctx.progress(share.from + ((share.to - share.from) * e.percent) / 100, e.message)
        : ctx.log(e.message, data),
    );
  };
  return { onProgress, flush: () => chain };
}

/** Aborts when the job is cancelled (cancelJob sets CANCELLING) or the step's own signal aborts. */
export interface Cancellation {
  signal: AbortSignal;
  /** True when the abort came from cancelJob rather than the step's timeout or the worker. */
  cancelledByUser(): boolean;
  stop(): void;
}

export function cancellationSignal(em: EntityManager, job: Job, stepSignal: AbortSignal, pollMs: number): Cancellation {
  const controller = new AbortController();
  const onStep = () => controller.abort(stepSignal.reason);
  stepSignal.addEventListener('abort', onStep, { once: true });
  const timer = setInterval(() => {
    em.fork()
      .findOne(Job, { id: job.id }, { fields: ['status'] })
      .then((row) => {
        if (row?.status === JobStatus.CANCELLING) controller.abort(new Error(CANCELLED_BY_USER));
      })
      .catch(() => undefined);
  }, pollMs);
  return {
    signal: controller.signal,
    cancelledByUser: () => controller.signal.aborted && !stepSignal.aborted,
    stop: () => {
      clearInterval(timer);
      stepSignal.removeEventListener('abort', onStep);
    },
  };
}

/** A driver for one run, with the cluster's endpoint and token; the CA (if any) is given to terraform as a file. */
export async function driverFor(
  settings: TerraformSettings,
  binary: string,
  cluster: Cluster,
  tokenSecret: string,
): Promise<TerraformDriver> {
  const extraEnv: Record<string, string> = { ...settings.extraEnv };
  if (cluster.caPem) {
    // The provider verifies TLS with the system roots plus SSL_CERT_FILE; it cannot pin a fingerprint.
    const dir = join(settings.workRoot, 'ca');
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const file = join(dir, `${cluster.id}.pem`);
    await writeFile(file, cluster.caPem, { mode: 0o600 });
    extraEnv.SSL_CERT_FILE = file;
  } else if (cluster.apiUrl.startsWith('https:') && cluster.tlsFingerprint) {
    throw new StepError(
      'TERRAFORM_TLS',
      `Cluster ${cluster.name} is trusted by certificate fingerprint only, which the Terraform provider cannot pin; add the cluster's CA (caPem) with updateCluster or use the NATIVE driver.`,
    );
  }
  return new TerraformDriver({
    binary,
    workRoot: settings.workRoot,
    modulesDir: settings.modulesDir,
    state: { connStr: settings.stateConnStr, schema: settings.stateSchema },
    proxmox: { endpoint: cluster.apiUrl.replace(/\/?$/, '/'), apiToken: `${cluster.tokenId}=${tokenSecret}` },
    env: settings.env,
    extraEnv,
    graceMs: settings.graceMs,
  });
}

/** The machine outputs of a finished apply, checked against what the job reserved. */
export function checkOutputs(outputs: Record<string, unknown>, where: { node: string; vmid: number }) {
  let parsed;
  try {
    parsed = parseMachineOutputs(outputs);
  } catch (err) {
    throw new StepError('TERRAFORM_OUTPUTS', `Terraform's outputs are not a machine: ${(err as Error).message}.`);
  }
  if (parsed.vmid !== where.vmid || parsed.node !== where.node)
    throw new StepError(
      'TERRAFORM_OUTPUTS',
      `Terraform created guest ${parsed.vmid} on ${parsed.node}, but the job reserved ${where.vmid} on ${where.node}.`,
    );
  return parsed;
}

/** A CommandError from terraform as the step's error: the first diagnostic is already in its message. */
export function terraformFailure(err: unknown, cancelledByUser: boolean): unknown {
  if (!(err instanceof CommandError)) return err;
  if (err.code === 'COMMAND_NOT_FOUND') return new StepError('TERRAFORM_NOT_FOUND', err.message);
  if (err.code === 'COMMAND_CANCELLED' && cancelledByUser) return new StepError('CANCELLED', CANCELLED_BY_USER);
  return new StepError('TERRAFORM_FAILED', err.message);
}
