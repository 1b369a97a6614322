import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ProxmoxTaskError } from './errors.js';
import { ProxmoxHttp } from './http.js';
import { TaskApi, taskSucceeded } from './tasks.js';
import { formatUpid } from './upid.js';
import { silentLogger, startFakeServer, type FakeServer } from './test/fake-server.js';

const UPID = formatUpid({
  node: 'pve',
  pid: 4242,
  pstart: 1,
  starttime: 1_700_000_000,
  type: 'qmclone',
  id: '100',
  user: 'paas@pve!platform',
});

let srv: FakeServer;
let now: number;
let sleeps: number[];
let api: TaskApi;

/** A task that runs for `polls` status polls, adding one log line per poll. */
function scriptTask(polls: number, exitstatus: string, linesPerPoll = 1) {
  let n = 0;
  const log: { n: number; t: string }[] = [];
  srv.handle((r) => {
    if (r.path.endsWith('/status')) {
      n++;
      for (let i = 0; i < linesPerPoll; i++) log.push({ n: log.length + 1, t: `line ${log.length + 1}` });
      const stopped = n >= polls;
      if (stopped) log.push({ n: log.length + 1, t: exitstatus === 'OK' ? 'TASK OK' : `TASK ERROR: ${exitstatus}` });
      return {
        body: {
          data: {
            upid: UPID,
            node: 'pve',
            status: stopped ? 'stopped' : 'running',
            ...(stopped ? { exitstatus } : {}),
          },
        },
      };
    }
    if (r.path.endsWith('/log')) {
      const start = Number(r.params.get('start') ?? 0);
      const limit = Number(r.params.get('limit') ?? 50);
      return { body: { data: log.slice(start, start + limit), total: log.length } };
    }
    return { status: 501, statusMessage: 'not implemented' };
  });
  return log;
}

beforeEach(async () => {
  srv = await startFakeServer();
  now = 0;
  sleeps = [];
  const http = new ProxmoxHttp({
    url: srv.url,
    auth: { type: 'token', tokenId: 'a@pve!t', secret: 's' },
    logger: silentLogger,
  });
  api = new TaskApi(http, {
    now: () => now,
    sleep: async (ms) => {
      sleeps.push(ms);
      now += ms;
    },
    random: () => 1,
  });
});
afterEach(() => srv.close());

describe('exit status rules', () => {
  it.each([
    ['OK', true],
    ['WARNINGS: 2', true],
    ['unexpected status', false],
    ["can't lock file '/var/lock/qemu-server/lock-190.conf' - got timeout", false],
    ['interrupted by signal', false],
    [undefined, false],
  ])('%s → %s', (s, ok) => expect(taskSucceeded(s)).toBe(ok));
});

