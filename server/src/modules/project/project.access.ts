import type { FilterQuery } from '@mikro-orm/core';
import { Privilege } from '../../auth/privileges.js';
import type { Viewer } from '../../auth/viewer.js';
import { Errors } from '../../errors/domain-error.js';
import { ConnectionType } from '../../graphql/connection.js';
import { requireViewer, type Context } from '../../graphql/context.js';
import { Project } from './project.entity.js';

export const ProjectConnection = ConnectionType(Project, 'Project');

/** SQL filter for the projects in which the viewer holds `privilege`. */
export function projectVisibilityFilter(
  viewer: Viewer,
  privilege: Privilege = Privilege.ProjectAudit,
): FilterQuery<Project> {
  const v = viewer.visibility(privilege);
  if (v.all) return {};
  return { $or: [{ organization: { $in: v.organizationIds } }, { id: { $in: v.projectIds } }] };
}

export const projectScope = (p: Project) => ({ organizationId: p.organization.id, projectId: p.id });

/** A project the viewer may see, or NOT_FOUND (never FORBIDDEN, which would confirm it exists). */
export async function findVisibleProject(ctx: Context, id: string): Promise<Project> {
  const viewer = requireViewer(ctx);
  const project = await ctx.em.findOne(Project, { id });
  if (!project || !viewer.can(Privilege.ProjectAudit, projectScope(project))) throw Errors.notFound('Project', id);
  return project;
}
