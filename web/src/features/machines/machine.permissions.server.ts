import { CombinedGraphQLErrors } from '@apollo/client/errors';
import { getClient } from '@/lib/apollo/apollo.rsc';
import type { MachinePermissionsQuery as MachinePermissionsResult, Role } from '@/gql/graphql';
import { AllocateProbeMutation, MachinePermissionsQuery } from './machines.documents';

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
  // errorPolicy 'all': an organization whose members are FORBIDDEN comes back as a null field.
  const { data } = await client.query({ query: MachinePermissionsQuery, errorPolicy: 'all' });
  if (!data?.viewer) return { visibleProjectIds: [], allocatable: [] };
  return {
    visibleProjectIds: data.projects.edges.map(({ node }) => node.id),
    allocatable: await allocatableOf(data),
  };
}

async function allocatableOf(data: MachinePermissionsResult): Promise<AllocatableProject[]> {
  const viewerId = data.viewer?.id;
  const projects = data.projects.edges.map(({ node }) => ({
    id: node.id,
    name: node.name,
    organizationId: node.organization.id,
    organizationName: node.organization.name,
  }));
  if (data.viewer?.isPlatformAdmin) return projects.map(strip);

  const readable = new Map<string, { role: Role; projectId: string | null }[]>();
  for (const { node } of data.organizations?.edges ?? []) {
    if (!node?.members) continue;
    readable.set(
      node.id,
      node.members
        .filter((m) => m.user.id === viewerId)
        .map((m) => ({ role: m.role, projectId: m.project?.id ?? null })),
    );
  }

  const allowed = await Promise.all(
    projects.map(async (project) => {
      const grants = readable.get(project.organizationId);
      if (grants) {
        return grants.some((g) => ALLOCATING_ROLES.has(g.role) && (g.projectId === null || g.projectId === project.id));
      }
      return probe(project.id);
    }),
  );
  return projects.filter((_, index) => allowed[index]).map(strip);
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
