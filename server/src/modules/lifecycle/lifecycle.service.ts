// Accepting lifecycle jobs (orchestration/PROTOCOL.md): find the machine the caller may see, check
// the privilege, then in one transaction lock the machine's row, refuse a second job on it or a
// transition its status does not allow, run the operation's own checks, and write the job.
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { MikroORM } from '@mikro-orm/postgresql';
import { Privilege } from '../../auth/privileges.js';
import { DomainError, Errors } from '../../errors/domain-error.js';
import { requireViewer, type Context } from '../../graphql/context.js';
import type { Services } from '../../services.js';
import { Job, JobStatus } from '../job/job.entity.js';
import { createJobInTransaction } from '../job/job.service.js';
import { Machine, MachineStatus } from '../machine/machine.entity.js';
import { projectScope } from '../project/project.access.js';
import { createClusterClients, type ClusterClients } from '../provision/cluster-clients.js';

export type LifecycleKind =
  | 'start'
  | 'shutdown'
  | 'stop'
  | 'reboot'
  | 'suspend'
  | 'resume'
  | 'resize'
  | 'snapshot'
  | 'snapshotRollback'
  | 'snapshotDelete'
  | 'migrate'
  | 'delete';

const { RUNNING, STOPPED, SUSPENDED, PENDING, FAILED, MISSING } = MachineStatus;

/** The statuses each operation starts from. */
export const ALLOWED_FROM: Record<LifecycleKind, readonly MachineStatus[]> = {
  start: [STOPPED],
  shutdown: [RUNNING],
  stop: [RUNNING, SUSPENDED],
  reboot: [RUNNING],
  suspend: [RUNNING],
  resume: [SUSPENDED],
  resize: [RUNNING, STOPPED],
  snapshot: [RUNNING, STOPPED, SUSPENDED],
  snapshotRollback: [RUNNING, STOPPED, SUSPENDED],
  snapshotDelete: [RUNNING, STOPPED, SUSPENDED],
  migrate: [RUNNING, STOPPED],
  // PROVISIONING or DELETING without a job in progress: that job was cancelled before it ran.
  delete: [RUNNING, STOPPED, SUSPENDED, PENDING, FAILED, MISSING, MachineStatus.PROVISIONING, MachineStatus.DELETING],
};

const ACTIVE_JOB = [JobStatus.QUEUED, JobStatus.RUNNING, JobStatus.CANCELLING, JobStatus.ROLLING_BACK];

const WHAT: Record<LifecycleKind, string> = {
  start: 'start',
  shutdown: 'shut down',
  stop: 'stop',
  reboot: 'reboot',
  suspend: 'suspend',
  resume: 'resume',
  resize: 'resize',
  snapshot: 'snapshot',
  snapshotRollback: 'roll back',
  snapshotDelete: 'delete a snapshot of',
  migrate: 'migrate',
  delete: 'delete',
};

/** Messages of refused lifecycle requests, in one place. */
export const LifecycleError = {
  busy: (machine: Machine, job: Job) =>
    Errors.conflict(
      `Machine ${machine.name} has a ${job.kind} job in progress (${job.id}, ${job.status.toLowerCase()});`,
      'wait for it to finish or cancel it, then try again.',
    ),
  transition: (machine: Machine, kind: LifecycleKind) => {
    const s = machine.status;
    if (kind === 'start' && s === RUNNING)
      return Errors.conflict(`Machine ${machine.name} is already running;`, 'there is nothing to start.');
    if ((kind === 'stop' || kind === 'shutdown') && s === STOPPED)
      return Errors.conflict(`Machine ${machine.name} is already stopped;`, `there is nothing to ${WHAT[kind]}.`);
    if (s === SUSPENDED && (kind === 'start' || kind === 'shutdown' || kind === 'reboot'))
      return Errors.conflict(`Machine ${machine.name} is suspended;`, 'resume it first (or stop it).');
    if (s === MachineStatus.PROVISIONING)
      return Errors.conflict(
        `Machine ${machine.name} is being provisioned;`,
        `wait for its provision job to finish before you ${WHAT[kind]} it.`,
      );
    if (s === MachineStatus.DELETING)
      return Errors.conflict(
        `Machine ${machine.name} is being deleted;`,
        'no other operation is possible (if its delete job was cancelled, delete it again).',
      );
    const allowed = ALLOWED_FROM[kind].map((x) => x.toLowerCase()).join(' or ');
    return Errors.conflict(
      `Machine ${machine.name} is ${s.toLowerCase()};`,
      `you can only ${WHAT[kind]} a machine that is ${allowed}.`,
    );
  },
  vmOnly: (machine: Machine, kind: LifecycleKind) =>
    Errors.conflict(
      `Machine ${machine.name} is an LXC container;`,
      `only VMs can ${kind} (containers have no suspend to RAM here): stop it instead.`,
    ),
  cannotShrink: (current: number, requested: number) =>
    Errors.invalid(
      'input.diskGiB',
      `Proxmox cannot shrink disks: the disk has ${current} GiB and ${requested} GiB was asked; ask for ${current} GiB or more.`,
    ),
  nothingToResize: () =>
    Errors.invalid('input', 'give at least one of cores, memoryMiB or diskGiB different from the current size'),
  snapshotExists: (machine: Machine, name: string) =>
    Errors.conflict(
      `Machine ${machine.name} already has a snapshot named ${name};`,
      'choose another name or delete the old snapshot first.',
    ),
  snapshotMissing: (machine: Machine, name: string) =>
    new DomainError(
      'NOT_FOUND',
      `Machine ${machine.name} has no snapshot named ${name}; list them with the machine's snapshots field.`,
      {
        entity: 'Snapshot',
        id: name,
      },
    ),
  sameNode: (node: string) =>
    Errors.invalid('input.targetNode', `the machine already runs on ${node}; choose another node`),
  unknownNode: (node: string, nodes: string[]) =>
    Errors.invalid('input.targetNode', `no node ${node} in this cluster (nodes: ${nodes.join(', ')})`),
  nodeOffline: (node: string) => Errors.conflict(`Node ${node} is offline;`, 'choose an online node.'),
  nodeInMaintenance: (node: string) =>
    Errors.conflict(
      `Node ${node} is in maintenance;`,
      'choose another node or ask an operator to end the maintenance.',
    ),
  notOnProxmox: (machine: Machine) =>
    Errors.conflict(
      `Machine ${machine.name} has no guest on Proxmox yet;`,
      'only delete is possible until it is provisioned.',
    ),
};

