/** Privilege names as the API spells them (server/src/auth/privileges.ts). */
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

/** Every privilege, in the API's order, for the API token scope picker. */
export const ALL_PRIVILEGES: readonly Privilege[] = Object.values(Privilege);
