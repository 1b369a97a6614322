// Provisioning a VM or an LXC container, step by step (orchestration/PROTOCOL.md):
// place → reserve → secrets → create → start → address → configure → ready.
// `create` uses the cluster's driver: the Proxmox client (NATIVE) or Terraform (terraform-provisioner.ts).
// Every step records what it started in the job's checkpoint before waiting on it, so a worker that
// takes over after a crash continues the same Proxmox task instead of starting another.
import type { EntityManager } from '@mikro-orm/postgresql';
import { UniqueConstraintViolationException, wrap } from '@mikro-orm/core';
import type { ProxmoxClient } from '@pvepaas/orchestration/proxmox/index';
import { StepError, type Step, type StepContext, type Workflow } from '../../jobs/runner.js';
import type { PubSub } from '../../realtime/pubsub.js';
import type { SecretStore } from '../../secrets/secret-store.js';
import { machineEvent, publishMachineEvent } from '../lifecycle/machine-events.js';
import { Node } from '../cluster/node.entity.js';
import { JobStatus, type Job } from '../job/job.entity.js';
import { Machine, MachineStatus } from '../machine/machine.entity.js';
import { MachineKind } from '../template/template.entity.js';
import { ProvisioningDriver } from '../cluster/cluster.entity.js';
import type { ClusterClients } from './cluster-clients.js';
import { forgetSnapshot, guestIn, recentSnapshot } from './cluster-snapshot.js';
import { configureStep, type ConfigureSettings } from './configure.js';
import { credentialsPath, generateCredentials, type MachineCredentials } from './credentials.js';
import type { PlacementPolicy } from './placement.js';
import { isolateStep } from '../tenancy/tenancy.step.js';
import { persist } from './terraform-provisioner.js';
import { terraformSteps, type TerraformCheckpoint, type TerraformSettings } from './terraform.step.js';

export interface ProvisionDeps {
  em: EntityManager;
  pubsub: PubSub;
  clusters: ClusterClients;
  secrets: SecretStore;
  placement: PlacementPolicy;
  /** How long to wait for the guest to report an address. */
  addressTimeoutMs?: number;
  /** Per-step timeouts in ms, overriding the defaults (tests use short ones). */
  stepTimeoutsMs?: Partial<Record<string, number>>;
  /** Where the Terraform driver finds its binary, state and modules (clusters with driver TERRAFORM). */
  terraform?: TerraformSettings;
  /** Whether and how the configure step runs Ansible. */
  configure?: ConfigureSettings;
}

export interface ProvisionCheckpoint extends TerraformCheckpoint {
  node?: string;
  vmid?: number;
  createUpid?: string;
  startUpid?: string;
}

type Ctx = StepContext<ProvisionCheckpoint>;

type Loaded = {
  em: EntityManager;
  machine: Machine;
  client: ProxmoxClient;
  api: ProxmoxClient['qemu'] | ProxmoxClient['lxc'];
  /** The credentials the secrets step generated in this run (read from the secret store otherwise). */
  credentials?: MachineCredentials;
};