export const PRIVILEGE: Record<LifecycleKind, Privilege> = {
  start: Privilege.MachinePowerMgmt,
  shutdown: Privilege.MachinePowerMgmt,
  stop: Privilege.MachinePowerMgmt,
  reboot: Privilege.MachinePowerMgmt,
  suspend: Privilege.MachinePowerMgmt,
  resume: Privilege.MachinePowerMgmt,
  resize: Privilege.MachineConfig,
  snapshot: Privilege.MachineSnapshot,
  snapshotRollback: Privilege.MachineSnapshot,
  snapshotDelete: Privilege.MachineSnapshot,
  migrate: Privilege.MachineAllocate,
  delete: Privilege.MachineDelete,
};

export interface LifecycleRequest {
  kind: LifecycleKind;
  machineId: string;
  idempotencyKey?: string;
  /** Stored on the job; compared for idempotency. */
  params: Record<string, unknown>;
  /**
   * The operation's own checks and row changes, inside the transaction, with the machine locked
   * (project, organization, cluster and node populated). What it returns is stored as the job's
   * `params.prior` (e.g. the sizes before a resize, for its rollback).
   */
  prepare?(em: EntityManager, machine: Machine): Promise<Record<string, unknown> | void>;
}

/** A machine the caller may see (Machine.Audit), or NOT_FOUND. */
export async function findVisibleMachine(ctx: Context, id: string): Promise<Machine> {
  const viewer = requireViewer(ctx);
  const machine = await ctx.em.findOne(Machine, { id }, { populate: ['project'] });
  if (!machine || !viewer.can(Privilege.MachineAudit, projectScope(machine.project)))
    throw Errors.notFound('Machine', id);
  return machine;
}

/** Validates, authorises and writes a lifecycle job in one transaction; returns the job. */
export async function requestLifecycleJob(ctx: Context, request: LifecycleRequest): Promise<Job> {
  const viewer = requireViewer(ctx);
  const visible = await findVisibleMachine(ctx, request.machineId);
  viewer.require(PRIVILEGE[request.kind], projectScope(visible.project), 'this machine');
  return ctx.em.transactional(async (em) => {
    const machine = await em.findOneOrFail(
      Machine,
      { id: visible.id },
      { lockMode: LockMode.PESSIMISTIC_WRITE, populate: ['project.organization', 'cluster', 'node'] },
    );
    const newJob = (params: Record<string, unknown>) =>
      createJobInTransaction(em, ctx.services.jobs, {
        kind: request.kind,
        project: machine.project,
        machine,
        requestedBy: viewer.user,
        params,
        idempotencyKey: request.idempotencyKey,
      }).then((r) => r.job);
    const params = { machineId: machine.id, ...request.params };
    if (request.idempotencyKey) {
      // A repeated request gets its job back whatever happened since (or CONFLICT for other parameters).
      const existing = await em.findOne(Job, { requestedBy: viewer.id, idempotencyKey: request.idempotencyKey });
      if (existing)
        return newJob(existing.params.prior === undefined ? params : { ...params, prior: existing.params.prior });
    }
    const active = await em.findOne(
      Job,
      { machine: machine.id, status: { $in: ACTIVE_JOB } },
      { orderBy: { createdAt: 'DESC' } },
    );
    // A provision or delete in progress is the machine's state; any other job just makes it busy.
    if (active)
      throw active.kind === 'provision' || active.kind === 'delete'
        ? LifecycleError.transition(machine, request.kind)
        : LifecycleError.busy(machine, active);
    if (!ALLOWED_FROM[request.kind].includes(machine.status)) throw LifecycleError.transition(machine, request.kind);
    if (request.kind !== 'delete' && (!machine.vmid || !machine.cluster)) throw LifecycleError.notOnProxmox(machine);
    const prior = await request.prepare?.(em, machine);
    await em.flush();
    return newJob(prior ? { ...params, prior } : params);
  });
}

// The API builds Proxmox clients lazily, one registry per running app (Services has none yet; see
// the lifecycle report): for the snapshot list and the checks made before accepting a job.
const apiClients = new WeakMap<Services, ClusterClients>();

export function clusterClients(ctx: Context): ClusterClients {
  let clients = apiClients.get(ctx.services);
  if (!clients) {
    // createClusterClients only forks `orm.em`; a fork of this request's manager serves the same.
    const orm = { em: ctx.em.fork() } as unknown as MikroORM;
    clients = createClusterClients(orm, ctx.services.secrets, ctx.log);
    apiClients.set(ctx.services, clients);
  }
  return clients;
}
