// Test helpers: a simulator on a free port and a tiny fetch-based client speaking PVE's wire format.
import { afterEach } from 'vitest';
import { createPveSimulator, type PveSimulator, type PveSimulatorOptions } from '../index.js';

export interface Reply<T = unknown> {
  status: number;
  statusText: string;
  body: { data: T; errors?: Record<string, string>; message?: string; total?: number } | undefined;
  raw: string;
  headers: Headers;
}

export type Auth = { token: string } | { ticket: string; csrf?: string } | 'anonymous';

/** Starts a simulator for one test; closed after it. */
export function useSim(opts: PveSimulatorOptions = {}) {
  const started: PveSimulator[] = [];
  afterEach(async () => {
    await Promise.all(started.splice(0).map((s) => s.close()));
  });
  return async (extra: PveSimulatorOptions = {}) => {
    const sim = await createPveSimulator({ timeFactor: 0.01, consoleBroker: false, ...opts, ...extra });
    started.push(sim);
    return sim;
  };
}

export function client(sim: PveSimulator, auth: Auth = { token: sim.credentials.tokens.full.header }) {
  const call = async <T = unknown>(
    method: string,
    path: string,
    params: Record<string, string | number | boolean | string[]> = {},
    as: Auth = auth,
  ): Promise<Reply<T>> => {
    const form = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) {
      if (Array.isArray(v)) for (const item of v) form.append(k, item);
      else form.append(k, typeof v === 'boolean' ? (v ? '1' : '0') : String(v));
    }
    const headers: Record<string, string> = {};
    if (typeof as === 'object' && 'token' in as) headers.Authorization = as.token;
    if (typeof as === 'object' && 'ticket' in as) {
      headers.Cookie = `PVEAuthCookie=${encodeURIComponent(as.ticket)}`;
      if (as.csrf) headers.CSRFPreventionToken = as.csrf;
    }
    const url = new URL(`${sim.url}/api2/json${path}`);
    let body: string | undefined;
    if (method === 'GET' || method === 'DELETE') url.search = form.toString();
    else {
      body = form.toString();
      headers['Content-Type'] = 'application/x-www-form-urlencoded';
    }
    const res = await fetch(url, { method, headers, ...(body !== undefined ? { body } : {}) });
    const raw = await res.text();
    return {
      status: res.status,
      statusText: res.statusText,
      body: raw ? JSON.parse(raw) : undefined,
      raw,
      headers: res.headers,
    };
  };
  return {
    call,
    get: <T = unknown>(path: string, params?: Record<string, string | number | boolean>, as?: Auth) =>
      call<T>('GET', path, params, as ?? auth),
    post: <T = unknown>(path: string, params?: Record<string, string | number | boolean | string[]>, as?: Auth) =>
      call<T>('POST', path, params, as ?? auth),
    put: <T = unknown>(path: string, params?: Record<string, string | number | boolean>, as?: Auth) =>
      call<T>('PUT', path, params, as ?? auth),
    del: <T = unknown>(path: string, params?: Record<string, string | number | boolean>, as?: Auth) =>
      call<T>('DELETE', path, params, as ?? auth),
    /** Polls a task until it stops and returns its status. */
    async wait(upid: string): Promise<{ status: string; exitstatus?: string }> {
      const node = upid.split(':')[1];
      for (;;) {
        const r = await call<{ status: string; exitstatus?: string }>(
          'GET',
          `/nodes/${node}/tasks/${encodeURIComponent(upid)}/status`,
        );
        if (r.status !== 200) throw new Error(`task status ${r.status} ${r.raw}`);
        if (r.body?.data.status === 'stopped') return r.body.data;
        await new Promise((res) => setTimeout(res, 10));
      }
    },
  };
}
