import { Errors } from '../errors/domain-error.js';
import type { Role } from '../modules/membership/membership.entity.js';
import type { User } from '../modules/user/user.entity.js';
import { Privilege, readOnlyPrivileges, rolePrivileges } from './privileges.js';

export interface Grant {
  organizationId: string;
  /** null: the role holds in every project of the organization. */
  projectId: string | null;
  role: Role;
  /** The organization requires a second factor of its members (auth/mfa-policy.ts). */
  requireMfa?: boolean;
}

/**
 * A revocable credential: an API token, or a sign-in's session family (the `sid` of its access
 * tokens). Tokens the platform mints itself (tests, benchmarks, consoles) have none.
 */
export type Credential = { apiTokenId: string } | { sessionFamilyId: string };

/** Where a privilege is checked: an organization, optionally narrowed to one of its projects. */
export interface Scope {
  organizationId: string;
  projectId?: string | null;
}

/** What authorisation checks need of the user. */
export interface UserFacts {
  readonly id: string;
  readonly isPlatformAdmin: boolean;
  readonly totpEnabledAt?: Date | null;
}

/** A user known by its facts, whose entity is made only if a resolver asks for it (auth/viewer-cache.ts). */
export class LazyUser {
  constructor(
    readonly facts: UserFacts,
    readonly load: () => User,
  ) {}
}

/**
 * The caller of one request: who, with which roles where, and (for API tokens) which scopes.
 * Built once per request from one query; every check is then in memory.
 */
export class Viewer {
  private loaded: User | null;
  private readonly facts: UserFacts;
  private readonly load: (() => User) | null;

  constructor(
    user: User | LazyUser,
    private readonly grants: Grant[],
    /** API token scopes; null for a browser session (all of the user's privileges). */
    private readonly tokenScopes: ReadonlySet<string> | null = null,
    /** What the caller signed in with, where it can be revoked: live checks ask whether it still works. */
    readonly credential: Credential | null = null,
  ) {
    if (user instanceof LazyUser) {
      this.loaded = null;
      this.facts = user.facts;
      this.load = user.load;
    } else {
      this.loaded = user;
      this.facts = user;
      this.load = null;
    }
  }

  /** The user entity, in this request's EntityManager (materialised on first use for a cached caller). */
  get user(): User {
    return (this.loaded ??= this.load!());
  }

  /** What the checks read: the entity once there is one, else the cached facts. */
  private get self(): UserFacts {
    return this.loaded ?? this.facts;
  }

  get id(): string {
    return this.self.id;
  }

  /** True when the caller authenticated with a personal API token (not a session). */
  get isApiToken(): boolean {
    return this.tokenScopes !== null;
  }

  /** Member of an organization that requires a second factor, without one: may only enrol (auth/mfa-policy.ts). */
  get mfaEnrolmentRequired(): boolean {
    return !this.self.totpEnabledAt && this.grants.some((g) => g.requireMfa);
  }

  get isPlatformAdmin(): boolean {
    return this.self.isPlatformAdmin && this.tokenAllows(Privilege.PlatformAdmin);
  }

  can(privilege: Privilege, scope?: Scope): boolean {
    if (!this.tokenAllows(privilege)) return false;
    if (this.self.isPlatformAdmin) return true;
    if (!scope) return false;
    return this.grants.some(
      (g) =>
        g.organizationId === scope.organizationId &&
        (g.projectId === null || g.projectId === scope.projectId) &&
        rolePrivileges[g.role].has(privilege),
    );
  }

  require(privilege: Privilege, scope?: Scope, what = scope?.projectId ? 'this project' : 'this organization'): void {
    if (!this.can(privilege, scope)) throw Errors.forbidden(privilege, scope ? what : 'the platform');
  }

  /**
   * Where the viewer holds `privilege`: organization ids (org-wide grants) and project ids
   * (project grants). `all` for platform admins. Lists filter with this in SQL.
   */
  visibility(privilege: Privilege): { all: true } | { all: false; organizationIds: string[]; projectIds: string[] } {
    if (!this.tokenAllows(privilege)) return { all: false, organizationIds: [], projectIds: [] };
    if (this.self.isPlatformAdmin) return { all: true };
    const held = this.grants.filter((g) => rolePrivileges[g.role].has(privilege));
    return {
      all: false,
      organizationIds: held.filter((g) => g.projectId === null).map((g) => g.organizationId),
      projectIds: held.filter((g) => g.projectId !== null).map((g) => g.projectId as string),
    };
  }

  /** Organizations the viewer has any role in (org-wide or in one of its projects). */
  organizationIds(): string[] {
    return [...new Set(this.grants.map((g) => g.organizationId))];
  }

  memberOf(organizationId: string): boolean {
    return this.grants.some((g) => g.organizationId === organizationId);
  }

  /** The same caller for another request (auth/viewer-cache.ts): grants copied, so addGrant stays per request. */
  withUser(user: User | LazyUser): Viewer {
    return new Viewer(
      user,
      this.grants.map((g) => ({ ...g })),
      this.tokenScopes,
      this.credential,
    );
  }

  /** A role given during this request (the owner of an organization just created), so the response can show it. */
  addGrant(grant: Grant): void {
    this.grants.push(grant);
  }

  private tokenAllows(privilege: Privilege): boolean {
    if (this.tokenScopes === null) return true;
    return this.tokenScopes.has(privilege) || readOnlyPrivileges.has(privilege);
  }
}
