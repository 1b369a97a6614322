import { getClient } from '@/lib/apollo/apollo.rsc';
import { MachineQuery } from './machines.documents';
import { Privilege } from '@/features/access/access';
import { privilegesIn, projectAccess, projectsWith } from '@/features/access/access.server';

/** A project the viewer may create machines in. */
export interface AllocatableProject {
  id: string;
  name: string;
  organizationName: string;
}

/** The projects in which the signed-in user holds Machine.Allocate (from myPrivileges). */
export async function getAllocatableProjects(): Promise<AllocatableProject[]> {
  return (await getMachineAccess()).allocatable;
}

export interface MachineAccess {
  /** Every project the viewer can see (for live machine events). */
  visibleProjectIds: string[];
  /** The projects where the viewer holds Machine.Allocate. */
  allocatable: AllocatableProject[];
  /** Per machine-page action, the projects where the viewer holds its privilege. */
  powerProjectIds: string[];
  snapshotProjectIds: string[];
  configProjectIds: string[];
  deleteProjectIds: string[];
}

export async function getMachineAccess(): Promise<MachineAccess> {
  const access = await projectAccess();
  return {
    visibleProjectIds: access.map((p) => p.id),
    allocatable: access
      .filter((p) => p.privileges.includes(Privilege.MachineAllocate))
      .map(({ id, name, organizationName }) => ({ id, name, organizationName })),
    powerProjectIds: projectsWith(access, Privilege.MachinePowerMgmt),
    snapshotProjectIds: projectsWith(access, Privilege.MachineSnapshot),
    configProjectIds: projectsWith(access, Privilege.MachineConfig),
    deleteProjectIds: projectsWith(access, Privilege.MachineDelete),
  };
}

/**
 * What the viewer may do to one machine, from myPrivileges in its project. The project comes from the
 * query the page preloads anyway (the request shares one cache); a machine it cannot see gets nothing
 * (the page shows the API's NOT_FOUND).
 */
export async function machineCan(machineId: string): Promise<{ power: boolean; snapshot: boolean; config: boolean }> {
  const client = await getClient();
  const { data } = await client.query({ query: MachineQuery, variables: { id: machineId }, errorPolicy: 'all' });
  const projectId = data?.machine?.project.id;
  if (!projectId) return { power: false, snapshot: false, config: false };
  const held = await privilegesIn({ projectId });
  return {
    power: held.has(Privilege.MachinePowerMgmt),
    snapshot: held.has(Privilege.MachineSnapshot),
    config: held.has(Privilege.MachineConfig),
  };
}
