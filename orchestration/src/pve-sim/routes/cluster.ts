// Version, nodes, cluster-wide views and tasks.
import { PveError } from '../errors.js';
import { nodeRrd, type Timeframe } from '../metrics.js';
import { Paged, RawJson, type ApiRequest, type Router } from '../router.js';
import type { TaskRecord } from '../state.js';
import { canAudit, clusterResources, nodeResource, nodeUsage } from './views.js';

export function clusterRoutes(r: Router) {
  r.on('GET', '/version', ({ sim }) => ({ ...sim.versionInfo, console: 'xtermjs' }));

  r.on('GET', '/cluster/resources', ({ sim, params, identity }) => {
    const type = params.str('type');
    const key = `resources|${identity.tokenid ?? identity.userid}|${identity.privsep ? 1 : 0}|${type ?? ''}`;
    return new RawJson(sim.memoJson(key, () => clusterResources(sim, identity, type)));
  });

  r.on('GET', '/cluster/nextid', ({ sim, params }) => {
    const vmid = params.int('vmid');
    if (vmid !== undefined) {
      if (sim.findGuest(vmid)) throw PveError.param('vmid', `VM ${vmid} already exists`);
      return String(vmid);
    }
    return String(sim.nextVmid());
  });

  r.on('GET', '/cluster/status', ({ sim }) => [
    {
      type: 'cluster',
      id: 'cluster',
      name: sim.state.clusterName,
      nodes: sim.state.nodes.length,
      quorate: quorate(r, sim) ? 1 : 0,
      version: 7,
    },
    ...sim.state.nodes.map((n, i) => ({
      type: 'node',
      id: `node/${n.name}`,
      name: n.name,
      nodeid: i + 1,
      ip: n.ip,
      online: n.status === 'online' ? 1 : 0,
      local: i === 0 ? 1 : 0,
      level: '',
    })),
  ]);

  r.on('GET', '/cluster/tasks', ({ sim, identity }) =>
    sim.tasks
      .list()
      .slice(-1000)
      .reverse()
      .filter((t) => canSeeTask(sim, identity, t))
      .map((t) => ({ ...taskListItem(t), saved: t.status === 'stopped' ? '1' : '0' })),
  );

  r.on('GET', '/nodes', ({ sim, identity }) =>
    sim.state.nodes
      .filter((n) => canAudit(sim, identity, `/nodes/${n.name}`, 'Sys.Audit'))
      .map((n) => {
        const row = nodeResource(sim, n);
        return {
          node: n.name,
          status: n.status,
          ...(n.status === 'online'
            ? {
                cpu: row.cpu,
                maxcpu: row.maxcpu,
                mem: row.mem,
                maxmem: row.maxmem,
                disk: row.disk,
                maxdisk: row.maxdisk,
                uptime: row.uptime,
                level: '',
              }
            : {}),
          ssl_fingerprint: n.fingerprint,
          id: `node/${n.name}`,
          type: 'node',
        };
      }),
  );

  r.on('GET', '/nodes/{node}', ({ sim, params }) => {
    sim.node(params.node);
    return [
      'agent',
      'apt',
      'capabilities',
      'ceph',
      'certificates',
      'config',
      'disks',
      'dns',
      'execute',
      'firewall',
      'hardware',
      'hosts',
      'journal',
      'lxc',
      'migrateall',
      'netstat',
      'network',
      'qemu',
      'query-url-metadata',
      'replication',
      'report',
      'rrd',
      'rrddata',
      'scan',
      'sdn',
      'services',
      'spiceshell',
      'startall',
      'status',
      'stopall',
      'storage',
      'subscription',
      'syslog',
      'tasks',
      'termproxy',
      'time',
      'version',
      'vncshell',
      'vncwebsocket',
      'vzdump',
      'wakeonlan',
    ].map((subdir) => ({ name: subdir }));
  });

  r.on('GET', '/nodes/{node}/status', ({ sim, params }) => {
    const n = sim.node(params.node);
    const u = nodeUsage(sim, n);
    const la = [u.loadavg, u.loadavg * 0.95, u.loadavg * 0.9].map((x) => x.toFixed(2));
    return {
      cpu: u.cpu,
      wait: u.iowait,
      uptime: u.uptime,
      loadavg: la,
      kversion: 'Linux 6.17.2-1-pve #1 SMP PREEMPT_DYNAMIC PMX 6.17.2-1 (2025-10-21T11:55Z) x86_64',
      pveversion: 'pve-manager/9.1.4/a1b2c3d4e5f60718',
      cpuinfo: {
        cores: n.cpus / n.sockets / 2,
        cpus: n.cpus,
        model: n.cpuModel,
        sockets: n.sockets,
        mhz: '2000.000',
        hvm: '1',
        flags:
          'fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat pse36 clflush mmx fxsr sse sse2 ht syscall nx lm constant_tsc svm',
      },
      memory: { total: n.memory, used: u.mem, free: n.memory - u.mem, available: n.memory - u.mem },
      swap: { total: 8 * 1024 ** 3, used: 0, free: 8 * 1024 ** 3 },
      ksm: { shared: 0 },
      rootfs: { total: n.rootfs, used: u.rootused, free: n.rootfs - u.rootused, avail: n.rootfs - u.rootused },
      idle: 0,
      'current-kernel': {
        sysname: 'Linux',
        release: '6.17.2-1-pve',
        version: '#1 SMP PREEMPT_DYNAMIC PMX 6.17.2-1 (2025-10-21T11:55Z)',
        machine: 'x86_64',
      },
      'boot-info': { mode: 'efi', secureboot: 0 },
    };
  });

  r.on('GET', '/nodes/{node}/rrddata', ({ sim, params }) => {
    const n = sim.node(params.node);
    const load = 1 + sim.state.guests.filter((g) => g.node === n.name && g.status === 'running').length / 10;
    return nodeRrd(
      sim.options.seed,
      {
        id: `node:${n.name}`,
        maxcpu: n.cpus,
        memtotal: n.memory,
        roottotal: n.rootfs,
        load,
        bootedAt: n.bootedAt,
        online: n.status === 'online',
      },
      sim.nowSec(),
      params.req('timeframe') as Timeframe,
      (params.str('cf') ?? 'AVERAGE') as 'AVERAGE',
      sim.rrdLayout,
    ).map((p) => sim.rrdFields(p));
  });

  r.on(
    'GET',
    '/nodes/{node}/tasks',
    ({ sim, params, identity }) => {
      sim.node(params.node);
      const vmid = params.str('vmid');
      const type = params.str('typefilter');
      const userf = params.str('userfilter');
      const since = params.int('since');
      const until = params.int('until');
      const source = params.str('source') ?? 'archive';
      const statuses = params.str('statusfilter')?.split(/[,;\s]+/);
      let list = sim.tasks.list().filter((t) => t.node === params.node && canSeeTask(sim, identity, t));
      if (source === 'active') list = list.filter((t) => t.status === 'running');
      else if (source === 'archive') list = list.filter((t) => t.status === 'stopped');
      if (vmid) list = list.filter((t) => t.id === vmid);
      if (type) list = list.filter((t) => t.type.includes(type));
      if (userf) list = list.filter((t) => t.user.includes(userf));
      if (params.bool('errors')) list = list.filter((t) => t.status === 'stopped' && t.exitstatus !== 'OK');
      if (since !== undefined) list = list.filter((t) => t.starttime >= since);
      if (until !== undefined) list = list.filter((t) => t.starttime <= until);
      if (statuses) list = list.filter((t) => statuses.includes(taskStatusClass(t)));
      list = [...list].reverse();
      const start = params.int('start') ?? 0;
      const limit = params.int('limit') ?? 50;
      return new Paged(list.slice(start, start + limit).map(taskListItem), list.length);
    },
    { paged: true },
  );

  r.on('GET', '/nodes/{node}/tasks/{upid}', (req) => {
    taskOf(req.params, req);
    return [{ name: 'log' }, { name: 'status' }];
  });
  r.on('GET', '/nodes/{node}/tasks/{upid}/status', (req) => {
    const t = taskOf(req.params, req);
    return {
      upid: t.upid,
      node: t.node,
      pid: t.pid,
      pstart: t.pstart,
      starttime: t.starttime,
      type: t.type,
      id: t.id,
      user: t.user,
      ...(t.tokenid ? { tokenid: t.tokenid } : {}),
      status: t.status,
      ...(t.status === 'stopped' ? { exitstatus: t.exitstatus } : {}),
    };
  });
  r.on(
    'GET',
    '/nodes/{node}/tasks/{upid}/log',
    (req) => {
      const t = taskOf(req.params, req);
      const start = req.params.int('start') ?? 0;
      const limit = req.params.int('limit') ?? 50;
      const lines = t.log.map((text, i) => ({ n: i + 1, t: text }));
      // pve-common's dump_logfile_by_filehandle answers an empty log with a placeholder line
      // ("HACK: ExtJS store.guaranteeRange() does not like empty array").
      if (lines.length === 0 && start === 0) return new Paged([{ n: 1, t: 'no content' }], 1);
      return new Paged(lines.slice(start, start + limit), lines.length);
    },
    { paged: true },
  );
  r.on('DELETE', '/nodes/{node}/tasks/{upid}', (req) => {
    const t = taskOf(req.params, req);
    req.sim.tasks.stop(t.upid);
    return null;
  });
}

