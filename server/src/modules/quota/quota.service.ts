// Quotas are checked in one place, before any machine is accepted. The caller holds a row lock on
// the project (see MachineService.create), so concurrent requests cannot both squeeze under a limit.
import { raw } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Errors } from '../../errors/domain-error.js';
import { Machine } from '../machine/machine.entity.js';
import type { Quota } from '../organization/quota.embeddable.js';
import type { Project } from '../project/project.entity.js';

export interface ResourceRequest {
  machines: number;
  cores: number;
  memoryMiB: number;
  diskGiB: number;
  gpus: number;
}

type Usage = ResourceRequest;

/** What the machines matching `where` hold now (a project's, or an organization's). */
export async function usage(em: EntityManager, where: Record<string, unknown>): Promise<Usage> {
  const qb = em
    .createQueryBuilder(Machine, 'm')
    .select([
      raw('count(*)::int as machines'),
      raw('coalesce(sum(m.cores), 0)::int as cores'),
      raw('coalesce(sum(m.memory_mib), 0)::bigint as memory_mib'),
      raw('coalesce(sum(m.disk_gib), 0)::bigint as disk_gib'),
    ]);
  qb.where(where);
  // Unmapped: mapping would rename the memory_mib/disk_gib aliases to the entity's property names,
  // and the sums would read as NaN, which passes every comparison (the quota never refuses).
  const row = (await qb.execute('get', false)) as unknown as Record<string, string | number>;
  return {
    machines: Number(row.machines),
    cores: Number(row.cores),
    memoryMiB: Number(row.memory_mib),
    diskGiB: Number(row.disk_gib),
    // GPUs are counted once GPU passthrough lands; no machine holds one yet.
    gpus: 0,
  };
}

/** The limits a quota sets, by resource; an unset one (null) does not limit. */
function limitsOf(quota: Quota): [keyof ResourceRequest, number][] {
  const all: [keyof ResourceRequest, number | null | undefined][] = [
    ['machines', quota.machines],
    ['cores', quota.cores],
    ['memoryMiB', quota.memoryMiB],
    ['diskGiB', quota.diskGiB],
    ['gpus', quota.gpus],
  ];
  return all.filter((limit): limit is [keyof ResourceRequest, number] => limit[1] !== null && limit[1] !== undefined);
}

function check(scope: string, quota: Quota, used: Usage, request: ResourceRequest): void {
  for (const [key, max] of limitsOf(quota)) {
    if (used[key] + request[key] > max) throw Errors.quotaExceeded(`${scope}.${key}`, max, used[key], request[key]);
  }
}

/** Throws QUOTA_EXCEEDED naming the limit and the current use, if the request would pass a limit. */
export async function assertWithinQuota(em: EntityManager, project: Project, request: ResourceRequest): Promise<void> {
  const org = project.organization;
  // A scope without any limit cannot refuse: its sum is not read (it would run under the project's
  // row lock, on every request of a burst, for nothing).
  const [projectUse, orgUse] = await Promise.all([
    hasLimit(project.quota) ? usage(em, { project: project.id }) : null,
    hasLimit(org.quota) ? usage(em, { project: { organization: org.id } }) : null,
  ]);
  if (projectUse) check('project', project.quota, projectUse, request);
  if (orgUse) check('organization', org.quota, orgUse, request);
}

function hasLimit(quota: Quota): boolean {
  return limitsOf(quota).length > 0;
}
