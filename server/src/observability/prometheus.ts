// The platform's own metrics at GET /metrics, in Prometheus' text format (prom-client): HTTP and
// GraphQL operation latency, job durations and queue depth, active graphql-ws subscriptions and the
// metrics collector's lag. Job and collector figures are read from the database at scrape time, so
// any API instance reports them for every worker (scrape one instance for those, or sum with care).
// One registry per app: tests run several apps in one process.
import { timingSafeEqual } from 'node:crypto';
import type { ApolloServerPlugin } from '@apollo/server';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { RequestHandler } from 'express';
import { Kind, type DocumentNode, type OperationDefinitionNode } from 'graphql';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Logger } from '../logger.js';

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const JOB_BUCKETS = [0.5, 1, 2, 5, 10, 30, 60, 120, 300, 600, 1800, 3600];
/** Paths by their first segment: a bounded label, whatever clients request. */
const ROUTES = new Set(['graphql', 'healthz', 'readyz', 'metrics', 'reports', 'auth', 'console']);
const MAX_OPERATION_NAMES = 500;

export interface PlatformMetrics {
  registry: Registry;
  /** Times every HTTP request (mount first). */
  http: RequestHandler;
  /** Times every GraphQL operation over HTTP. */
  apollo: ApolloServerPlugin;
  /** graphql-ws hooks: the connections whose subscriptions are counted. */
  ws: { onConnect(ctx: object): boolean; onClose(ctx: object): void };
  /** GET /metrics, protected by `token` (Bearer) or, without one, open to loopback callers only. */
  route: RequestHandler;
}

function documentName(doc: DocumentNode | undefined): string | undefined {
  const op = doc?.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  return op?.name?.value;
}

const isLoopback = (address: string | undefined) =>
  address === '127.0.0.1' || address === '::1' || address === '::ffff:127.0.0.1';

