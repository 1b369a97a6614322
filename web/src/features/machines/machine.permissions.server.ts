import { CombinedGraphQLErrors } from '@apollo/client/errors';
import { getClient } from '@/lib/apollo/apollo.rsc';
import type { Role } from '@/gql/graphql';
import { AllocateProbeMutation, MachinePermissionsQuery, OrganizationMembersQuery } from './machines.documents';

/** A project the viewer may create machines in. */
export interface AllocatableProject {
  id: string;
  name: string;
  organizationName: string;
}

// The roles that hold Machine.Allocate (server/src/auth/privileges.ts): every role but VIEWER. The same
// roles hold Machine.PowerMgmt and Machine.Delete, so one answer serves the create button and the
// machine page's actions.
const ALLOCATING_ROLES: ReadonlySet<Role> = new Set<Role>(['OPERATOR', 'ADMIN', 'OWNER']);

/**
 * The projects in which the signed-in user holds Machine.Allocate. The API has no "my privileges"
 * field, so this reads the viewer's roles where it can: platform admins may everything, organization
 * members (any role with Organization.Audit) see their own memberships among the organization's
 * members. Members of single projects may not read the organization's members; for those projects a
 * probe asks the API itself (see AllocateProbeMutation). The API checks again on every request.
 */
export async function getAllocatableProjects(): Promise<AllocatableProject[]> {
  return (await getMachineAccess()).allocatable;
}

export interface MachineAccess {
  /** Every project the viewer can see (for live machine events). */
  visibleProjectIds: string[];
  /** The projects where the viewer holds Machine.Allocate (and PowerMgmt, Delete). */
  allocatable: AllocatableProject[];
}

export async function getMachineAccess(): Promise<MachineAccess> {
  const client = await getClient();
  const { data } = await client.query({ query: MachinePermissionsQuery });
  if (!data?.viewer) return { visibleProjectIds: [], allocatable: [] };
  const viewer = data.viewer;
  const projects = data.projects.edges.map(({ node }) => ({
    id: node.id,
    name: node.name,
    organizationId: node.organization.id,
    organizationName: node.organization.name,
  }));
  const visibleProjectIds = projects.map((p) => p.id);
  if (viewer.isPlatformAdmin) return { visibleProjectIds, allocatable: projects.map(strip) };

  // The viewer's grants per organization, or null where the members may not be read.
  const organizationIds = [...new Set(projects.map((p) => p.organizationId))];
  const grants = new Map(
    await Promise.all(organizationIds.map(async (id) => [id, await grantsIn(id, viewer.id)] as const)),
  );
  const allowed = await Promise.all(
    projects.map(async (project) => {
      const held = grants.get(project.organizationId);
      if (!held) return probe(project.id);
      return held.some((g) => ALLOCATING_ROLES.has(g.role) && (g.projectId === null || g.projectId === project.id));
    }),
  );
  return { visibleProjectIds, allocatable: projects.filter((_, index) => allowed[index]).map(strip) };
}

async function grantsIn(
  organizationId: string,
  viewerId: string,
): Promise<{ role: Role; projectId: string | null }[] | null> {
  const client = await getClient();
  try {
    const { data } = await client.query({ query: OrganizationMembersQuery, variables: { id: organizationId } });
    if (!data) return null;
    return data.organization.members
      .filter((m) => m.user.id === viewerId)
      .map((m) => ({ role: m.role, projectId: m.project?.id ?? null }));
  } catch (error) {
    // FORBIDDEN: a project-only member. Anything else: also unknown; the probe decides.
    if (CombinedGraphQLErrors.is(error)) return null;
    throw error;
  }
}

async function probe(projectId: string): Promise<boolean> {
  const client = await getClient();
  try {
    await client.mutate({ mutation: AllocateProbeMutation, variables: { projectId } });
    // Cannot succeed with a template that does not exist; if it ever does, the API let it through.
    return true;
  } catch (error) {
    if (!CombinedGraphQLErrors.is(error)) return false;
    const codes = error.errors.map((e) => e.extensions?.['code']);
    // BAD_USER_INPUT on the template: the privilege check passed. FORBIDDEN (or anything else): hide.
    return codes.length > 0 && codes.every((code) => code === 'BAD_USER_INPUT');
  }
}

function strip({ id, name, organizationName }: AllocatableProject & { organizationId: string }): AllocatableProject {
  return { id, name, organizationName };
}
