// /access: tickets, users, API tokens, ACLs, roles, permissions.
import { randomUUID } from 'node:crypto';
import {
  createCsrf,
  createTicket,
  effectivePermissions,
  hasPriv,
  privsAt,
  verifyTicket,
  type Identity,
} from '../auth.js';
import { PveError } from '../errors.js';
import type { Router } from '../router.js';
import type { Sim } from '../sim.js';
import type { AclEntry, User } from '../state.js';

const capFor = (sim: Sim, id: Identity) => {
  const group = (path: string, prefix: RegExp) =>
    Object.fromEntries([...privsAt(sim.state, id, path)].filter(([k]) => prefix.test(k)).map(([k, v]) => [k, v]));
  return {
    vms: group('/vms', /^(VM\.|Permissions\.Modify)/),
    storage: group('/storage', /^(Datastore\.|Permissions\.Modify)/),
    nodes: group('/nodes', /^(Sys\.|Permissions\.Modify)/),
    access: group('/access', /^(User\.|Group\.|Permissions\.Modify|Realm\.)/),
    dc: group('/', /^(Sys\.Audit|Sys\.Modify|Realm\.|SDN\.|Mapping\.)/),
    sdn: group('/sdn', /^(SDN\.|Permissions\.Modify)/),
    mapping: group('/mapping', /^(Mapping\.|Permissions\.Modify)/),
  };
};

function user(sim: Sim, userid: string): User {
  const u = sim.state.users.find((x) => x.userid === userid);
  if (!u) throw PveError.internal(`no such user ('${userid}')`);
  return u;
}

function tokenInfo(t: User['tokens'][string]) {
  return { privsep: t.privsep, expire: t.expire, ...(t.comment ? { comment: t.comment } : {}) };
}