function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function createPlatformMetrics(deps: { orm: MikroORM; log: Logger; token?: string }): PlatformMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'pvepaas_' });
  const httpLatency = new Histogram({
    name: 'pvepaas_http_request_duration_seconds',
    help: 'HTTP requests to the API by method, route (first path segment) and status.',
    labelNames: ['method', 'route', 'status'],
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  const gqlLatency = new Histogram({
    name: 'pvepaas_graphql_operation_duration_seconds',
    help: 'GraphQL operations over HTTP by type, operation name and outcome (ok or error).',
    labelNames: ['type', 'operation', 'outcome'],
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  const connections = new Set<{ subscriptions?: Record<string, unknown> }>();
  new Gauge({
    name: 'pvepaas_graphql_active_subscriptions',
    help: 'graphql-ws operations running on this API instance.',
    registers: [registry],
    collect() {
      let n = 0;
      for (const c of connections) n += Object.keys(c.subscriptions ?? {}).length;
      this.set(n);
    },
  });
  const em = () => deps.orm.em.fork().getConnection();
  new Gauge({
    name: 'pvepaas_job_queue_depth',
    help: 'Jobs waiting (QUEUED) or in progress (RUNNING, CANCELLING, ROLLING_BACK), all workers.',
    labelNames: ['status'],
    registers: [registry],
    async collect() {
      const rows = await em().execute<{ status: string; n: string }[]>(
        `select status, count(*) as n from job where status in ('QUEUED', 'RUNNING', 'CANCELLING', 'ROLLING_BACK') group by status`,
      );
      this.reset();
      for (const s of ['QUEUED', 'RUNNING', 'CANCELLING', 'ROLLING_BACK'])
        this.set({ status: s }, Number(rows.find((r) => r.status === s)?.n ?? 0));
    },
  });
  const jobDuration = new Histogram({
    name: 'pvepaas_job_duration_seconds',
    help: 'Jobs from start to end, by kind and final status (observed as they finish, read from the database).',
    labelNames: ['kind', 'status'],
    buckets: JOB_BUCKETS,
    registers: [registry],
  });
  const jobsSeen = new Counter({
    name: 'pvepaas_jobs_finished_total',
    help: 'Jobs that finished since this API instance started, by kind and status.',
    labelNames: ['kind', 'status'],
    registers: [registry],
  });
  // Jobs finished after this instant are observed at the next scrape (each once per instance).
  let watermark = new Date(Date.now() - 3_600_000);
  const observeJobs = async () => {
    const rows = await em().execute<{ kind: string; status: string; seconds: number; finished_at: string | Date }[]>(
      `select kind, status, extract(epoch from finished_at - started_at) as seconds, finished_at from job
        where finished_at > ? and started_at is not null order by finished_at limit 10000`,
      [watermark],
    );
    for (const r of rows) {
      jobDuration.observe({ kind: r.kind, status: r.status }, Number(r.seconds));
      jobsSeen.inc({ kind: r.kind, status: r.status });
      watermark = new Date(r.finished_at);
    }
  };
  new Gauge({
    name: 'pvepaas_metrics_collector_lag_seconds',
    help: "Seconds since each cluster's last collected sample (within the last day).",
    labelNames: ['cluster_id'],
    registers: [registry],
    async collect() {
      const rows = await em().execute<{ cluster_id: string; ts: string | Date }[]>(
        `select cluster_id, max(ts) as ts from metric_sample
          where ts > now() - interval '1 day' and not backfilled group by cluster_id`,
      );
      this.reset();
      for (const r of rows) this.set({ cluster_id: r.cluster_id }, Math.max(0, (Date.now() - +new Date(r.ts)) / 1000));
    },
  });

  const names = new Set<string>();
  const operationLabel = (name: string | null | undefined) => {
    if (!name || !/^[A-Za-z_][A-Za-z0-9_]{0,63}$/.test(name)) return 'anonymous';
    if (names.has(name)) return name;
    if (names.size >= MAX_OPERATION_NAMES) return 'other';
    names.add(name);
    return name;
  };

  return {
    registry,
    http: (req, res, next) => {
      const end = httpLatency.startTimer();
      res.on('finish', () => {
        const first = (req.originalUrl.split('?')[0] ?? '').split('/')[1] ?? '';
        end({ method: req.method, route: ROUTES.has(first) ? `/${first}` : 'other', status: String(res.statusCode) });
      });
      next();
    },
    apollo: {
      async requestDidStart() {
        const end = gqlLatency.startTimer();
        return {
          async willSendResponse(rc) {
            end({
              type: rc.operation?.operation ?? 'invalid',
              // An operation that failed validation has no resolved name: take it from the document.
              operation: operationLabel(rc.operationName ?? rc.request.operationName ?? documentName(rc.document)),
              outcome: rc.errors?.length ? 'error' : 'ok',
            });
          },
        };
      },
    },
    ws: {
      onConnect: (ctx) => {
        connections.add(ctx);
        return true;
      },
      onClose: (ctx) => void connections.delete(ctx),
    },
    route: async (req, res) => {
      const auth = req.headers.authorization;
      if (deps.token) {
        if (!auth?.startsWith('Bearer ') || !sameToken(auth.slice(7).trim(), deps.token)) {
          res
            .status(401)
            .set('www-authenticate', 'Bearer')
            .type('text/plain')
            .send('Send METRICS_TOKEN as a bearer token.\n');
          return;
        }
      } else if (!isLoopback(req.socket.remoteAddress)) {
        res.status(403).type('text/plain').send('Set METRICS_TOKEN to scrape /metrics from another host.\n');
        return;
      }
      try {
        await observeJobs();
        res.type(registry.contentType).send(await registry.metrics());
      } catch (err) {
        deps.log.error({ err }, 'could not collect /metrics');
        res.status(500).type('text/plain').send('metrics collection failed; see the API log\n');
      }
    },
  };
}
