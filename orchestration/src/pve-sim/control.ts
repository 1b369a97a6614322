// The control surface: fault injection and changes "behind the platform's back", as a typed
// object for tests and as JSON over HTTP under /_sim/ (documented in PROTOCOL.md).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RouteFault } from './faults.js';
import { markRunning, markStopped } from './routes/guest-common.js';
import type { Sim } from './sim.js';
import { GiB, macAddress, newGuest, sizeText, uuid, type GuestType, type TaskRecord } from './state.js';
import { createRng } from './rng.js';

export interface SimControl {
  /** Adds an error rate and/or latency to matching requests; returns an id for removeRouteFault. */
  addRouteFault(fault: RouteFault): number;
  removeRouteFault(id: number): void;
  listRouteFaults(): RouteFault[];
  /** The next `count` tasks of this worker type (e.g. `qmclone`, or `*`) fail with `message`. */
  failNextTask(type: string, message?: string, count?: number): void;
  /** The next task of this type logs these `WARN:` lines and ends with `WARNINGS: <n>`. */
  warnNextTask(type: string, lines: string[]): void;
  /** Tasks of this type hang (status running) after taking their locks until released. */
  stallTasks(type: string): void;
  releaseTasks(type?: string): void;
  /** Removes every injected fault and releases stalled tasks. */
  resetFaults(): void;
  setNodeOnline(node: string, online: boolean): void;
  /** State changes behind the platform's back (no task, no lock). */
  stopGuest(vmid: number): void;
  startGuest(vmid: number): void;
  moveGuest(vmid: number, node: string): void;
  deleteGuest(vmid: number): void;
  setGuestConfig(vmid: number, patch: Record<string, string | null>): void;
  /** Adds `count` qemu guests directly (linked clones of template 9000), for benchmarks. */
  addGuests(count: number, opts?: { running?: boolean; type?: GuestType }): number[];
  /** Moves the simulator clock (tickets, metrics) forward. */
  advanceTime(seconds: number): void;
  /**
   * Stops the clock at `atMs` (default: now); advanceTime then moves it in exact steps. `null`
   * lets it follow the wall clock again (keeping the offset).
   */
  freezeTime(atMs?: number | null): void;
  /** Stops and starts a guest at once, behind the platform's back: its counters start again from 0. */
  rebootGuest(vmid: number): void;
  waitForTask(upid: string, timeoutMs?: number): Promise<TaskRecord>;
}

