// Worker tasks as PVE's fork_worker runs them: a UPID is returned at once, the work runs in the
// background, the task log ends with `TASK OK`, `TASK WARNINGS: n` or `TASK ERROR: <msg>`.
// Per-guest config locks follow AbstractConfig::lock_config: a flock with a 10 s timeout.
import type { Identity } from './auth.js';
import { authid } from './auth.js';
import type { GuestType, SimStateData, TaskRecord } from './state.js';

const MAX_TASKS = 5000;
export const LOCK_TIMEOUT_MS = 10_000;

export interface TaskContext {
  upid: string;
  log(line: string): void;
  warn(line: string): void;
  /** Sleeps a modelled duration (scaled by timeFactor). */
  sleep(modelMs: number): Promise<void>;
  /** Where an injected stall holds the task (after its locks are taken). */
  checkpoint(): Promise<void>;
}

export interface TaskHooks {
  nowMs(): number;
  sleep(modelMs: number): Promise<void>;
  /** Fault injection: an error message if the next task of this type must fail. */
  takeFailure(type: string): string | undefined;
  /** Fault injection: warnings the next task of this type logs. */
  takeWarnings(type: string): string[] | undefined;
  /** Fault injection: resolves when a stalled task of this type may go on. */
  stall(type: string): Promise<void> | undefined;
  changed(): void;
}

export class TaskManager {
  private pid: number;
  private readonly byUpid = new Map<string, TaskRecord>();
  private readonly running = new Set<Promise<void>>();

  constructor(
    private readonly state: SimStateData,
    private readonly hooks: TaskHooks,
  ) {
    this.pid = 0x1a000 + (state.seed % 0x1000) * 16;
    for (const t of state.tasks) {
      if (t.status === 'running')
        Object.assign(t, { status: 'stopped', exitstatus: 'unexpected status', endtime: t.starttime });
      this.byUpid.set(t.upid, t);
      this.pid = Math.max(this.pid, t.pid);
    }
  }

  get(upid: string): TaskRecord | undefined {
    return this.byUpid.get(upid);
  }

  list(): TaskRecord[] {
    return this.state.tasks;
  }

  start(opts: {
    node: string;
    type: string;
    id: string;
    identity: Identity;
    work: (t: TaskContext) => Promise<void>;
  }): string {
    const now = this.hooks.nowMs();
    const pid = ++this.pid;
    const node = this.state.nodes.find((n) => n.name === opts.node);
    const pstart = Math.floor((now - (node?.bootedAt ?? now)) / 10);
    const starttime = Math.floor(now / 1000);
    const hex = (n: number) => n.toString(16).toUpperCase().padStart(8, '0');
    const who = authid(opts.identity);
    const upid = `UPID:${opts.node}:${hex(pid)}:${hex(pstart)}:${hex(starttime)}:${opts.type}:${opts.id}:${who}:`;
    const record: TaskRecord = {
      upid,
      node: opts.node,
      pid,
      pstart,
      starttime,
      type: opts.type,
      id: opts.id,
      user: opts.identity.userid,
      ...(opts.identity.tokenid ? { tokenid: opts.identity.tokenid.split('!')[1] } : {}),
      status: 'running',
      log: [],
    };
    this.state.tasks.push(record);
    this.byUpid.set(upid, record);
    this.prune();
    let warnings = 0;
    // An injected failure surfaces at the task's checkpoint (after its locks, inside its cleanup
    // path), or at the end for tasks without one.
    let injected = this.hooks.takeFailure(opts.type);
    const raiseInjected = () => {
      if (injected === undefined) return;
      const msg = injected;
      injected = undefined;
      throw new Error(msg);
    };
    const ctx: TaskContext = {
      upid,
      log: (line) => void record.log.push(line),
      warn: (line) => {
        warnings++;
        record.log.push(`WARN: ${line}`);
      },
      // A stopped task (DELETE …/tasks/{upid}) unwinds at its next sleep or checkpoint, so its
      // cleanup runs as it would after SIGTERM.
      sleep: async (ms) => {
        await this.hooks.sleep(ms);
        if (this.interrupted.has(upid)) throw new Error('interrupted by signal');
      },
      checkpoint: async () => {
        const stall = this.hooks.stall(opts.type);
        if (stall) await Promise.race([stall, this.interruption(upid)]);
        if (this.interrupted.has(upid)) throw new Error('interrupted by signal');
        raiseInjected();
      },
    };
    const run = (async () => {
      await Promise.resolve();
      await opts.work(ctx);
      raiseInjected();
      for (const line of this.hooks.takeWarnings(opts.type) ?? []) ctx.warn(line);
    })().then(
      () => this.finish(record, warnings ? `WARNINGS: ${warnings}` : 'OK'),
      (err: unknown) => this.finish(record, errorText(err)),
    );
    this.running.add(run);
    void run.finally(() => {
      this.running.delete(run);
      this.interrupted.delete(upid);
      this.wakers.delete(upid);
    });
    this.hooks.changed();
    return upid;
  }

