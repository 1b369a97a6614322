// One Proxmox client per cluster, built from the cluster's row and its token secret (read from the
// secret store, never the database), cached by the orchestration package's registry.
import type { MikroORM } from '@mikro-orm/postgresql';
import { ClusterRegistry, type ProxmoxClient } from '@pvepaas/orchestration/proxmox/index';
import type { Logger } from '../../logger.js';
import type { SecretStore } from '../../secrets/secret-store.js';
import { Cluster } from '../cluster/cluster.entity.js';

export interface ClusterClients {
  get(clusterId: string): Promise<ProxmoxClient>;
  close(): void;
}

export function createClusterClients(orm: Pick<MikroORM, 'em'>, secrets: SecretStore, log: Logger): ClusterClients {
  const registry = new ClusterRegistry(
    async (id) => {
      const cluster = await orm.em.fork().findOne(Cluster, { id });
      if (!cluster) return undefined;
      const secret = await secrets.read(cluster.tokenSecretRef);
      const tokenSecret = secret?.data.secret;
      if (!tokenSecret)
        throw new Error(
          `The API token secret of cluster ${cluster.name} is missing from the secret store; set it again with updateCluster.`,
        );
      return {
        id,
        url: cluster.apiUrl,
        tokenId: cluster.tokenId,
        tokenSecret,
        fingerprint: cluster.tlsFingerprint ?? undefined,
        caPem: cluster.caPem ?? undefined,
      };
    },
    { logger: log },
  );
  return { get: (id) => registry.get(id), close: () => registry.close() };
}
