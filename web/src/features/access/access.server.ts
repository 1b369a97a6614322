import { getClient } from '@/lib/apollo/apollo.rsc';
import { MyPrivilegesQuery, VisibleProjectsQuery } from './access.documents';
import type { Privilege } from './access';

export interface ProjectAccess {
  id: string;
  name: string;
  organizationId: string;
  organizationName: string;
  /** What the viewer may do in this project (myPrivileges). */
  privileges: readonly string[];
}

/**
 * The privileges of the signed-in user in one place, as the API reports them (`myPrivileges`). The UI
 * hides what would be refused; the API checks again on every request. Queries share the request's
 * Apollo cache, so asking twice in one render costs nothing.
 */
export async function privilegesIn(where: { organizationId?: string; projectId?: string } = {}): Promise<Set<string>> {
  const client = await getClient();
  const { data } = await client.query({ query: MyPrivilegesQuery, variables: where });
  return new Set(data?.myPrivileges ?? []);
}

export async function isPlatformAdmin(): Promise<boolean> {
  return (await privilegesIn()).has('Platform.Admin' satisfies Privilege);
}

/** Every project the viewer can see, each with the viewer's privileges there. */
export async function projectAccess(): Promise<ProjectAccess[]> {
  const client = await getClient();
  const { data } = await client.query({ query: VisibleProjectsQuery });
  const projects = data?.projects.edges.map(({ node }) => node) ?? [];
  return Promise.all(
    projects.map(async (p) => ({
      id: p.id,
      name: p.name,
      organizationId: p.organization.id,
      organizationName: p.organization.name,
      privileges: [...(await privilegesIn({ projectId: p.id }))],
    })),
  );
}

/** Ids of the projects where the viewer holds `privilege`. */
export function projectsWith(access: readonly ProjectAccess[], privilege: Privilege): string[] {
  return access.filter((p) => p.privileges.includes(privilege)).map((p) => p.id);
}