export function provisionWorkflow(deps: ProvisionDeps): Workflow<ProvisionCheckpoint> {
  /**
   * The job's machine (with its template, network, storage, cluster and project) and the cluster's
   * client, read once per run of the job and kept for its next steps: the runner hands every step
   * the same Job object, and a run's steps are the only writers of its machine row. A worker that
   * takes the job over reads them again.
   */
  const runs = new WeakMap<Job, Promise<Loaded>>();
  const load = (ctx: Pick<Ctx, 'job'>): Promise<Loaded> => {
    let loaded = runs.get(ctx.job);
    if (!loaded) {
      loaded = (async () => {
        const em = deps.em.fork();
        const machine = await em.findOneOrFail(
          Machine,
          { id: ctx.job.machine!.id },
          { populate: ['template', 'network', 'storage', 'cluster', 'project', 'node'] },
        );
        const client = await deps.clusters.get(machine.cluster!.id);
        return { em, machine, client, api: machine.kind === MachineKind.VM ? client.qemu : client.lxc };
      })();
      runs.set(ctx.job, loaded);
      loaded.catch(() => runs.delete(ctx.job));
    }
    return loaded;
  };
  /** Sets columns of the machine row in one statement (no transaction around it) and on the loaded entity. */
  const updateMachine = async (loaded: Loaded, changes: Partial<Pick<Machine, 'ipAddresses' | 'status'>>) => {
    await loaded.em.nativeUpdate(Machine, { id: loaded.machine.id }, changes);
    Object.assign(loaded.machine, changes);
    loaded.em.getUnitOfWork().merge(loaded.machine);
  };
  const credentials = async (loaded: Loaded): Promise<MachineCredentials> =>
    (loaded.credentials ??= (await deps.secrets.read(credentialsPath(loaded.machine.id)))!
      .data as unknown as MachineCredentials);
  /** Waits for a Proxmox task, streaming its log lines into the job's events. */
  const waitTask = async (ctx: Ctx, client: ProxmoxClient, upid: string, timeoutMs: number) => {
    const lines: Promise<void>[] = [];
    const tail: string[] = [];
    try {
      await client.waitForTask(upid, {
        timeoutMs,
        signal: ctx.signal,
        onLog: (line) => {
          tail.push(line);
          if (tail.length > 2) tail.shift();
          lines.push(ctx.log(line, { source: 'proxmox', upid }));
        },
      });
    } catch (err) {
      // The exit status is often generic ("QEMU exited with code 1"); the cause is in the log.
      const context = tail.length ? ` Last task log lines: ${tail.join(' | ')}` : '';
      throw new StepError('PROXMOX_TASK_FAILED', `Proxmox task failed: ${(err as Error).message}.${context}`);
    } finally {
      await Promise.all(lines);
    }
  };

  const place: Step<ProvisionCheckpoint> = {
    name: 'place',
    weight: 1,
    timeoutMs: 60_000,
    async run(ctx) {
      if (ctx.checkpoint.node) return;
      const { em, machine, client } = await load(ctx);
      // The cluster's node rows (those in maintenance, and the chosen one's) in one read.
      const [nodes, snapshot] = await Promise.all([
        em.find(Node, { cluster: machine.cluster!.id }),
        recentSnapshot(client),
      ]);
      const memoryBytes = machine.memoryMiB * 2 ** 20;
      let placement;
      try {
        placement = await deps.placement(client, {
          cores: machine.cores,
          memoryBytes,
          excluded: new Set(nodes.filter((n) => n.maintenance).map((n) => n.name)),
          resources: snapshot.resources,
          pending: snapshot.placed,
        });
      } catch (err) {
        throw new StepError('NO_CAPACITY', (err as Error).message);
      }
      snapshot.placed.set(placement.node, (snapshot.placed.get(placement.node) ?? 0) + memoryBytes);
      const where = { cluster: machine.cluster!.id, name: placement.node };
      let node = nodes.find((n) => n.name === placement.node) ?? null;
      if (!node) {
        // Jobs placed on a node the platform has not seen yet race to insert its row (unique per
        // cluster and name): the losers read the winner's.
        const fork = em.fork();
        fork.create(Node, { cluster: machine.cluster!.id, name: placement.node, status: 'online' });
        await fork.flush().catch((err: unknown) => {
          if (!(err instanceof UniqueConstraintViolationException)) throw err;
        });
        node = await em.findOneOrFail(Node, where);
      }
      await em.nativeUpdate(Machine, { id: machine.id }, { node: node.id });
      machine.node = node;
      em.getUnitOfWork().merge(machine);
      // Stored with the step's end (the next statement): placing again after a crash before it is harmless.
      ctx.checkpoint.node = placement.node;
      await ctx.log(placement.reason, { source: 'placement', node: placement.node });
    },
  };

  const reserve: Step<ProvisionCheckpoint> = {
    name: 'reserve',
    weight: 1,
    timeoutMs: 60_000,
    async run(ctx) {
      const { em, machine, client } = await load(ctx);
      // The machine row holds the reserved id: the checkpoint gets it with the step's end.
      if (machine.vmid) {
        ctx.checkpoint.vmid = machine.vmid;
        return;
      }
      // Proxmox's next free id, then the database's unique (cluster, vmid) settles races between jobs.
      // Candidates skip every id the cluster's guests or the platform's machines hold (reserved by
      // jobs that have not created their guest yet), each read in one query. A lost race is no failed
      // attempt: the winner's id joins the used set, and the loser retries at a random offset among
      // the next free ids so that many jobs at once spread out instead of colliding again. NO_VMID
      // only when no id is left in Proxmox's range.
      // The cluster's guests and next id come from a read at most a second or two old
      // (cluster-snapshot.ts): a guest created since is caught by isVmidFree, or is in the database.
      const clusterId = machine.cluster!.id;
      const snapshot = await recentSnapshot(client);
      const lowest = snapshot.nextId;
      const used = new Set(
        snapshot.resources
          .filter((r) => r.type === 'qemu' || r.type === 'lxc')
          .map((r) => r.vmid)
          .filter((id) => id != null),
      );
      /** Adds the ids the platform's machines hold to `used`; the set of them. */
      const readReserved = async () => {
        const rows = await em
          .getConnection()
          .execute<{ vmid: number }[]>(
            `select vmid from machine where cluster_id = ? and vmid is not null and vmid >= ?`,
            [clusterId, lowest],
          );
        const reserved = new Set(rows.map((row) => Number(row.vmid)));
        for (const id of reserved) used.add(id);
        return reserved;
      };
      await readReserved();
      let spread = 0;
      for (let refused = 0; refused < MAX_PROXMOX_REFUSALS;) {
        for (const id of snapshot.tried) used.add(id);
        const candidate = freeVmid(lowest, used, spread ? Math.floor(Math.random() * spread) : 0);
        if (candidate === undefined) break;
        snapshot.tried.add(candidate);
        if (!(await client.cluster.isVmidFree(candidate))) {
          // A guest created since the resources were read. Another job's (reserved since our last
          // read) is a lost race like the one below; only an id the platform does not hold counts.
          used.add(candidate);
          if (!(await readReserved()).has(candidate)) refused++;
          spread = Math.min(spread + 4, 64);
          continue;
        }
        try {
          await em.nativeUpdate(Machine, { id: machine.id }, { vmid: candidate });
          machine.vmid = candidate;
          em.getUnitOfWork().merge(machine);
          ctx.checkpoint.vmid = candidate;
          await ctx.progress(1, `VMID ${candidate} reserved`);
          return;
        } catch (err) {
          if (!(err instanceof UniqueConstraintViolationException)) throw err;
          used.add(candidate);
          await readReserved();
          spread = Math.min(spread + 4, 64);
        }
      }
      throw new StepError(
        'NO_VMID',
        `No free VMID from ${lowest} to ${MAX_VMID} on the cluster (or Proxmox refused ${MAX_PROXMOX_REFUSALS} ids the platform saw free); free some or widen the cluster's next-id range.`,
      );
    },
    async undo(ctx) {
      await deps.em.fork().nativeUpdate(Machine, { id: ctx.job.machine!.id }, { vmid: null });
      // A later step of this run must not see the released id on the loaded machine.
      runs.delete(ctx.job);
    },
  };

  const secrets: Step<ProvisionCheckpoint> = {
    name: 'secrets',
    weight: 1,
    timeoutMs: 30_000,
    async run(ctx) {
      const path = credentialsPath(ctx.job.machine!.id);
      if (await deps.secrets.read(path)) return;
      const creds = generateCredentials(`pvepaas-${ctx.job.machine!.id}`);
      await deps.secrets.write(path, { ...creds });
      // Kept for the create step of this run, which would otherwise read them back twice.
      (await load(ctx)).credentials = creds;
    },
    async undo(ctx) {
      await deps.secrets.destroy(credentialsPath(ctx.job.machine!.id));
    },
  };

  const viaTerraform = terraformSteps(deps, load);

  const create: Step<ProvisionCheckpoint> = {
    name: 'create',
    weight: 6,
    timeoutMs: 15 * 60_000,
    async run(ctx) {
      const loaded = await load(ctx);
      const { machine, client } = loaded;
      // The driver is chosen once per job, so a resumed or undone job keeps using the same one.
      if (!ctx.checkpoint.driver) await persist(ctx, { driver: machine.cluster!.provisioningDriver });
      if (ctx.checkpoint.driver === ProvisioningDriver.TERRAFORM) return viaTerraform.create(ctx);
      const node = ctx.checkpoint.node!;
      const vmid = ctx.checkpoint.vmid!;
      if (!ctx.checkpoint.createUpid) {
        // Proxmox refuses to create a guest on an id in use, the one a crashed run of this job
        // created included (its UPID was not saved); only then is the cluster asked who holds it.
        const vmidTaken = () =>
          new StepError(
            'VMID_TAKEN',
            `VMID ${vmid} is already used on the cluster by a guest this job did not create.`,
          );
        const creds = await credentials(loaded);
        const net = machine.network;
        const storage = machine.storage?.storageId;
        if (machine.kind === MachineKind.VM) {
          const templateMissing = () =>
            new StepError(
              'TEMPLATE_MISSING',
              `Template VM ${machine.template.sourceVmid} is not on the cluster; ask an operator to fix template ${machine.template.name}.`,
            );
          const clone = (source: { node: string; vmid?: number }) =>
            client.qemu.clone(source.node, source.vmid!, {
              newid: vmid,
              name: machine.name,
              target: node,
              full: Boolean(storage),
              storage,
            });
          // Where the template is, from a recent read of the cluster: if it moved since, the clone
          // fails and the cluster is read again.
          const seen = guestIn(await recentSnapshot(client), machine.template.sourceVmid!);
          try {
            if (!seen) throw templateMissing();
            ctx.checkpoint.createUpid = await clone(seen);
          } catch (err) {
            forgetSnapshot(client);
            const guests = await client.cluster.resources('vm');
            const find = (id: number) =>
              guests.find((r) => r.vmid === id && (r.type === 'qemu' || r.type === 'lxc')) as
                { node: string; vmid: number } | undefined;
            if (find(vmid)) throw vmidTaken();
            const source = find(machine.template.sourceVmid!);
            if (!source) throw templateMissing();
            if (seen && source.node === seen.node) throw err;
            ctx.checkpoint.createUpid = await clone(source);
          }
          // Cloud-init settings are a second call: clone takes no config (as Proxmox requires).
          ctx.checkpoint.pendingConfig = {
            cores: machine.cores,
            memory: machine.memoryMiB,
            ciuser: 'paas',
            // No password here: the checkpoint is a database column. It is added from the secret store below.
            sshkeys: [creds.sshPublicKey],
            tags: ['pvepaas', ...machine.tags],
            net: net
              ? { 0: { model: 'virtio', bridge: net.bridge, tag: net.vlanTag ?? undefined, firewall: net.firewall } }
              : undefined,
            ipconfig: { 0: net?.cidr ? { ip: net.cidr, gw: net.gateway ?? undefined } : { ip: 'dhcp' } },
            agent: true,
          };
        } else {
          ctx.checkpoint.createUpid = await client.lxc
            .create(node, {
              vmid,
              ostemplate: machine.template.osTemplate!,
              hostname: machine.name,
              password: creds.rootPassword,
              sshPublicKeys: [creds.sshPublicKey],
              cores: machine.cores,
              memory: machine.memoryMiB,
              rootfs: { volume: `${storage ?? 'local-lvm'}:${machine.diskGiB}` },
              net: {
                0: {
                  name: 'eth0',
                  bridge: net?.bridge ?? 'vmbr0',
                  ip: net?.cidr ?? 'dhcp',
                  gw: net?.gateway ?? undefined,
                  tag: net?.vlanTag ?? undefined,
                  firewall: net?.firewall ?? true,
                },
              },
              unprivileged: true,
              tags: ['pvepaas', ...machine.tags],
            } as never)
            .catch(async (err: unknown) => {
              throw (await client.cluster.findGuest(vmid)) ? vmidTaken() : err;
            });
        }
        await ctx.save();
      }
      await waitTask(ctx, client, ctx.checkpoint.createUpid, this.timeoutMs);
      if (machine.kind === MachineKind.VM && ctx.checkpoint.pendingConfig) {
        const stored = await credentials(loaded);
        await client.qemu.setConfig(node, vmid, {
          ...ctx.checkpoint.pendingConfig,
          cipassword: stored.rootPassword,
        } as never);
        await client.qemu.resize(node, vmid, 'scsi0', `${machine.diskGiB}G`).catch(async (err: Error) => {
          // Proxmox refuses to shrink; the template's disk may already be this size.
          if (!/shrink|smaller|same size/i.test(err.message)) throw err;
        });
        // Stored with the step's end: both calls above may be repeated after a crash before it.
        delete ctx.checkpoint.pendingConfig;
      }
      await ctx.progress(1, `${machine.kind === MachineKind.VM ? 'VM' : 'Container'} ${vmid} created on ${node}`);
    },
    async undo(ctx) {
      const vmid = ctx.checkpoint.vmid;
      if (!vmid) return;
      if (ctx.checkpoint.driver === ProvisioningDriver.TERRAFORM && (await viaTerraform.destroy(ctx))) return;
      const { client, api } = await load(ctx);
      // A clone or create still running (stalled, or cut off by the step's timeout) holds the
      // guest's lock: stop it first, as an operator would in the task list, then remove the guest.
      if (ctx.checkpoint.createUpid) {
        const task = await client.tasks.status(ctx.checkpoint.createUpid).catch(() => null);
        if (task?.status === 'running') {
          await client.tasks.stop(ctx.checkpoint.createUpid);
          await client.waitForTask(ctx.checkpoint.createUpid, { timeoutMs: 120_000 }).catch(() => undefined);
        }
      }
      const guest = await client.cluster.findGuest(vmid);
      if (!guest) return;
      if (guest.status === 'running')
        await client.waitForTask(await api.stop(guest.node, vmid), { timeoutMs: 120_000 });
      await client.waitForTask(await api.destroy(guest.node, vmid, { purge: true, destroyUnreferencedDisks: true }), {
        timeoutMs: 300_000,
      });
    },
  };

  const start: Step<ProvisionCheckpoint> = {
    name: 'start',
    weight: 2,
    timeoutMs: 5 * 60_000,
    async run(ctx) {
      const { client, api } = await load(ctx);
      const node = ctx.checkpoint.node!;
      const vmid = ctx.checkpoint.vmid!;
      // A start whose UPID was saved is waited for. Otherwise start; a guest already running
      // (started by a run that crashed before saving the UPID, or by Terraform) makes Proxmox
      // refuse, and only then is the cluster asked whether it runs: if so, the step is done.
      const running = async () => (await client.cluster.findGuest(vmid))?.status === 'running';
      // Terraform's modules start the guest themselves.
      if (!ctx.checkpoint.startUpid && ctx.checkpoint.driver === ProvisioningDriver.TERRAFORM && (await running()))
        return;
      try {
        if (!ctx.checkpoint.startUpid) {
          ctx.checkpoint.startUpid = await api.start(node, vmid);
          await ctx.save();
        }
        await waitTask(ctx, client, ctx.checkpoint.startUpid, this.timeoutMs);
      } catch (err) {
        if (ctx.signal.aborted || !(await running())) throw err;
        // Not a start of this job's to resume from.
        delete ctx.checkpoint.startUpid;
        await ctx.save();
      }
    },
  };

  const address: Step<ProvisionCheckpoint> = {
    name: 'address',
    weight: 2,
    timeoutMs: deps.addressTimeoutMs ?? 5 * 60_000,
    async run(ctx) {
      const loaded = await load(ctx);
      const { machine, client } = loaded;
      const node = ctx.checkpoint.node!;
      const vmid = ctx.checkpoint.vmid!;
      for (let delay = 200; !ctx.signal.aborted; delay = Math.min(delay * 2, 5000)) {
        const addresses = await guestAddresses(client, machine.kind, node, vmid).catch(() => []);
        if (addresses.length > 0) {
          await updateMachine(loaded, { ipAddresses: addresses });
          await ctx.progress(1, `Address ${addresses[0]}`);
          return;
        }
        await new Promise((r) => setTimeout(r, delay));
      }
    },
  };

  const configure = configureStep(deps, load);

  // Tenant isolation (modules/tenancy): the new guest joins its project's pool, VNet and firewall before it first starts.
  const isolate = isolateStep<ProvisionCheckpoint>({ ...deps, load });

  const steps = [place, reserve, secrets, create, isolate, start, address, configure].map((step) => ({
    ...step,
    timeoutMs: deps.stepTimeoutsMs?.[step.name] ?? step.timeoutMs,
  }));
  return {
    kind: 'provision',
    steps,
    async onFinished(em, job, status) {
      const final = status === JobStatus.SUCCEEDED ? MachineStatus.RUNNING : MachineStatus.FAILED;
      // The run's machine when its node is loaded (the event names it); else read it with its node.
      const loaded = await runs.get(job)?.catch(() => undefined);
      runs.delete(job);
      if (loaded && (!loaded.machine.node || wrap(loaded.machine.node).isInitialized())) {
        await updateMachine(loaded, { status: final });
        await publishMachineEvent(deps.pubsub, machineEvent(loaded.machine));
        return;
      }
      const machine = await em.findOneOrFail(Machine, { id: job.machine!.id }, { populate: ['node'] });
      machine.status = final;
      await em.flush();
      await publishMachineEvent(deps.pubsub, machineEvent(machine));
    },
  };
}

