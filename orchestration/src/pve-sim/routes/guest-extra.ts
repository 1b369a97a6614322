// Snapshots, guest firewall, RRD data, guest agent / container interfaces and consoles.
import { createHash } from 'node:crypto';
import { PveError } from '../errors.js';
import { guestRrd, type Timeframe } from '../metrics.js';
import type { ApiRequest, Router } from '../router.js';
import type { Sim } from '../sim.js';
import type { FirewallRule, Guest, GuestType } from '../state.js';
import { checkConfigLock, deterministic, hostname, markStopped } from './guest-common.js';
import { agentEnabled } from './guest-power.js';

export function guestExtraRoutes(r: Router, type: GuestType) {
  const base = `/nodes/{node}/${type}/{vmid}`;
  const L = type === 'qemu' ? 'VM' : 'CT';
  const t = (name: string) => (type === 'qemu' ? `qm${name}` : `vz${name}`);

  // --- snapshots
  r.on('GET', `${base}/snapshot`, ({ sim, params }) => {
    const g = sim.guest(params.node, params.vmid, type);
    const list: Record<string, unknown>[] = g.snapshots.map((s) => ({
      name: s.name,
      description: s.description,
      snaptime: s.snaptime,
      ...(type === 'qemu' ? { vmstate: s.vmstate } : {}),
      ...(s.parent ? { parent: s.parent } : {}),
    }));
    const last = g.snapshots[g.snapshots.length - 1];
    list.push({
      name: 'current',
      description: 'You are here!',
      digest: createHash('sha1').update(JSON.stringify(g.config)).digest('hex'),
      ...(g.status !== 'stopped' ? { running: 1 } : {}),
      ...(last ? { parent: last.name } : {}),
    });
    return list;
  });
  r.on('POST', `${base}/snapshot`, (req) => {
    const { sim, params } = req;
    const g = sim.guest(params.node, params.vmid, type);
    const name = params.req('snapname');
    if (name === 'current') throw PveError.param('snapname', `invalid configuration ID 'current'`);
    return sim.tasks.start({
      node: g.node,
      type: t('snapshot'),
      id: String(g.vmid),
      identity: req.identity,
      work: async (task) => {
        await sim.locks.with(type, g.vmid, async () => {
          await task.checkpoint();
          checkConfigLock(g);
          if (g.snapshots.some((s) => s.name === name)) throw new Error(`snapshot name '${name}' already used`);
          const vmstate = params.bool('vmstate') && g.status !== 'stopped' ? 1 : 0;
          task.log(`snapshotting 'drive-scsi0' (${(g.config.scsi0 ?? g.config.rootfs ?? '').split(',')[0]})`);
          await task.sleep(
            800 + 1500 * deterministic(sim, `snap:${g.vmid}`)() + (vmstate ? sim.guestMemory(g) / 1e6 : 0),
          );
          const parent = g.snapshots[g.snapshots.length - 1]?.name;
          const { ...config } = g.config;
          g.snapshots.push({
            name,
            description: params.str('description') ?? '',
            snaptime: sim.nowSec(),
            vmstate: vmstate as 0 | 1,
            ...(parent ? { parent } : {}),
            config,
          });
          sim.changed();
        });
      },
    });
  });
  const snap = (sim: Sim, g: Guest, name: string) => {
    const s = g.snapshots.find((x) => x.name === name);
    if (!s) throw PveError.internal(`snapshot '${name}' does not exist`);
    return s;
  };
  r.on('GET', `${base}/snapshot/{snapname}`, ({ sim, params }) => {
    snap(sim, sim.guest(params.node, params.vmid, type), params.req('snapname'));
    return [{ rel: 'config' }, { rel: 'rollback' }];
  });
  r.on(
    'GET',
    `${base}/snapshot/{snapname}/config`,
    ({ sim, params }) => snap(sim, sim.guest(params.node, params.vmid, type), params.req('snapname')).config,
  );
  r.on('PUT', `${base}/snapshot/{snapname}/config`, ({ sim, params }) => {
    const s = snap(sim, sim.guest(params.node, params.vmid, type), params.req('snapname'));
    if (params.has('description')) s.description = params.str('description') ?? '';
    sim.changed();
    return null;
  });
  r.on('POST', `${base}/snapshot/{snapname}/rollback`, (req) => {
    const { sim, params } = req;
    const g = sim.guest(params.node, params.vmid, type);
    const s = snap(sim, g, params.req('snapname'));
    return sim.tasks.start({
      node: g.node,
      type: t('rollback'),
      id: String(g.vmid),
      identity: req.identity,
      work: async (task) => {
        await sim.locks.with(type, g.vmid, async () => {
          await task.checkpoint();
          checkConfigLock(g);
          if (g.status !== 'stopped' && !s.vmstate) markStopped(sim, g);
          await task.sleep(1000);
          g.config = { ...s.config };
          g.pending = {};
          const idx = g.snapshots.indexOf(s);
          g.snapshots = g.snapshots.slice(0, idx + 1);
          sim.changed();
        });
      },
    });
  });
  r.on('DELETE', `${base}/snapshot/{snapname}`, (req) => {
    const { sim, params } = req;
    const g = sim.guest(params.node, params.vmid, type);
    const s = snap(sim, g, params.req('snapname'));
    return sim.tasks.start({
      node: g.node,
      type: t('delsnapshot'),
      id: String(g.vmid),
      identity: req.identity,
      work: async (task) => {
        await sim.locks.with(type, g.vmid, async () => {
          await task.checkpoint();
          if (!params.bool('force')) checkConfigLock(g);
          await task.sleep(700);
          for (const other of g.snapshots) if (other.parent === s.name) other.parent = s.parent as string;
          g.snapshots = g.snapshots.filter((x) => x !== s);
          sim.changed();
        });
      },
    });
  });

  // --- firewall
  r.on('GET', `${base}/firewall`, ({ sim, params }) => {
    sim.guest(params.node, params.vmid, type);
    return ['aliases', 'ipset', 'log', 'options', 'refs', 'rules'].map((name) => ({ name }));
  });
  r.on('GET', `${base}/firewall/options`, ({ sim, params }) => ({
    ...sim.guest(params.node, params.vmid, type).firewall.options,
  }));
  r.on('PUT', `${base}/firewall/options`, ({ sim, params }) => {
    const g = sim.guest(params.node, params.vmid, type);
    for (const k of (params.str('delete') ?? '').split(/[,;\s]+/).filter(Boolean)) delete g.firewall.options[k];
    for (const [k, v] of Object.entries(params.rest(['node', 'vmid', 'delete', 'digest'])))
      g.firewall.options[k] = /^\d+$/.test(v) ? Number(v) : v;
    sim.changed();
    return null;
  });
  const fwRules = (g: Guest) => g.firewall.rules.map((rule, pos) => ({ ...rule, pos, ipversion: rule.ipversion }));
  r.on('GET', `${base}/firewall/rules`, ({ sim, params }) =>
    fwRules(sim.guest(params.node, params.vmid, type)).map(stripUndefined),
  );
  r.on('POST', `${base}/firewall/rules`, ({ sim, params }) => {
    const g = sim.guest(params.node, params.vmid, type);
    const rule = ruleFrom(params.rest(['node', 'vmid', 'pos', 'digest']));
    const pos = Math.min(params.int('pos') ?? 0, g.firewall.rules.length);
    g.firewall.rules.splice(pos, 0, rule);
    sim.changed();
    return null;
  });
  const ruleAt = (g: Guest, pos: number) => {
    const rule = g.firewall.rules[pos];
    if (!rule) throw PveError.internal('no rule at position ' + pos);
    return rule;
  };
  r.on('GET', `${base}/firewall/rules/{pos}`, ({ sim, params }) => {
    const g = sim.guest(params.node, params.vmid, type);
    const pos = params.int('pos') ?? 0;
    return stripUndefined({ ...ruleAt(g, pos), pos });
  });
  r.on('PUT', `${base}/firewall/rules/{pos}`, ({ sim, params }) => {
    const g = sim.guest(params.node, params.vmid, type);
    const pos = params.int('pos') ?? 0;
    const rule = ruleAt(g, pos);
    const moveto = params.int('moveto');
    if (moveto !== undefined) {
      g.firewall.rules.splice(pos, 1);
      g.firewall.rules.splice(Math.min(moveto, g.firewall.rules.length), 0, rule);
    } else {
      for (const k of (params.str('delete') ?? '').split(/[,;\s]+/).filter(Boolean))
        delete (rule as unknown as Record<string, unknown>)[k];
      Object.assign(
        rule,
        ruleFrom({
          ...(rule as unknown as Record<string, string>),
          ...params.rest(['node', 'vmid', 'pos', 'digest', 'delete', 'moveto']),
        }),
      );
    }
    sim.changed();
    return null;
  });
  r.on('DELETE', `${base}/firewall/rules/{pos}`, ({ sim, params }) => {
    const g = sim.guest(params.node, params.vmid, type);
    const pos = params.int('pos') ?? 0;
    ruleAt(g, pos);
    g.firewall.rules.splice(pos, 1);
    sim.changed();
    return null;
  });

  // --- metrics
  r.on('GET', `${base}/rrddata`, ({ sim, params }) => {
    const g = sim.guest(params.node, params.vmid, type);
    // pvestatd creates the RRD file at its first update, up to 10 s after the guest appears.
    if (sim.nowMs() - g.createdAt < sim.scale(10_000)) {
      throw PveError.internal(
        `RRD error: opening '/var/lib/rrdcached/db/pve-vm-9.0/${g.vmid}': No such file or directory`,
      );
    }
    const runs = g.runs.map(([s, e]) => [s / 1000, e === null ? undefined : e / 1000] as [number, number | undefined]);
    return guestRrd(
      sim.options.seed,
      {
        id: sim.metricId(g),
        maxcpu: sim.guestCpus(g),
        maxmem: sim.guestMemory(g),
        maxdisk: sim.guestDisk(g),
        runs,
        lxc: type === 'lxc',
        createdAt: g.createdAt / 1000,
        disk: type === 'lxc' ? Math.round(sim.guestDisk(g) * 0.3) : 0,
      },
      sim.nowSec(),
      params.req('timeframe') as Timeframe,
      (params.str('cf') ?? 'AVERAGE') as 'AVERAGE',
    );
  });

  // --- guest network view
  if (type === 'qemu') {
    r.on('GET', `${base}/agent`, ({ sim, params }) => {
      sim.guest(params.node, params.vmid, type);
      return [
        'exec',
        'exec-status',
        'file-read',
        'file-write',
        'fsfreeze-freeze',
        'fsfreeze-status',
        'fsfreeze-thaw',
        'fstrim',
        'get-fsinfo',
        'get-host-name',
        'get-memory-block-info',
        'get-memory-blocks',
        'get-osinfo',
        'get-time',
        'get-timezone',
        'get-users',
        'get-vcpus',
        'info',
        'network-get-interfaces',
        'ping',
        'set-user-password',
        'shutdown',
        'suspend-disk',
        'suspend-hybrid',
        'suspend-ram',
      ].map((name) => ({ name }));
    });
    const agent = (req: ApiRequest) => {
      const g = req.sim.guest(req.params.node, req.params.vmid, type);
      if (!agentEnabled(g)) throw PveError.internal('No QEMU guest agent configured');
      if (g.status === 'stopped') throw PveError.internal(`VM ${g.vmid} is not running`);
      if (g.status === 'paused' || !g.agentReadyAt || req.sim.nowMs() < g.agentReadyAt)
        throw PveError.internal('QEMU guest agent is not running');
      return g;
    };
    r.on('GET', `${base}/agent/network-get-interfaces`, (req) => ({ result: agentInterfaces(agent(req)) }));
    r.on('POST', `${base}/agent/ping`, (req) => (agent(req), { result: {} }));
    r.on('GET', `${base}/agent/get-host-name`, (req) => ({ result: { 'host-name': hostname(agent(req)) } }));
    r.on('GET', `${base}/agent/get-osinfo`, (req) => {
      const g = agent(req);
      const win = g.config.ostype?.startsWith('win');
      return {
        result: win
          ? {
              id: 'mswindows',
              name: 'Microsoft Windows',
              'pretty-name': 'Windows 11 Pro',
              version: 'Microsoft Windows 11',
              'kernel-release': '26100',
              machine: 'x86_64',
            }
          : {
              id: 'debian',
              name: 'Debian GNU/Linux',
              'pretty-name': 'Debian GNU/Linux 12 (bookworm)',
              version: '12 (bookworm)',
              'version-id': '12',
              'kernel-release': '6.1.0-41-cloud-amd64',
              machine: 'x86_64',
            },
      };
    });
  } else {
    r.on('GET', `${base}/interfaces`, ({ sim, params }) => {
      const g = sim.guest(params.node, params.vmid, type);
      if (g.status === 'stopped') throw PveError.internal(`CT ${g.vmid} not running`);
      return agentInterfaces(g).map((i) => {
        const v4 = i['ip-addresses'].find((a) => a['ip-address-type'] === 'ipv4');
        const v6 = i['ip-addresses'].find((a) => a['ip-address-type'] === 'ipv6');
        return {
          name: i.name,
          hwaddr: i['hardware-address'],
          'hardware-address': i['hardware-address'],
          ...(v4 ? { inet: `${v4['ip-address']}/${v4.prefix}` } : {}),
          ...(v6 ? { inet6: `${v6['ip-address']}/${v6.prefix}` } : {}),
          'ip-addresses': i['ip-addresses'],
        };
      });
    });
  }

  // --- consoles
  /** The `vncproxy` task runs until the broker reports the worker's end (closed, timed out, …). */
  const consoleTask = (req: ApiRequest, g: Guest) => {
    let end: (status: string) => void = () => undefined;
    const ended = new Promise<string>((resolve) => (end = resolve));
    const upid = req.sim.tasks.start({
      node: req.params.node,
      type: 'vncproxy',
      id: String(g.vmid),
      identity: req.identity,
      work: async () => {
        const status = await ended;
        if (status !== 'OK') throw new Error(status);
      },
    });
    req.sim.consoleEnds.set(upid, (status) => {
      req.sim.consoleEnds.delete(upid);
      end(status);
    });
    return upid;
  };
  const consoleGuest = (req: ApiRequest) => {
    const g = req.sim.guest(req.params.node, req.params.vmid, type);
    if (g.status === 'stopped') throw PveError.internal(`${L} ${g.vmid} not running`);
    if (!req.sim.broker) throw PveError.internal('console broker not available');
    return g;
  };
  r.on('POST', `${base}/vncproxy`, (req) => {
    const g = consoleGuest(req);
    const upid = consoleTask(req, g);
    const user = req.identity.tokenid ?? req.identity.userid;
    return req.sim.broker?.vncproxy(
      { node: g.node, vmid: g.vmid, type },
      {
        user,
        upid,
        generatePassword: type === 'lxc' ? req.params.bool('websocket') : req.params.bool('generate-password'),
      },
    );
  });
  r.on('POST', `${base}/termproxy`, (req) => {
    const g = consoleGuest(req);
    const upid = consoleTask(req, g);
    const user = req.identity.tokenid ?? req.identity.userid;
    return req.sim.broker?.termproxy({ node: g.node, vmid: g.vmid, type }, { user, upid });
  });
}

function stripUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

function ruleFrom(p: Record<string, string>): FirewallRule {
  const rule: FirewallRule = {
    pos: 0,
    type: p.type ?? 'in',
    action: p.action ?? 'ACCEPT',
    enable: p.enable !== undefined ? Number(p.enable) : 0,
  };
  for (const k of [
    'macro',
    'source',
    'dest',
    'proto',
    'dport',
    'sport',
    'iface',
    'log',
    'comment',
    'icmp-type',
  ] as const)
    if (p[k] !== undefined) rule[k] = p[k];
  const { pos: _pos, ...rest } = rule;
  return rest as FirewallRule;
}

/** Addresses a guest reports: static ipconfig/net ip, else a seeded DHCP lease on vmbr0. */
export function guestAddress(g: Guest, nic = 0): { ip: string; prefix: number } {
  const static4 = /(?:^|,)ip=(\d+\.\d+\.\d+\.\d+)\/(\d+)/.exec(
    g.type === 'qemu' ? (g.config[`ipconfig${nic}`] ?? '') : (g.config[`net${nic}`] ?? ''),
  );
  if (static4) return { ip: static4[1] as string, prefix: Number(static4[2]) };
  return { ip: `10.10.${100 + (Math.floor(g.vmid / 250) % 150)}.${(g.vmid % 250) + 2}`, prefix: 16 };
}

