// Waiting for Proxmox tasks (README §3): poll /status with backoff, stream /log so every new line is
// delivered exactly once, and turn the exit status into success or a TASK_FAILED error.
import { ProxmoxError, ProxmoxTaskError } from './errors.js';
import { apiPath, backoffDelay, type ProxmoxHttp } from './http.js';
import { parseUpid } from './upid.js';

export interface TaskStatus {
  upid: string;
  node: string;
  pid: number;
  pstart: number;
  starttime: number;
  type: string;
  id: string;
  user: string;
  tokenid?: string;
  status: 'running' | 'stopped';
  exitstatus?: string;
}

export interface TaskLogLine {
  n: number;
  t: string;
}

export interface TaskListItem {
  upid: string;
  node: string;
  pid: number;
  pstart: number;
  starttime: number;
  type: string;
  id: string;
  user: string;
  tokenid?: string;
  status?: string;
  endtime?: number;
  saved?: string;
}

export interface NodeTaskFilter {
  start?: number;
  limit?: number;
  vmid?: number;
  typefilter?: string;
  userfilter?: string;
  errors?: boolean;
  source?: 'archive' | 'active' | 'all';
  since?: number;
  until?: number;
  statusfilter?: string;
}

export interface WaitOptions {
  /** Give up after this long (the task keeps running on Proxmox). Default 10 min. */
  timeoutMs?: number;
  /** Called once per new log line, in order. */
  onLog?: (line: string, n: number) => void;
  /** First poll delay; doubles (with jitter) up to maxIntervalMs. */
  initialIntervalMs?: number;
  maxIntervalMs?: number;
  signal?: AbortSignal;
}

export interface TaskResult {
  upid: string;
  exitstatus: string;
  /** Number of warnings for `WARNINGS: n`, else 0. */
  warnings: number;
  status: TaskStatus;
}

/** `OK` and `WARNINGS: n` succeed (PVE::UPID::status_is_error); anything else is an error text. */
export function taskSucceeded(exitstatus: string | undefined): boolean {
  return exitstatus === 'OK' || /^WARNINGS: \d+$/.test(exitstatus ?? '');
}

const LOG_PAGE = 500;

export interface TaskClock {
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  random?: () => number;
}

const realClock: TaskClock = { now: Date.now, sleep: (ms) => new Promise((r) => setTimeout(r, ms)) };

export class TaskApi {
  constructor(
    private readonly http: ProxmoxHttp,
    private readonly clock: TaskClock = realClock,
  ) {}

  status(upid: string): Promise<TaskStatus> {
    const { node } = parseUpid(upid);
    return this.http.get<TaskStatus>(apiPath`/nodes/${node}/tasks/${upid}/status`);
  }

  /**
   * One page of the log; `start` is the 0-based line offset. An empty log file comes back from
   * Proxmox as the placeholder `[{n: 1, t: "no content"}]` (pve-common dump_logfile, an ExtJS
   * workaround); it is returned here as no lines, so the real line 1 is not mistaken for a repeat.
   */
  async log(upid: string, start = 0, limit = LOG_PAGE): Promise<{ lines: TaskLogLine[] }> {
    const { node } = parseUpid(upid);
    const lines = await this.http.get<TaskLogLine[]>(apiPath`/nodes/${node}/tasks/${upid}/log`, { start, limit });
    if (!Array.isArray(lines)) return { lines: [] };
    if (start === 0 && lines.length === 1 && lines[0]!.n === 1 && lines[0]!.t === 'no content') return { lines: [] };
    return { lines };
  }

  /** Stops a running task. */
  async stop(upid: string): Promise<void> {
    const { node } = parseUpid(upid);
    await this.http.delete(apiPath`/nodes/${node}/tasks/${upid}`);
  }

  listNode(node: string, filter: NodeTaskFilter = {}): Promise<TaskListItem[]> {
    return this.http.get<TaskListItem[]>(apiPath`/nodes/${node}/tasks`, { ...filter });
  }

  listCluster(): Promise<TaskListItem[]> {
    return this.http.get<TaskListItem[]>('/cluster/tasks');
  }

  /**
   * Polls until the task stops. Resolves for `OK` / `WARNINGS: n`; throws ProxmoxTaskError (code
   * TASK_FAILED) with the exit text otherwise, and TASK_FAILED on timeout.
   */
  async wait(upid: string, o: WaitOptions = {}): Promise<TaskResult> {
    const timeoutMs = o.timeoutMs ?? 10 * 60_000;
    const policy = { retries: 0, baseDelayMs: o.initialIntervalMs ?? 250, maxDelayMs: o.maxIntervalMs ?? 2_000 };
    const deadline = this.clock.now() + timeoutMs;
    let next = 0; // next log line to fetch
    const tail: string[] = [];
    const drain = async () => {
      // Lines are numbered from 1 (`n`); `start` is a 0-based offset. Fetch pages until short.
      for (;;) {
        const { lines } = await this.log(upid, next);
        for (const l of lines) {
          if (l.n <= next) continue; // never deliver a line twice
          next = l.n;
          tail.push(l.t);
          if (tail.length > 20) tail.shift();
          o.onLog?.(l.t, l.n);
        }
        if (lines.length < LOG_PAGE) return;
      }
    };
    for (let attempt = 0; ; attempt++) {
      if (o.signal?.aborted) throw new ProxmoxError('TASK_FAILED', `waiting for task ${upid} was aborted`);
      const status = await this.status(upid);
      // The log is best effort: a failed page is fetched again on the next poll (`next` is unchanged),
      // and it never turns a task's outcome into an error.
      if (o.onLog) await drain().catch(() => undefined);
      if (status.status === 'stopped') {
        const exit = status.exitstatus ?? 'unexpected status';
        if (!taskSucceeded(exit)) {
          if (!o.onLog) await drain().catch(() => undefined);
          throw new ProxmoxTaskError(upid, exit, tail);
        }
        const warnings = /^WARNINGS: (\d+)$/.exec(exit);
        return { upid, exitstatus: exit, warnings: warnings ? Number(warnings[1]) : 0, status };
      }
      const remaining = deadline - this.clock.now();
      if (remaining <= 0) throw ProxmoxTaskError.timeout(upid, timeoutMs);
      const delay = Math.min(backoffDelay(Math.min(attempt, 16), policy, this.clock.random), remaining);
      await this.clock.sleep(delay);
    }
  }

  /**
   * Starts a task and waits for it; if the task dies on a guest lock timeout (it changed nothing),
   * starts it again with backoff. Only for callers whose start function is safe to repeat after
   * such a failure.
   */
  async runRetryingLocks(
    start: () => Promise<string>,
    o: WaitOptions & { retries?: number } = {},
  ): Promise<TaskResult> {
    const retries = o.retries ?? 3;
    for (let attempt = 0; ; attempt++) {
      const upid = await start();
      try {
        return await this.wait(upid, o);
      } catch (e) {
        if (!(e instanceof ProxmoxTaskError) || !e.lockTimeout || attempt >= retries) throw e;
        await this.clock.sleep(
          backoffDelay(attempt, { retries, baseDelayMs: 500, maxDelayMs: 10_000 }, this.clock.random),
        );
      }
    }
  }
}
