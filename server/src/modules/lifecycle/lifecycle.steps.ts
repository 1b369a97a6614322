// What every lifecycle workflow shares: finding the machine's guest where it lives now, starting a
// Proxmox task once (its UPID in the checkpoint before waiting, so a resumed job waits for the same
// task), streaming the task log into the job's events, and reading the guest's real state back.
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { GuestApi, ProxmoxClient } from '@pvepaas/orchestration/proxmox/index';
import { StepError, type Step, type StepContext, type Workflow } from '../../jobs/runner.js';
import type { PubSub } from '../../realtime/pubsub.js';
import type { SecretStore } from '../../secrets/secret-store.js';
import { Node } from '../cluster/node.entity.js';
import { JobStatus, type JobCheckpoint } from '../job/job.entity.js';
import { Machine, MachineStatus } from '../machine/machine.entity.js';
import type { ClusterClients } from '../provision/cluster-clients.js';
import { MachineKind } from '../template/template.entity.js';
import type { LifecycleKind } from './lifecycle.service.js';
import { updateMachine } from './machine-events.js';
import type { TerraformSettings } from '../provision/terraform-provisioner.js';

export interface LifecycleDeps {
  em: EntityManager;
  clusters: ClusterClients;
  secrets: SecretStore;
  pubsub: PubSub;
  /** How long start and reboot wait for the guest to report an address (then they go on without). */
  addressTimeoutMs?: number;
  /** Delete of a TERRAFORM cluster's machine runs `terraform destroy` (provision/terraform.step.ts). */
  terraform?: TerraformSettings;
}

export interface LifecycleCheckpoint extends JobCheckpoint {
  /** UPIDs of the Proxmox tasks this job started, by step. */
  upids?: Record<string, string>;
}

export type Ctx = StepContext<LifecycleCheckpoint>;
export type LStep = Step<LifecycleCheckpoint>;
export type LWorkflow = Workflow<LifecycleCheckpoint>;

export type GuestState = 'running' | 'stopped' | 'paused';

export interface Located {
  em: EntityManager;
  machine: Machine;
  client: ProxmoxClient;
  api: GuestApi;
  /** Where the guest is now; undefined when Proxmox has no such guest. */
  node?: string;
}

export const machineIdOf = (ctx: { job: { params: Record<string, unknown> } }) => String(ctx.job.params.machineId);

/** The machine, its cluster's client, and the node its guest is on now (guests move). */
export async function locate(deps: LifecycleDeps, ctx: Ctx): Promise<Located> {
  const em = deps.em.fork();
  const machine = await em.findOne(Machine, { id: machineIdOf(ctx) }, { populate: ['node', 'cluster'] });
  if (!machine) throw new StepError('MACHINE_GONE', `Machine ${machineIdOf(ctx)} no longer exists.`);
  if (!machine.cluster || !machine.vmid) return { em, machine, client: undefined as never, api: undefined as never };
  const client = await deps.clusters.get(machine.cluster.id);
  const api = machine.kind === MachineKind.VM ? client.qemu : client.lxc;
  const guest = await client.cluster.findGuest(machine.vmid);
  return { em, machine, client, api, node: guest?.node };
}

/** Like locate, but fails the step when the guest is not on Proxmox. */
export async function locateGuest(deps: LifecycleDeps, ctx: Ctx): Promise<Located & { node: string; vmid: number }> {
  const found = await locate(deps, ctx);
  if (!found.node) {
    throw new StepError(
      'GUEST_MISSING',
      `Guest ${found.machine.vmid ?? '?'} of machine ${found.machine.name} is not on the cluster; it was deleted outside the platform. Delete the machine.`,
    );
  }
  return { ...found, node: found.node, vmid: found.machine.vmid! };
}

export async function guestState(api: GuestApi, node: string, vmid: number): Promise<GuestState> {
  const s = await api.status(node, vmid);
  if (s.status === 'stopped') return 'stopped';
  return s.qmpstatus === 'paused' || s.qmpstatus === 'suspended' ? 'paused' : 'running';
}

/** Waits for a Proxmox task, streaming its log lines into the job's events. */
export async function waitTask(ctx: Ctx, client: ProxmoxClient, upid: string, timeoutMs: number): Promise<void> {
  const lines: Promise<void>[] = [];
  try {
    await client.waitForTask(upid, {
      timeoutMs,
      signal: ctx.signal,
      onLog: (line) => void lines.push(ctx.log(line, { source: 'proxmox', upid })),
    });
  } catch (err) {
    throw new StepError('PROXMOX_TASK_FAILED', `Proxmox task failed: ${(err as Error).message}`);
  } finally {
    await Promise.all(lines);
  }
}

/** Starts the step's task unless the checkpoint has one (a resumed job), then waits for it. */
export async function runTask(
  ctx: Ctx,
  client: ProxmoxClient,
  key: string,
  timeoutMs: number,
  start: () => Promise<string | null>,
): Promise<void> {
  let upid = ctx.checkpoint.upids?.[key];
  if (!upid) {
    const started = await start();
    if (!started) return; // finished synchronously
    upid = started;
    ctx.checkpoint.upids = { ...ctx.checkpoint.upids, [key]: upid };
    await ctx.save();
  }
  await waitTask(ctx, client, upid, timeoutMs);
}

