import { serverApiUrl } from '@/lib/config';
import type { Health } from './health.panel';

async function probe(path: string): Promise<Health['live']> {
  try {
    const res = await fetch(`${serverApiUrl()}${path}`, { cache: 'no-store', signal: AbortSignal.timeout(3_000) });
    return { ok: res.ok, body: `${res.status} ${await res.text()}` };
  } catch (error) {
    return { ok: false, body: error instanceof Error ? error.message : String(error) };
  }
}

/** The API's liveness and readiness, asked from the web server (the browser has no route to them). */
export async function readHealth(): Promise<Health> {
  const [live, ready] = await Promise.all([probe('/healthz'), probe('/readyz')]);
  return { checkedAt: new Date().toISOString(), live, ready };
}