export function createControl(sim: Sim): SimControl {
  const guest = (vmid: number) => {
    const g = sim.findGuest(vmid);
    if (!g) throw new Error(`no guest ${vmid}`);
    return g;
  };
  return {
    addRouteFault: (f) => sim.faults.addRoute(f),
    removeRouteFault: (id) => sim.faults.removeRoute(id),
    listRouteFaults: () => sim.faults.listRoutes(),
    failNextTask: (type, message, count) => sim.faults.failNextTask(type, message, count),
    warnNextTask: (type, lines) => sim.faults.warnNextTask(type, lines),
    stallTasks: (type) => sim.faults.stallTasks(type),
    releaseTasks: (type) => sim.faults.releaseStalled(type),
    resetFaults: () => sim.faults.reset(),
    setNodeOnline(node, online) {
      sim.node(node).status = online ? 'online' : 'offline';
      if (!online) for (const g of sim.state.guests) if (g.node === node && g.status !== 'stopped') markStopped(sim, g);
      sim.changed();
    },
    stopGuest(vmid) {
      markStopped(sim, guest(vmid));
      sim.changed();
    },
    startGuest(vmid) {
      const g = guest(vmid);
      if (g.status === 'stopped') markRunning(sim, g);
      sim.changed();
    },
    moveGuest(vmid, node) {
      sim.node(node);
      const g = guest(vmid);
      for (const v of sim.state.volumes) if (v.vmid === vmid && v.node === g.node) v.node = node;
      g.node = node;
      sim.changed();
    },
    deleteGuest(vmid) {
      sim.state.guests = sim.state.guests.filter((g) => g.vmid !== vmid);
      sim.state.volumes = sim.state.volumes.filter((v) => v.vmid !== vmid);
      for (const p of sim.state.pools) p.vms = p.vms.filter((v) => v !== vmid);
      sim.changed();
    },
    setGuestConfig(vmid, patch) {
      const g = guest(vmid);
      for (const [k, v] of Object.entries(patch)) {
        if (v === null) delete g.config[k];
        else g.config[k] = v;
      }
      sim.changed();
    },
    addGuests(count, opts = {}) {
      const ids: number[] = [];
      const nodes = sim.state.nodes.filter((n) => n.status === 'online');
      const rng = createRng(sim.options.seed + count);
      for (let i = 0; i < count; i++) {
        const vmid = sim.nextVmid();
        const node = nodes[i % nodes.length]?.name ?? 'pve1';
        const type = opts.type ?? 'qemu';
        const g = newGuest({
          vmid,
          type,
          node,
          config: {},
          createdAt: sim.nowMs() - Math.floor(rng() * 86400_000 * 30),
        });
        const disk = `ceph-vm:base-9000-disk-0/vm-${vmid}-disk-0`;
        sim.state.volumes.push({
          volid: disk,
          storage: 'ceph-vm',
          content: type === 'qemu' ? 'images' : 'rootdir',
          format: 'raw',
          size: 8 * GiB,
          vmid,
          ctime: sim.nowSec(),
          parent: 'ceph-vm:base-9000-disk-0',
        });
        g.config =
          type === 'qemu'
            ? {
                name: `bench-${vmid}`,
                memory: '1024',
                cores: '1',
                sockets: '1',
                ostype: 'l26',
                scsihw: 'virtio-scsi-single',
                scsi0: `${disk},discard=on,size=${sizeText(8 * GiB)}`,
                net0: `virtio=${macAddress(sim.state)},bridge=vmbr0`,
                agent: '1',
                smbios1: `uuid=${uuid(rng)}`,
                tags: 'bench',
              }
            : {
                hostname: `bench-${vmid}`,
                memory: '512',
                swap: '512',
                cores: '1',
                ostype: 'debian',
                arch: 'amd64',
                rootfs: `${disk},size=8G`,
                net0: `name=eth0,bridge=vmbr0,hwaddr=${macAddress(sim.state)},ip=dhcp,type=veth`,
                unprivileged: '1',
              };
        sim.state.guests.push(g);
        if (opts.running ?? true) {
          markRunning(sim, g);
          g.startedAt = sim.nowMs() - Math.floor(rng() * 86400_000 * 5);
          g.agentReadyAt = g.startedAt;
          const run = g.runs[g.runs.length - 1];
          if (run) run[0] = g.startedAt;
        }
        ids.push(vmid);
      }
      sim.changed();
      return ids;
    },
    advanceTime(seconds) {
      sim.clockOffsetMs += seconds * 1000;
    },
    freezeTime(atMs) {
      if (atMs === null) {
        sim.frozenAtMs = undefined;
        return;
      }
      sim.frozenAtMs = (atMs ?? sim.nowMs()) - sim.clockOffsetMs;
      sim.changed();
    },
    rebootGuest(vmid) {
      const g = guest(vmid);
      if (g.status !== 'stopped') markStopped(sim, g);
      markRunning(sim, g);
      sim.changed();
    },
    async waitForTask(upid, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const t = sim.tasks.get(upid);
        if (!t) throw new Error(`no task ${upid}`);
        if (t.status === 'stopped') return t;
        if (Date.now() > deadline) throw new Error(`task ${upid} still running after ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 5));
      }
    },
  };
}

/** HTTP binding of the control surface: JSON in, JSON out, no auth (bind to loopback). */
export function createControlHandler(sim: Sim, control: SimControl) {
  return async (req: IncomingMessage, res: ServerResponse, path: string, body: string) => {
    const reply = (status: number, data: unknown) => {
      const text = JSON.stringify({ data });
      res.writeHead(status, { 'Content-Type': 'application/json' }).end(text);
    };
    // No credentials here: only loopback callers may change the simulation behind the API.
    const from = req.socket.remoteAddress ?? '';
    if (!/^(127\.|::1$|::ffff:127\.)/.test(from)) return reply(403, { error: 'control API is loopback-only' });
    let input: Record<string, unknown> = {};
    try {
      input = body ? (JSON.parse(body) as Record<string, unknown>) : {};
    } catch {
      return reply(400, { error: 'body must be JSON' });
    }
    const method = req.method ?? 'GET';
    const parts = path.split('/').filter(Boolean).slice(1);
    const route = `${method} /${parts.map((p) => (/^\d+$/.test(p) ? ':n' : p)).join('/')}`;
    const num = (i: number) => Number(parts[i]);
    try {
      switch (route) {
        case 'GET /state':
          return reply(200, {
            nodes: sim.state.nodes.map((n) => ({ node: n.name, status: n.status })),
            guests: sim.state.guests.map((g) => ({
              vmid: g.vmid,
              type: g.type,
              node: g.node,
              status: g.status,
              name: g.config.name ?? g.config.hostname,
              lock: g.config.lock,
            })),
            tasks: sim.state.tasks.length,
            faults: control.listRouteFaults(),
          });
        case 'POST /faults/route':
          return reply(200, { id: control.addRouteFault(input as unknown as RouteFault) });
        case 'DELETE /faults/route/:n':
          control.removeRouteFault(num(2));
          return reply(200, null);
        case 'POST /faults/task':
          control.failNextTask(
            String(input.type ?? '*'),
            input.message as string | undefined,
            input.count as number | undefined,
          );
          return reply(200, null);
        case 'POST /faults/warn':
          control.warnNextTask(
            String(input.type ?? '*'),
            (input.lines as string[] | undefined) ?? ['simulated warning'],
          );
          return reply(200, null);
        case 'POST /faults/stall':
          control.stallTasks(String(input.type ?? '*'));
          return reply(200, null);
        case 'POST /faults/release':
          control.releaseTasks(input.type as string | undefined);
          return reply(200, null);
        case 'POST /faults/reset':
          control.resetFaults();
          return reply(200, null);
        case 'POST /time/advance':
          control.advanceTime(Number(input.seconds ?? 0));
          return reply(200, null);
        case 'POST /time/freeze':
          control.freezeTime(input.atMs === undefined ? undefined : (input.atMs as number | null));
          return reply(200, null);
        case 'POST /guests/bulk':
          return reply(
            200,
            control.addGuests(Number(input.count ?? 1), {
              running: input.running !== false,
              ...(input.type ? { type: input.type as GuestType } : {}),
            }),
          );
        default:
          break;
      }
      const node = /^POST \/nodes\/([^/]+)\/(online|offline)$/.exec(`${method} /${parts.join('/')}`);
      if (node) {
        control.setNodeOnline(node[1] as string, node[2] === 'online');
        return reply(200, null);
      }
      const g = /^POST \/guests\/(\d+)\/(stop|start|reboot|delete|move|config)$/.exec(`${method} /${parts.join('/')}`);
      if (g) {
        const vmid = Number(g[1]);
        if (g[2] === 'stop') control.stopGuest(vmid);
        if (g[2] === 'start') control.startGuest(vmid);
        if (g[2] === 'reboot') control.rebootGuest(vmid);
        if (g[2] === 'delete') control.deleteGuest(vmid);
        if (g[2] === 'move') control.moveGuest(vmid, String(input.node));
        if (g[2] === 'config') control.setGuestConfig(vmid, input as Record<string, string | null>);
        return reply(200, null);
      }
      const c = /^GET \/console\/(qemu|lxc)\/([^/]+)\/(\d+)$/.exec(`${method} /${parts.join('/')}`);
      if (c && sim.broker)
        return reply(200, sim.broker.received({ type: c[1] as GuestType, node: c[2] as string, vmid: Number(c[3]) }));
      return reply(404, { error: `unknown control route ${method} ${path}` });
    } catch (err) {
      return reply(400, { error: err instanceof Error ? err.message : String(err) });
    }
  };
}