describe('waitForTask', () => {
  it('polls with growing backoff until stopped and resolves on OK', async () => {
    scriptTask(5, 'OK');
    const res = await api.wait(UPID, { initialIntervalMs: 100, maxIntervalMs: 400 });
    expect(res).toMatchObject({ upid: UPID, exitstatus: 'OK', warnings: 0 });
    expect(sleeps).toEqual([100, 200, 400, 400]);
    const statusPaths = srv.requests.filter((r) => r.path.endsWith('/status')).map((r) => r.path);
    expect(statusPaths[0]).toBe(`/nodes/pve/tasks/${UPID}/status`);
  });

  it('WARNINGS: n succeeds and reports the count', async () => {
    scriptTask(1, 'WARNINGS: 3');
    expect(await api.wait(UPID)).toMatchObject({ warnings: 3 });
  });

  it('streams each log line exactly once, in order, across pages', async () => {
    const log = scriptTask(4, 'OK', 700); // 700 lines per poll → two pages of at most 500
    const seen: number[] = [];
    const text: string[] = [];
    await api.wait(UPID, { onLog: (t, n) => (seen.push(n), text.push(t)) });
    expect(seen).toEqual(log.map((l) => l.n));
    expect(text.at(-1)).toBe('TASK OK');
    const starts = srv.requests.filter((r) => r.path.endsWith('/log')).map((r) => Number(r.params.get('start')));
    expect(starts.slice(0, 4)).toEqual([0, 500, 700, 1200]);
  });

  it('the "no content" placeholder of an empty log is not delivered and does not hide line 1', async () => {
    let polls = 0;
    srv.handle((r) => {
      if (r.path.endsWith('/status')) {
        polls++;
        return {
          body: { data: { status: polls >= 3 ? 'stopped' : 'running', ...(polls >= 3 ? { exitstatus: 'OK' } : {}) } },
        };
      }
      // poll 1: empty log file → Proxmox's placeholder; afterwards the real lines
      const log =
        polls < 2
          ? [{ n: 1, t: 'no content' }]
          : [
              { n: 1, t: 'first real line' },
              { n: 2, t: 'TASK OK' },
            ];
      const start = Number(r.params.get('start') ?? 0);
      return { body: { data: log.slice(start), total: log.length } };
    });
    const lines: string[] = [];
    await api.wait(UPID, { onLog: (t) => lines.push(t) });
    expect(lines).toEqual(['first real line', 'TASK OK']);
  });

  it('a failing log fetch does not fail the wait; the lines come on the next poll', async () => {
    let polls = 0;
    let logCalls = 0;
    srv.handle((r) => {
      if (r.path.endsWith('/status')) {
        polls++;
        return {
          body: { data: { status: polls >= 3 ? 'stopped' : 'running', ...(polls >= 3 ? { exitstatus: 'OK' } : {}) } },
        };
      }
      if (++logCalls === 1) return { status: 500, body: { data: null, message: 'boom\n' } };
      const log = [
        { n: 1, t: 'a' },
        { n: 2, t: 'TASK OK' },
      ];
      return { body: { data: log.slice(Number(r.params.get('start') ?? 0)) } };
    });
    const lines: string[] = [];
    expect((await api.wait(UPID, { onLog: (t) => lines.push(t) })).exitstatus).toBe('OK');
    expect(lines).toEqual(['a', 'TASK OK']);
  });

  it('throws TASK_FAILED with the exit text and the log tail', async () => {
    scriptTask(2, 'VM 100 already running');
    const err = await api.wait(UPID).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProxmoxTaskError);
    expect(err).toMatchObject({ code: 'TASK_FAILED', exitStatus: 'VM 100 already running' });
    expect((err as ProxmoxTaskError).logTail.at(-1)).toBe('TASK ERROR: VM 100 already running');
  });

  it('times out with TASK_FAILED', async () => {
    scriptTask(1000, 'OK');
    await expect(api.wait(UPID, { timeoutMs: 1000, initialIntervalMs: 300 })).rejects.toMatchObject({
      code: 'TASK_FAILED',
      message: expect.stringMatching(/did not finish within 1000 ms/),
    });
  });

  it('stops waiting when the signal is aborted', async () => {
    scriptTask(1000, 'OK');
    const ac = new AbortController();
    const p = api.wait(UPID, { signal: ac.signal });
    ac.abort();
    await expect(p).rejects.toMatchObject({ code: 'TASK_FAILED', message: expect.stringMatching(/aborted/) });
  });

  it('runRetryingLocks starts the task again after a lock-timeout failure only', async () => {
    let starts = 0;
    let statusCalls = 0;
    srv.handle((r) => {
      if (r.path.endsWith('/status')) {
        statusCalls++;
        const exitstatus =
          statusCalls === 1 ? "can't lock file '/var/lock/qemu-server/lock-100.conf' - got timeout" : 'OK';
        return { body: { data: { status: 'stopped', exitstatus } } };
      }
      return { body: { data: [] } };
    });
    const res = await api.runRetryingLocks(async () => {
      starts++;
      return UPID;
    });
    expect(res.exitstatus).toBe('OK');
    expect(starts).toBe(2);

    srv.handle(() => ({ body: { data: { status: 'stopped', exitstatus: 'storage full' } } }));
    starts = 0;
    await expect(api.runRetryingLocks(async () => (starts++, UPID))).rejects.toMatchObject({
      exitStatus: 'storage full',
    });
    expect(starts).toBe(1);
  });
});
