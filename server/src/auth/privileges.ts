// Privileges, modelled on Proxmox VE's (VM.Audit, VM.Console, ...), and the roles that bundle them.
// Every authorisation decision in the platform goes through `Viewer.can` with one of these.
import { Role } from '../modules/membership/membership.entity.js';

export const Privilege = {
  OrganizationAudit: 'Organization.Audit',
  OrganizationAdmin: 'Organization.Admin',
  OrganizationOwner: 'Organization.Owner',
  ProjectAudit: 'Project.Audit',
  ProjectAdmin: 'Project.Admin',
  MachineAudit: 'Machine.Audit',
  MachineAllocate: 'Machine.Allocate',
  MachineConfig: 'Machine.Config',
  MachinePowerMgmt: 'Machine.PowerMgmt',
  MachineConsole: 'Machine.Console',
  MachineSnapshot: 'Machine.Snapshot',
  MachineDelete: 'Machine.Delete',
  PlatformAdmin: 'Platform.Admin',
} as const;
export type Privilege = (typeof Privilege)[keyof typeof Privilege];

const viewer: Privilege[] = [Privilege.OrganizationAudit, Privilege.ProjectAudit, Privilege.MachineAudit];
const operator: Privilege[] = [
  ...viewer,
  Privilege.MachineAllocate,
  Privilege.MachineConfig,
  Privilege.MachinePowerMgmt,
  Privilege.MachineConsole,
  Privilege.MachineSnapshot,
  Privilege.MachineDelete,
];
const admin: Privilege[] = [...operator, Privilege.ProjectAdmin, Privilege.OrganizationAdmin];

export const rolePrivileges: Record<Role, ReadonlySet<Privilege>> = {
  [Role.VIEWER]: new Set(viewer),
  [Role.OPERATOR]: new Set(operator),
  [Role.ADMIN]: new Set(admin),
  [Role.OWNER]: new Set([...admin, Privilege.OrganizationOwner]),
};

/** What an API token with no scopes may do: read. */
export const readOnlyPrivileges: ReadonlySet<Privilege> = new Set(viewer);