  /** DELETE /nodes/{node}/tasks/{upid}. */
  stop(upid: string): boolean {
    const t = this.byUpid.get(upid);
    if (!t || t.status !== 'running') return false;
    this.interrupted.add(upid);
    this.wakers.get(upid)?.();
    this.finish(t, 'interrupted by signal');
    return true;
  }

  private readonly interrupted = new Set<string>();
  private readonly wakers = new Map<string, () => void>();

  private interruption(upid: string): Promise<void> {
    return new Promise((resolve) => this.wakers.set(upid, resolve));
  }

  /** Resolves when every task started so far has ended (for close()). */
  async drain(): Promise<void> {
    await Promise.allSettled([...this.running]);
  }

  private finish(t: TaskRecord, exitstatus: string) {
    if (t.status === 'stopped') return;
    t.log.push(
      exitstatus === 'OK'
        ? 'TASK OK'
        : exitstatus.startsWith('WARNINGS')
          ? `TASK ${exitstatus}`
          : `TASK ERROR: ${exitstatus}`,
    );
    t.status = 'stopped';
    t.exitstatus = exitstatus;
    t.endtime = Math.floor(this.hooks.nowMs() / 1000);
    this.hooks.changed();
  }

  private prune() {
    if (this.state.tasks.length <= MAX_TASKS) return;
    const drop = this.state.tasks.findIndex((t) => t.status === 'stopped');
    if (drop >= 0) {
      const [old] = this.state.tasks.splice(drop, 1);
      if (old) this.byUpid.delete(old.upid);
    }
  }
}

export function errorText(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  return msg.replace(/\n+$/, '').split('\n')[0] ?? msg;
}

interface LockState {
  exclusive: boolean;
  shared: number;
  waiters: Set<() => void>;
}

export const lockFile = (type: GuestType, vmid: number) =>
  type === 'qemu' ? `/var/lock/qemu-server/lock-${vmid}.conf` : `/run/lock/lxc/pve-config-${vmid}.lock`;

export class LockError extends Error {}

export class LockManager {
  private readonly locks = new Map<number, LockState>();

  constructor(private readonly scale: (ms: number) => number) {}

  /** Runs fn under the guest's config lock; fails with PVE's text after the (scaled) timeout. */
  async with<T>(
    type: GuestType,
    vmid: number,
    fn: () => Promise<T> | T,
    opts: { shared?: boolean; timeoutMs?: number } = {},
  ): Promise<T> {
    const release = await this.acquire(type, vmid, opts.shared ?? false, this.scale(opts.timeoutMs ?? LOCK_TIMEOUT_MS));
    try {
      return await fn();
    } finally {
      release();
    }
  }

  isLocked(vmid: number): boolean {
    const l = this.locks.get(vmid);
    return !!l && (l.exclusive || l.shared > 0);
  }

  private acquire(type: GuestType, vmid: number, shared: boolean, timeout: number): Promise<() => void> {
    let l = this.locks.get(vmid);
    if (!l) {
      l = { exclusive: false, shared: 0, waiters: new Set() };
      this.locks.set(vmid, l);
    }
    const lock = l;
    const free = () => !lock.exclusive && (shared || lock.shared === 0);
    const take = () => {
      if (shared) lock.shared++;
      else lock.exclusive = true;
      let released = false;
      return () => {
        if (released) return;
        released = true;
        if (shared) lock.shared--;
        else lock.exclusive = false;
        for (const w of [...lock.waiters]) w();
        if (!lock.exclusive && lock.shared === 0 && lock.waiters.size === 0) this.locks.delete(vmid);
      };
    };
    if (free()) return Promise.resolve(take());
    return new Promise((resolve, reject) => {
      const waiter = () => {
        if (!free()) return;
        lock.waiters.delete(waiter);
        clearTimeout(timer);
        resolve(take());
      };
      const timer = setTimeout(() => {
        lock.waiters.delete(waiter);
        reject(new LockError(`can't lock file '${lockFile(type, vmid)}' - got timeout`));
      }, timeout);
      lock.waiters.add(waiter);
    });
  }
}
