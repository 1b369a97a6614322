// Users, API tokens, ACLs, roles and effective permissions (README §1.3, §4.1).
import { seg, type ProxmoxHttp } from './http.js';

export interface User {
  userid: string;
  enable?: boolean;
  expire?: number;
  firstname?: string;
  lastname?: string;
  email?: string;
  comment?: string;
  groups?: string | string[];
  tokens?: ApiToken[];
  'realm-type'?: string;
}

export interface ApiToken {
  tokenid: string;
  comment?: string;
  expire?: number;
  privsep?: boolean;
}

export interface CreatedToken {
  /** `user@realm!tokenid` */
  'full-tokenid': string;
  info: { comment?: string; expire?: number; privsep?: boolean | number };
  /** The secret; shown only once. */
  value: string;
}

export interface AclEntry {
  path: string;
  roleid: string;
  type: 'user' | 'group' | 'token';
  ugid: string;
  propagate?: boolean;
}

export interface Role {
  roleid: string;
  privs?: string;
  special?: boolean;
}

/** path → privilege → propagate (1/0). */
export type PermissionMap = Record<string, Record<string, number | boolean>>;

const bool = (v: unknown) => (v === undefined ? undefined : Boolean(Number(v)));

export class AccessApi {
  constructor(private readonly http: ProxmoxHttp) {}

  async users(o: { enabled?: boolean; full?: boolean } = {}): Promise<User[]> {
    const items = (await this.http.get<User[]>('/access/users', { ...o })) ?? [];
    return items.map((u) => ({ ...u, enable: bool(u.enable) }));
  }

  async createUser(u: {
    userid: string;
    password?: string;
    email?: string;
    comment?: string;
    enable?: boolean;
    expire?: number;
    groups?: string[];
  }): Promise<void> {
    await this.http.post<null>('/access/users', { ...u, groups: u.groups?.join(',') });
  }

  async deleteUser(userid: string): Promise<void> {
    await this.http.delete<null>(`/access/users/${seg(userid)}`);
  }

  async tokens(userid: string): Promise<ApiToken[]> {
    const items = (await this.http.get<ApiToken[]>(`/access/users/${seg(userid)}/token`)) ?? [];
    return items.map((t) => ({ ...t, privsep: bool(t.privsep) }));
  }

  /** `privsep` defaults to true on Proxmox: the token then only has the ACLs given to the token itself. */
  createToken(
    userid: string,
    tokenid: string,
    o: { comment?: string; expire?: number; privsep?: boolean } = {},
  ): Promise<CreatedToken> {
    return this.http.post<CreatedToken>(`/access/users/${seg(userid)}/token/${seg(tokenid)}`, { ...o });
  }

  async deleteToken(userid: string, tokenid: string): Promise<void> {
    await this.http.delete<null>(`/access/users/${seg(userid)}/token/${seg(tokenid)}`);
  }

  async acl(): Promise<AclEntry[]> {
    const items = (await this.http.get<AclEntry[]>('/access/acl')) ?? [];
    return items.map((a) => ({ ...a, propagate: bool(a.propagate) }));
  }

  /** Grants (or with `delete`, revokes) roles on a path to users, groups or tokens. */
  async updateAcl(o: {
    path: string;
    roles: string[];
    users?: string[];
    groups?: string[];
    tokens?: string[];
    propagate?: boolean;
    delete?: boolean;
  }): Promise<void> {
    await this.http.put<null>('/access/acl', {
      path: o.path,
      roles: o.roles.join(','),
      users: o.users?.join(','),
      groups: o.groups?.join(','),
      tokens: o.tokens?.join(','),
      propagate: o.propagate,
      delete: o.delete,
    });
  }

  async roles(): Promise<Role[]> {
    return (await this.http.get<Role[]>('/access/roles')) ?? [];
  }

  /** Effective permissions of the caller (or `userid`, a user or token), optionally for one path. */
  async permissions(o: { path?: string; userid?: string } = {}): Promise<PermissionMap> {
    return (await this.http.get<PermissionMap>('/access/permissions', { ...o })) ?? {};
  }
}
