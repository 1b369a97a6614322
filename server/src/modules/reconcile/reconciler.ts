// The reconciler's schedule: a timer in each worker process runs a pass over every cluster, one
// pass at a time, `intervalMs` after the previous one ended (so a slow cluster never stacks passes).
// Several workers may reconcile the same cluster: every write is conditional on the row being
// unchanged since it was read, so a change is applied and published once.
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from '../../logger.js';
import type { PubSub } from '../../realtime/pubsub.js';
import { Cluster } from '../cluster/cluster.entity.js';
import type { ClusterClients } from '../provision/cluster-clients.js';
import { reconcileCluster, type ReconcileReport } from './reconcile.service.js';

export interface ReconcilerDeps {
  orm: Pick<MikroORM, 'em'>;
  clusters: ClusterClients;
  pubsub: PubSub;
  log: Logger;
  intervalMs: number;
}

export interface Reconciler {
  /** Runs one pass over every cluster now (also what the timer calls). */
  runOnce(): Promise<ReconcileReport[]>;
  stop(): Promise<void>;
}

export function startReconciler(deps: ReconcilerDeps): Reconciler {
  const log = deps.log.child({ component: 'reconciler' });
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<ReconcileReport[]> | undefined;
  let stopped = false;

  const pass = async (): Promise<ReconcileReport[]> => {
    const clusters = await deps.orm.em.fork().find(Cluster, {}, { fields: ['id', 'name'] });
    const reports: ReconcileReport[] = [];
    for (const cluster of clusters) {
      try {
        const client = await deps.clusters.get(cluster.id);
        reports.push(await reconcileCluster({ em: deps.orm.em, pubsub: deps.pubsub, log }, cluster.id, client));
      } catch (err) {
        // One unreachable cluster must not stop the others; the next pass tries again.
        log.warn({ err, clusterId: cluster.id, cluster: cluster.name }, 'reconcile pass failed');
      }
    }
    return reports;
  };
  const runOnce = async () => {
    // Never two passes at once in one process.
    while (running) await running.catch(() => undefined);
    running = pass();
    try {
      return await running;
    } finally {
      running = undefined;
    }
  };
  const schedule = () => {
    if (stopped || deps.intervalMs <= 0) return;
    timer = setTimeout(
      () =>
        void runOnce()
          .catch((err: unknown) => log.error({ err }, 'reconcile failed'))
          .finally(schedule),
      deps.intervalMs,
    );
    timer.unref();
  };
  schedule();
  return {
    runOnce,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running?.catch(() => undefined);
    },
  };
}