/** Whether the step already started its task (a resumed job must wait for it, not check again). */
export const started = (ctx: Ctx, key: string) => Boolean(ctx.checkpoint.upids?.[key]);

const STATUS: Record<GuestState, MachineStatus> = {
  running: MachineStatus.RUNNING,
  stopped: MachineStatus.STOPPED,
  paused: MachineStatus.SUSPENDED,
};

/** The node row for a node name of the machine's cluster (created on first sight, as placement does). */
export async function nodeRow(em: EntityManager, machine: Machine, name: string): Promise<Node> {
  const where = { cluster: machine.cluster!.id, name };
  const found = await em.findOne(Node, where);
  if (found) return found;
  // Another job may create the same row at the same moment: insert or keep theirs.
  const fork = em.fork();
  fork.create(Node, { cluster: machine.cluster!.id, name, status: 'online' });
  await fork.flush().catch((err: unknown) => {
    if (!(err instanceof UniqueConstraintViolationException)) throw err;
  });
  return em.findOneOrFail(Node, where);
}

/**
 * Sets the machine's status and node from what Proxmox reports (MISSING when the guest is gone),
 * after a failed job or one whose effect depends on the guest (rollback). `fallback` is used when
 * the machine never reached Proxmox or Proxmox cannot be asked.
 */
export async function reconcile(
  deps: LifecycleDeps,
  ctx: { job: { params: Record<string, unknown> } },
  fallback?: MachineStatus,
): Promise<void> {
  const em = deps.em.fork();
  const machine = await em.findOne(Machine, { id: machineIdOf(ctx) }, { populate: ['node', 'cluster'] });
  if (!machine) return;
  let status = fallback;
  let node: Node | undefined;
  try {
    if (machine.cluster && machine.vmid) {
      const client = await deps.clusters.get(machine.cluster.id);
      const guest = await client.cluster.findGuest(machine.vmid);
      if (!guest) status = MachineStatus.MISSING;
      else {
        const api = machine.kind === MachineKind.VM ? client.qemu : client.lxc;
        status = STATUS[await guestState(api, guest.node, machine.vmid)];
        node = await nodeRow(em, machine, guest.node);
        await em.flush();
      }
    }
  } catch {
    // Proxmox unreachable: keep what the caller knows.
  }
  await updateMachine(deps.em, deps.pubsub, machine.id, { ...(status ? { status } : {}), ...(node ? { node } : {}) });
}

/** The guest's IPv4 addresses (not loopback): from the guest agent for VMs, the interfaces for LXC. */
export async function guestAddresses(
  client: ProxmoxClient,
  kind: MachineKind,
  node: string,
  vmid: number,
): Promise<string[]> {
  const interfaces =
    kind === MachineKind.VM
      ? await client.qemu.agentNetworkInterfaces(node, vmid)
      : await client.lxc.interfaces(node, vmid);
  const out: string[] = [];
  for (const i of interfaces) {
    if (i.name === 'lo') continue;
    for (const a of i['ip-addresses'] ?? [])
      if (a['ip-address-type'] === 'ipv4' && !a['ip-address'].startsWith('127.')) out.push(a['ip-address']);
    const inet = 'inet' in i ? (i as { inet?: string }).inet?.split('/')[0] : undefined;
    if (inet && !out.includes(inet)) out.push(inet);
  }
  return out;
}

/** Size in GiB of a disk property string (`ceph-vm:vm-100-disk-0,size=8G`); 0 when absent. */
export function diskGiB(value: string | number | undefined): number {
  const m = /(?:^|,)size=(\d+(?:\.\d+)?)([KMGT]?)(?:,|$)/.exec(String(value ?? ''));
  if (!m) return 0;
  const unit = { '': 1 / 2 ** 30, K: 1 / 2 ** 20, M: 1 / 1024, G: 1, T: 1024 }[m[2] as '' | 'K' | 'M' | 'G' | 'T'];
  return Number(m[1]) * unit;
}

/** The disk a resize grows: the container's rootfs, or the VM's boot disk (else the first disk). */
export function bootDisk(kind: MachineKind, config: Record<string, string | number | undefined>): string | undefined {
  if (kind === MachineKind.LXC) return 'rootfs';
  const isDisk = (k: string) => /^(scsi|virtio|sata|ide)\d+$/.test(k) && !String(config[k]).includes('media=cdrom');
  const order = /order=([^,]+)/.exec(String(config.boot ?? ''))?.[1]?.split(';') ?? [];
  return order.find((k) => isDisk(k) && config[k] !== undefined) ?? Object.keys(config).filter(isDisk).sort()[0];
}

/** A workflow whose success sets `final`, and whose failure reads the status back from Proxmox. */
export function workflow(deps: LifecycleDeps, kind: LifecycleKind, steps: LStep[], final?: MachineStatus): LWorkflow {
  return {
    kind,
    steps,
    async onFinished(_em, job, status) {
      if (status === JobStatus.SUCCEEDED && final)
        await updateMachine(deps.em, deps.pubsub, machineIdOf({ job }), { status: final });
      else await reconcile(deps, { job });
    },
  };
}