function quorate(_r: Router, sim: ApiRequest['sim']): boolean {
  const online = sim.state.nodes.filter((n) => n.status === 'online').length;
  return online > sim.state.nodes.length / 2;
}

function taskStatusClass(t: TaskRecord): string {
  if (t.status === 'running') return 'running';
  if (t.exitstatus === 'OK') return 'ok';
  if (t.exitstatus?.startsWith('WARNINGS')) return 'warning';
  return 'error';
}

function taskListItem(t: TaskRecord) {
  return {
    upid: t.upid,
    node: t.node,
    pid: t.pid,
    pstart: t.pstart,
    starttime: t.starttime,
    type: t.type,
    id: t.id,
    user: t.user,
    ...(t.tokenid ? { tokenid: t.tokenid } : {}),
    ...(t.status === 'running' ? { status: 'RUNNING' } : { status: t.exitstatus, endtime: t.endtime }),
  };
}

function canSeeTask(sim: ApiRequest['sim'], identity: ApiRequest['identity'], t: TaskRecord): boolean {
  if (t.user === identity.userid) return true;
  return canAudit(sim, identity, `/nodes/${t.node}`, 'Sys.Audit');
}

function taskOf(params: ApiRequest['params'], req: ApiRequest): TaskRecord {
  const upid = params.req('upid');
  const m =
    /^UPID:([a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?):([0-9A-Fa-f]{8}):([0-9A-Fa-f]{8,9}):([0-9A-Fa-f]{8}):([^:\s/]+):([^:\s/]*):([^:\s/]+):$/.exec(
      upid,
    );
  if (!m) throw PveError.param('upid', 'unable to parse worker upid');
  const t = req.sim.tasks.get(upid);
  if (!t || t.node !== params.node) {
    throw PveError.internal(
      `unable to open file '/var/log/pve/tasks/${m[5]?.slice(-1)}/${upid}' - No such file or directory`,
    );
  }
  if (t.user !== req.identity.userid && !canAudit(req.sim, req.identity, `/nodes/${t.node}`, 'Sys.Audit')) {
    throw PveError.permission(`/nodes/${t.node}`, ['Sys.Audit']);
  }
  return t;
}
