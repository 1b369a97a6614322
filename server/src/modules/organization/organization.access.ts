import { Errors } from '../../errors/domain-error.js';
import { requireViewer, type Context } from '../../graphql/context.js';
import { Organization } from './organization.entity.js';

/** An organization the viewer belongs to (in any role or project), or NOT_FOUND. */
export async function findVisibleOrganization(ctx: Context, id: string): Promise<Organization> {
  const viewer = requireViewer(ctx);
  const org = await ctx.em.findOne(Organization, { id });
  if (!org || !(viewer.isPlatformAdmin || viewer.memberOf(org.id))) throw Errors.notFound('Organization', id);
  return org;
}
