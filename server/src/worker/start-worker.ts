// The job worker: takes jobs from the queue and runs their workflows. `npm start` runs one inside
// the API process (embedded mode); `npm run worker` runs it alone, as many as needed, against the
// same PostgreSQL and Redis.
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { JobQueue } from '../jobs/queue.js';
import { runJob, type Workflow } from '../jobs/runner.js';
import type { Logger } from '../logger.js';
import { lifecycleWorkflows } from '../modules/lifecycle/lifecycle.workflow.js';
import { createClusterClients } from '../modules/provision/cluster-clients.js';
import { leastCommittedMemory } from '../modules/provision/placement.js';
import type { ConfigureSettings } from '../modules/provision/configure.js';
import { provisionWorkflow } from '../modules/provision/provision.workflow.js';
import { stateConnString, type TerraformSettings } from '../modules/provision/terraform-provisioner.js';
import { startReconciler, type Reconciler } from '../modules/reconcile/reconciler.js';
import type { Collector } from '@pvepaas/orchestration/metrics/index';
import { startMetricsCollector, type MetricsCollectorOptions } from '../modules/metrics/metrics.collector.js';
import { alertListener } from '../modules/alert/alert.listener.js';
import { Notifier, type NotifierOptions } from '../modules/notification/notification.dispatch.js';
import type { PubSub } from '../realtime/pubsub.js';
import type { SecretStore } from '../secrets/secret-store.js';

export interface WorkerDeps {
  orm: MikroORM;
  jobs: JobQueue;
  pubsub: PubSub;
  secrets: SecretStore;
  log: Logger;
  /** Jobs run at once by this process. */
  concurrency?: number;
  addressTimeoutMs?: number;
  /** Per-step timeouts of the provision workflow (tests use short ones). */
  stepTimeoutsMs?: Partial<Record<string, number>>;
  /** Between reconciliations of the clusters with the database; 0 or absent: no timer. */
  reconcileIntervalMs?: number;
  /** Terraform driver settings; state defaults to the worker's own database (pg backend). */
  terraform?: Partial<TerraformSettings>;
  /** Ansible in the configure step; off unless `enabled`. */
  configure?: Partial<ConfigureSettings>;
  /** Runs the metrics collector in this worker (absent, or an interval of 0: no collector). */
  metrics?: MetricsCollectorOptions;
  /** Alert notifications (SMTP, retries); alerts are evaluated wherever the collector runs. */
  alerts?: NotifierOptions;
}

/** The repository's terraform/ and ansible/ (the same depth from src/worker and dist/worker). */
const repoDir = (name: string) => fileURLToPath(new URL(`../../../${name}`, import.meta.url));

export async function startWorker(
  deps: WorkerDeps,
): Promise<{ stop(): void; reconciler: Reconciler; collector: Collector | null }> {
  const log = deps.log.child({ component: 'worker' });
  const clusters = createClusterClients(deps.orm, deps.secrets, log);
  const terraformSettings: TerraformSettings = {
    stateConnStr: stateConnString(deps.orm.config.get('clientUrl')!),
    stateSchema: 'terraform_state',
    workRoot: `${tmpdir()}/pvepaas-terraform`,
    modulesDir: repoDir('terraform/modules'),
    ...deps.terraform,
  };
  const workflows = new Map<string, Workflow>(
    [
      provisionWorkflow({
        em: deps.orm.em,
        pubsub: deps.pubsub,
        clusters,
        secrets: deps.secrets,
        placement: leastCommittedMemory,
        addressTimeoutMs: deps.addressTimeoutMs,
        stepTimeoutsMs: deps.stepTimeoutsMs,
        terraform: terraformSettings,
        configure: { enabled: false, ansibleDir: repoDir('ansible'), ...deps.configure },
      }) as unknown as Workflow,
      ...lifecycleWorkflows({
        em: deps.orm.em,
        terraform: terraformSettings,
        clusters,
        secrets: deps.secrets,
        pubsub: deps.pubsub,
        addressTimeoutMs: deps.addressTimeoutMs,
      }),
    ].map((w) => [w.kind, w]),
  );
  await deps.jobs.work(deps.concurrency ?? 8, async (jobId, signal) => {
    const started = Date.now();
    try {
      await runJob({ em: deps.orm.em, pubsub: deps.pubsub, log, workflows }, jobId, signal);
    } finally {
      log.info({ jobId, ms: Date.now() - started }, 'job run ended');
    }
  });
  const reconciler = startReconciler({
    orm: deps.orm,
    clusters,
    pubsub: deps.pubsub,
    log,
    intervalMs: deps.reconcileIntervalMs ?? 0,
  });
  const notifier = new Notifier(deps.orm, deps.secrets, log.child({ component: 'notifications' }), deps.alerts);
  const collector =
    deps.metrics && (deps.metrics.intervalMs ?? 10_000) > 0
      ? startMetricsCollector(
          { orm: deps.orm, clusters, pubsub: deps.pubsub, log },
          {
            ...deps.metrics,
            listeners: [
              ...(deps.metrics.listeners ?? []),
              alertListener({ orm: deps.orm, pubsub: deps.pubsub, notifier, log: log.child({ component: 'alerts' }) }),
            ],
          },
        )
      : null;
  log.info({ workflows: [...workflows.keys()] }, 'worker started');
  return {
    reconciler,
    collector,
    stop: () => {
      void reconciler.stop();
      void collector?.stop();
      notifier.close();
      clusters.close();
    },
  };
}