/** Proxmox's largest VMID. */
const MAX_VMID = 999_999_999;
/** Ids Proxmox calls taken that neither its resource list nor the database showed: something is off. */
const MAX_PROXMOX_REFUSALS = 50;

/** The free id `skip` free ids after the lowest free one at or above `from` (undefined: none left). */
export function freeVmid(from: number, used: ReadonlySet<number>, skip: number): number | undefined {
  let last: number | undefined;
  for (let id = from, seen = 0; id <= MAX_VMID; id++) {
    if (used.has(id)) continue;
    last = id;
    if (seen++ === skip) return id;
  }
  // Fewer than `skip` free ids remain: the last of them.
  return last;
}

/** The guest's IPv4 addresses (not loopback): from the guest agent for VMs, the interfaces for LXC. */
async function guestAddresses(client: ProxmoxClient, kind: MachineKind, node: string, vmid: number): Promise<string[]> {
  const interfaces =
    kind === MachineKind.VM
      ? await client.qemu.agentNetworkInterfaces(node, vmid)
      : await client.lxc.interfaces(node, vmid);
  const out: string[] = [];
  for (const i of interfaces) {
    if (i.name === 'lo') continue;
    for (const a of i['ip-addresses'] ?? [])
      if (a['ip-address-type'] === 'ipv4' && !a['ip-address'].startsWith('127.')) out.push(a['ip-address']);
    const inet = 'inet' in i ? (i as { inet?: string }).inet : undefined;
    if (inet && !out.includes(inet.split('/')[0]!)) out.push(inet.split('/')[0]!);
  }
  return out;
}
