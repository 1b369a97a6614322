// A usage report for an organization (all its projects) or one project, and its CSV form.
import type { EntityManager } from '@mikro-orm/postgresql';
import { Privilege } from '../../auth/privileges.js';
import type { Viewer } from '../../auth/viewer.js';
import { Errors } from '../../errors/domain-error.js';
import { Machine } from '../machine/machine.entity.js';
import { metricsDb } from '../metrics/metrics.db.js';
import { Organization } from '../organization/organization.entity.js';
import { Project } from '../project/project.entity.js';
import { projectScope } from '../project/project.access.js';
import { machineUsage, sumFigures } from './report.service.js';
import type { UsageReport } from './report.types.js';

const MAX_SPAN_MS = 400 * 86_400_000;

export interface ReportRequest {
  organizationId?: string | null;
  projectId?: string | null;
  from: Date;
  to: Date;
}

/**
 * Authorises and builds the report. A project needs Project.Audit on it, an organization
 * Organization.Audit; what the caller may not see answers NOT_FOUND.
 */
export async function buildUsageReport(em: EntityManager, viewer: Viewer, req: ReportRequest): Promise<UsageReport> {
  let projects: Project[];
  if (req.projectId) {
    const project = await em.findOne(Project, { id: req.projectId }, { populate: ['organization'] });
    if (
      !project ||
      !viewer.can(Privilege.ProjectAudit, projectScope(project)) ||
      (req.organizationId && project.organization.id !== req.organizationId)
    )
      throw Errors.notFound('Project', req.projectId);
    projects = [project];
  } else if (req.organizationId) {
    const org = await em.findOne(Organization, { id: req.organizationId });
    if (!org || !viewer.can(Privilege.OrganizationAudit, { organizationId: org.id }))
      throw Errors.notFound('Organization', req.organizationId);
    projects = await em.find(Project, { organization: org.id }, { orderBy: { name: 'ASC' } });
  } else {
    throw Errors.invalid('organizationId', 'name an organization or a project');
  }
  if (Number.isNaN(req.from.getTime()) || Number.isNaN(req.to.getTime()))
    throw Errors.invalid('from', 'must be an ISO-8601 instant');
  if (!(req.to > req.from)) throw Errors.invalid('to', 'must be after from');
  if (req.to.getTime() - req.from.getTime() > MAX_SPAN_MS)
    throw Errors.invalid('to', 'a report spans at most 400 days');

  const machines = await em.find(
    Machine,
    { project: { $in: projects.map((p) => p.id) }, vmid: { $ne: null }, cluster: { $ne: null } },
    { orderBy: { name: 'ASC' } },
  );
  const usage = await machineUsage(
    metricsDb(em),
    machines.map((m) => ({
      machineId: m.id,
      name: m.name,
      projectId: m.project.id,
      clusterId: m.cluster!.id,
      vmid: m.vmid!,
      since: m.createdAt,
      gpus: 0,
    })),
    req.from,
    req.to,
  );
  const byMachine = new Map(usage.map((u) => [u.machineId, u]));
  const lines = projects.map((p) => {
    const own = machines
      .filter((m) => m.project.id === p.id)
      .map((m) => ({ ...byMachine.get(m.id)!, machineId: m.id, name: m.name }));
    return { projectId: p.id, name: p.name, totals: sumFigures(own), machines: own };
  });
  return {
    from: req.from,
    to: req.to,
    organizationId: req.projectId ? null : (req.organizationId ?? null),
    projectId: req.projectId ?? null,
    totals: sumFigures(lines.map((l) => l.totals)),
    projects: lines,
  };
}

const FIGURES = ['coreHours', 'memoryGiBHours', 'diskGiBDays', 'machineHours', 'gpuHours'] as const;

/** RFC 4180: quoted when needed; a leading =, +, - or @ is neutralised so spreadsheets do not run it. */
function cell(v: string | number): string {
  let s = typeof v === 'number' ? String(Math.round(v * 1e6) / 1e6) : v;
  if (/^[=+\-@]/.test(s) && typeof v === 'string') s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

export function usageCsv(report: UsageReport): string {
  const head = [
    'project_id',
    'project',
    'machine_id',
    'machine',
    ...FIGURES.map((f) => f.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)),
  ];
  const rows: (string | number)[][] = [];
  for (const p of report.projects) {
    for (const m of p.machines) rows.push([p.projectId, p.name, m.machineId, m.name, ...FIGURES.map((f) => m[f])]);
    rows.push([p.projectId, p.name, '', '(project total)', ...FIGURES.map((f) => p.totals[f])]);
  }
  rows.push(['', '(total)', '', '', ...FIGURES.map((f) => report.totals[f])]);
  return [head, ...rows].map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
}