export function accessRoutes(r: Router) {
  r.on('GET', '/access', () =>
    [
      'users',
      'groups',
      'roles',
      'acl',
      'domains',
      'ticket',
      'password',
      'permissions',
      'tfa',
      'openid',
      'vncticket',
    ].map((subdir) => ({ subdir })),
  );
  r.on('GET', '/access/ticket', () => null);
  r.on('GET', '/access/domains', () => [
    { realm: 'pam', type: 'pam', comment: 'Linux PAM standard authentication' },
    { realm: 'pve', type: 'pve', comment: 'Proxmox VE authentication server' },
  ]);

  r.on('POST', '/access/ticket', async ({ sim, params }) => {
    let username = params.req('username');
    const realm = params.str('realm');
    if (realm && !username.includes('@')) username = `${username}@${realm}`;
    const password = params.req('password');
    const u = sim.state.users.find((x) => x.userid === username);
    const viaTicket = verifyTicket(sim.key, password, sim.nowSec());
    const ok =
      u?.enable &&
      (!u.expire || u.expire > sim.nowSec()) &&
      ((u.password !== undefined && u.password === password) ||
        viaTicket === username ||
        (viaTicket === 'root@pam' && password.startsWith('PVE:')));
    if (!u || !ok) {
      await sim.sleep(3000);
      throw PveError.authFailure();
    }
    const id: Identity = { userid: username, privsep: false, via: 'ticket' };
    const path = params.str('path');
    if (path) {
      const privs = (params.str('privs') ?? '').split(/[,;\s]+/).filter(Boolean);
      if (!hasPriv(sim.state, id, path, privs)) throw PveError.permission(path, privs);
      return { username };
    }
    return {
      username,
      ticket: createTicket(sim.key, username, sim.nowSec()),
      CSRFPreventionToken: createCsrf(sim.key, username, sim.nowSec()),
      cap: capFor(sim, id),
      ...(hasPriv(sim.state, id, '/', ['Sys.Audit']) ? { clustername: sim.state.clusterName } : {}),
    };
  });

  r.on('GET', '/access/permissions', ({ sim, params, identity }) => {
    const userid = params.str('userid');
    let target = identity;
    if (userid && userid !== (identity.tokenid ?? identity.userid)) {
      if (!hasPriv(sim.state, identity, '/access', ['Sys.Audit'])) throw PveError.permission('/access', ['Sys.Audit']);
      const [uid = '', tok] = userid.split('!');
      const t = tok ? user(sim, uid).tokens[tok] : undefined;
      target = {
        userid: uid,
        ...(tok ? { tokenid: userid } : {}),
        privsep: t?.privsep === 1,
        via: tok ? 'token' : 'ticket',
      };
    }
    return effectivePermissions(sim.state, target, params.str('path'));
  });

  r.on('GET', '/access/users', ({ sim, params, identity }) => {
    const full = params.bool('full');
    const canAll = hasPriv(sim.state, identity, '/access', ['User.Modify', 'Sys.Audit'], true);
    return sim.state.users
      .filter((u) => canAll || u.userid === identity.userid)
      .filter((u) => !params.has('enabled') || u.enable === Number(params.str('enabled')))
      .map((u) => ({
        userid: u.userid,
        enable: u.enable,
        expire: u.expire,
        'realm-type': u.userid.split('@')[1] === 'pam' ? 'pam' : 'pve',
        ...(u.firstname ? { firstname: u.firstname } : {}),
        ...(u.lastname ? { lastname: u.lastname } : {}),
        ...(u.email ? { email: u.email } : {}),
        ...(u.comment ? { comment: u.comment } : {}),
        groups: u.groups.join(','),
        ...(full ? { tokens: Object.entries(u.tokens).map(([tokenid, t]) => ({ tokenid, ...tokenInfo(t) })) } : {}),
      }));
  });
  r.on('POST', '/access/users', ({ sim, params }) => {
    const userid = params.req('userid');
    if (sim.state.users.some((u) => u.userid === userid))
      throw PveError.internal(`create user failed: user '${userid}' already exists`);
    sim.state.users.push({
      userid,
      enable: params.bool('enable', true) ? 1 : 0,
      expire: params.int('expire') ?? 0,
      groups: (params.str('groups') ?? '').split(',').filter(Boolean),
      tokens: {},
      ...(params.str('password') ? { password: params.str('password') } : {}),
      ...(params.str('email') ? { email: params.str('email') } : {}),
      ...(params.str('comment') ? { comment: params.str('comment') } : {}),
      ...(params.str('firstname') ? { firstname: params.str('firstname') } : {}),
      ...(params.str('lastname') ? { lastname: params.str('lastname') } : {}),
    });
    sim.changed();
    return null;
  });
  r.on('GET', '/access/users/{userid}', ({ sim, params }) => {
    const u = user(sim, params.req('userid'));
    return {
      enable: u.enable,
      expire: u.expire,
      groups: u.groups,
      tokens: Object.fromEntries(Object.entries(u.tokens).map(([k, t]) => [k, tokenInfo(t)])),
      ...(u.email ? { email: u.email } : {}),
      ...(u.comment ? { comment: u.comment } : {}),
      ...(u.firstname ? { firstname: u.firstname } : {}),
      ...(u.lastname ? { lastname: u.lastname } : {}),
    };
  });
  r.on('PUT', '/access/users/{userid}', ({ sim, params }) => {
    const u = user(sim, params.req('userid'));
    if (params.has('enable')) u.enable = params.bool('enable') ? 1 : 0;
    if (params.has('expire')) u.expire = params.int('expire') ?? 0;
    for (const k of ['email', 'comment', 'firstname', 'lastname'] as const) if (params.has(k)) u[k] = params.str(k);
    if (params.has('groups')) {
      const groups = (params.str('groups') ?? '').split(',').filter(Boolean);
      u.groups = params.bool('append') ? [...new Set([...u.groups, ...groups])] : groups;
    }
    sim.changed();
    return null;
  });
  r.on('DELETE', '/access/users/{userid}', ({ sim, params }) => {
    const u = user(sim, params.req('userid'));
    sim.state.users = sim.state.users.filter((x) => x !== u);
    sim.state.acl = sim.state.acl.filter((a) => !(a.ugid === u.userid || a.ugid.startsWith(`${u.userid}!`)));
    sim.changed();
    return null;
  });

  r.on('GET', '/access/users/{userid}/token', ({ sim, params }) =>
    Object.entries(user(sim, params.req('userid')).tokens).map(([tokenid, t]) => ({ tokenid, ...tokenInfo(t) })),
  );
  r.on('GET', '/access/users/{userid}/token/{tokenid}', ({ sim, params }) => {
    const t = user(sim, params.req('userid')).tokens[params.req('tokenid')];
    if (!t) throw PveError.internal(`no such token '${params.req('tokenid')}' for user '${params.req('userid')}'`);
    return tokenInfo(t);
  });
  r.on('POST', '/access/users/{userid}/token/{tokenid}', ({ sim, params }) => {
    const u = user(sim, params.req('userid'));
    const tokenid = params.req('tokenid');
    if (u.tokens[tokenid]) throw PveError.internal(`Token already exists.`);
    const t = {
      secret: randomUUID(),
      privsep: (params.bool('privsep', true) ? 1 : 0) as 0 | 1,
      expire: params.int('expire') ?? u.expire,
      ...(params.str('comment') ? { comment: params.str('comment') } : {}),
    };
    u.tokens[tokenid] = t;
    sim.changed();
    return { 'full-tokenid': `${u.userid}!${tokenid}`, info: tokenInfo(t), value: t.secret };
  });
  r.on('PUT', '/access/users/{userid}/token/{tokenid}', ({ sim, params }) => {
    const t = user(sim, params.req('userid')).tokens[params.req('tokenid')];
    if (!t) throw PveError.internal(`no such token '${params.req('tokenid')}' for user '${params.req('userid')}'`);
    if (params.has('privsep')) t.privsep = params.bool('privsep') ? 1 : 0;
    if (params.has('expire')) t.expire = params.int('expire') ?? 0;
    if (params.has('comment')) t.comment = params.str('comment');
    sim.changed();
    return tokenInfo(t);
  });
  r.on('DELETE', '/access/users/{userid}/token/{tokenid}', ({ sim, params }) => {
    const u = user(sim, params.req('userid'));
    const tokenid = params.req('tokenid');
    if (!u.tokens[tokenid]) throw PveError.internal(`no such token '${tokenid}' for user '${u.userid}'`);
    delete u.tokens[tokenid];
    sim.state.acl = sim.state.acl.filter((a) => a.ugid !== `${u.userid}!${tokenid}`);
    sim.changed();
    return null;
  });

  r.on('GET', '/access/acl', ({ sim, identity }) =>
    sim.state.acl
      .filter((a) => hasPriv(sim.state, identity, a.path, ['Sys.Audit', 'Permissions.Modify'], true))
      .map((a) => ({ path: a.path, roleid: a.roleid, type: a.type, ugid: a.ugid, propagate: a.propagate })),
  );
  r.on('PUT', '/access/acl', ({ sim, params }) => {
    const path = params.req('path');
    const roles = params
      .req('roles')
      .split(/[,;\s]+/)
      .filter(Boolean);
    for (const role of roles) if (!sim.state.roles[role]) throw PveError.internal(`role '${role}' does not exist`);
    const propagate = (params.bool('propagate', true) ? 1 : 0) as 0 | 1;
    const del = params.bool('delete');
    const subjects: [AclEntry['type'], string][] = [
      ...(params.str('users') ?? '')
        .split(/[,;\s]+/)
        .filter(Boolean)
        .map((u) => ['user', u] as [AclEntry['type'], string]),
      ...(params.str('groups') ?? '')
        .split(/[,;\s]+/)
        .filter(Boolean)
        .map((g) => ['group', g] as [AclEntry['type'], string]),
      ...(params.str('tokens') ?? '')
        .split(/[,;\s]+/)
        .filter(Boolean)
        .map((t) => ['token', t] as [AclEntry['type'], string]),
    ];
    for (const [type, ugid] of subjects) {
      if (type === 'user') user(sim, ugid);
      if (type === 'token') {
        const [uid = '', tok = ''] = ugid.split('!');
        if (!user(sim, uid).tokens[tok]) throw PveError.internal(`no such API token '${ugid}'`);
      }
      for (const roleid of roles) {
        sim.state.acl = sim.state.acl.filter(
          (a) => !(a.path === path && a.type === type && a.ugid === ugid && a.roleid === roleid),
        );
        if (!del) sim.state.acl.push({ path, type, ugid, roleid, propagate });
      }
    }
    sim.changed();
    return null;
  });

  r.on('GET', '/access/roles', ({ sim }) =>
    Object.entries(sim.state.roles).map(([roleid, privs]) => ({
      roleid,
      privs: privs.join(','),
      special: roleid in builtinNames ? 1 : 0,
    })),
  );
  r.on('GET', '/access/roles/{roleid}', ({ sim, params }) => {
    const privs = sim.state.roles[params.req('roleid')];
    if (!privs) throw PveError.internal(`role '${params.req('roleid')}' does not exist`);
    return Object.fromEntries(privs.map((p) => [p, 1]));
  });
  r.on('PUT', '/access/password', ({ sim, params, identity }) => {
    const target = user(sim, params.req('userid'));
    // Since PVE 8.x a non-root caller confirms the change with their own current password.
    if (identity.userid !== 'root@pam') {
      const self = sim.state.users.find((u) => u.userid === identity.userid);
      if (params.str('confirmation-password') !== self?.password)
        throw PveError.param('confirmation-password', 'authentication failure');
    }
    if (!target.userid.endsWith('@pve') && target.userid !== 'root@pam')
      throw PveError.internal(`unable to change password of '${target.userid}' (realm not writable)`);
    target.password = params.req('password');
    sim.changed();
    return null;
  });
  r.on('POST', '/access/groups', ({ sim, params }) => {
    const groupid = params.req('groupid');
    if (sim.state.groups.some((g) => g.groupid === groupid))
      throw PveError.internal(`create group failed: group '${groupid}' already exists`);
    sim.state.groups.push({ groupid, ...(params.str('comment') ? { comment: params.str('comment') } : {}) });
    sim.changed();
    return null;
  });
  r.on('POST', '/access/roles', ({ sim, params }) => {
    const roleid = params.req('roleid');
    if (sim.state.roles[roleid]) throw PveError.internal(`create role failed: role '${roleid}' already exists`);
    sim.state.roles[roleid] = (params.str('privs') ?? '').split(/[,;\s]+/).filter(Boolean);
    sim.changed();
    return null;
  });
  r.on('PUT', '/access/roles/{roleid}', ({ sim, params }) => {
    const roleid = params.req('roleid');
    if (roleid in builtinNames) throw PveError.internal(`cannot modify built-in role '${roleid}'`);
    const current = sim.state.roles[roleid];
    if (!current) throw PveError.internal(`role '${roleid}' does not exist`);
    const privs = (params.str('privs') ?? '').split(/[,;\s]+/).filter(Boolean);
    sim.state.roles[roleid] = params.bool('append') ? [...new Set([...current, ...privs])] : privs;
    sim.changed();
    return null;
  });
  r.on('DELETE', '/access/roles/{roleid}', ({ sim, params }) => {
    const roleid = params.req('roleid');
    if (roleid in builtinNames) throw PveError.internal(`cannot delete built-in role '${roleid}'`);
    if (!sim.state.roles[roleid]) throw PveError.internal(`role '${roleid}' does not exist`);
    delete sim.state.roles[roleid];
    sim.state.acl = sim.state.acl.filter((a) => a.roleid !== roleid);
    sim.changed();
    return null;
  });
  r.on('GET', '/access/groups', ({ sim }) =>
    sim.state.groups.map((g) => ({
      groupid: g.groupid,
      ...(g.comment ? { comment: g.comment } : {}),
      users: sim.state.users
        .filter((u) => u.groups.includes(g.groupid))
        .map((u) => u.userid)
        .join(','),
    })),
  );
}

const builtinNames: Record<string, true> = {
  Administrator: true,
  NoAccess: true,
  PVEAdmin: true,
  PVEAuditor: true,
  PVEDatastoreAdmin: true,
  PVEDatastoreUser: true,
  PVEMappingAdmin: true,
  PVEMappingUser: true,
  PVEPoolAdmin: true,
  PVEPoolUser: true,
  PVESDNAdmin: true,
  PVESDNUser: true,
  PVESysAdmin: true,
  PVETemplateUser: true,
  PVEUserAdmin: true,
  PVEVMAdmin: true,
  PVEVMUser: true,
};