function agentInterfaces(g: Guest) {
  const nics = Object.keys(g.config)
    .filter((k) => /^net\d+$/.test(k))
    .sort();
  const list = [
    {
      name: 'lo',
      'hardware-address': '00:00:00:00:00:00',
      'ip-addresses': [
        { 'ip-address-type': 'ipv4', 'ip-address': '127.0.0.1', prefix: 8 },
        { 'ip-address-type': 'ipv6', 'ip-address': '::1', prefix: 128 },
      ],
      statistics: {
        'rx-bytes': 0,
        'rx-packets': 0,
        'rx-errs': 0,
        'rx-dropped': 0,
        'tx-bytes': 0,
        'tx-packets': 0,
        'tx-errs': 0,
        'tx-dropped': 0,
      },
    },
  ];
  for (const key of nics) {
    const idx = Number(key.slice(3));
    const v = g.config[key] ?? '';
    const mac =
      (g.type === 'qemu' ? /^[a-z0-9_-]+=([0-9A-F:]{17})/i.exec(v)?.[1] : /hwaddr=([0-9A-F:]{17})/i.exec(v)?.[1]) ??
      '00:00:00:00:00:00';
    const { ip, prefix } = guestAddress(g, idx);
    const b = mac
      .toLowerCase()
      .split(':')
      .map((x) => parseInt(x, 16));
    const eui = [
      ((b[0] ?? 0) ^ 2).toString(16).padStart(2, '0') + (b[1] ?? 0).toString(16).padStart(2, '0'),
      (b[2] ?? 0).toString(16).padStart(2, '0') + 'ff',
      'fe' + (b[3] ?? 0).toString(16).padStart(2, '0'),
      (b[4] ?? 0).toString(16).padStart(2, '0') + (b[5] ?? 0).toString(16).padStart(2, '0'),
    ];
    list.push({
      name:
        g.type === 'lxc'
          ? (/name=([^,]+)/.exec(v)?.[1] ?? `eth${idx}`)
          : g.config.ostype?.startsWith('win')
            ? `Ethernet ${idx === 0 ? '' : idx + 1}`.trim()
            : `eth${idx}`,
      'hardware-address': mac.toLowerCase(),
      'ip-addresses': [
        { 'ip-address-type': 'ipv4', 'ip-address': ip, prefix },
        {
          'ip-address-type': 'ipv6',
          'ip-address': `fe80::${eui.map((x) => x.replace(/^0+(?=.)/, '')).join(':')}`,
          prefix: 64,
        },
      ],
      statistics: {
        'rx-bytes': 0,
        'rx-packets': 0,
        'rx-errs': 0,
        'rx-dropped': 0,
        'tx-bytes': 0,
        'tx-packets': 0,
        'tx-errs': 0,
        'tx-dropped': 0,
      },
    });
  }
  return list;
}
