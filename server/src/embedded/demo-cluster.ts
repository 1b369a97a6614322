// Embedded mode's Proxmox VE: the built-in simulator, started inside the API process with a demo
// cluster whose state is kept in DATA_DIR, registered as the cluster "demo" with its templates and
// storages, so a newcomer can create machines straight after `npm start`.
import path from 'node:path';
import type { MikroORM } from '@mikro-orm/postgresql';
import { createPveSimulator, type PveSimulator } from '@pvepaas/orchestration/pve-sim/index';
import type { Logger } from '../logger.js';
import { Cluster } from '../modules/cluster/cluster.entity.js';
import { NetworkConfiguration } from '../modules/network/network.entity.js';
import { Project } from '../modules/project/project.entity.js';
import { StorageConfiguration } from '../modules/storage/storage.entity.js';
import { MachineKind, Template } from '../modules/template/template.entity.js';
import type { SecretStore } from '../secrets/secret-store.js';

const DEMO_TEMPLATES = [
  {
    name: 'Debian 12',
    kind: MachineKind.VM,
    os: 'debian-12',
    sourceVmid: 9000,
    defaultCores: 2,
    defaultMemoryMiB: 2048,
    defaultDiskGiB: 10,
  },
  {
    name: 'Ubuntu 24.04',
    kind: MachineKind.VM,
    os: 'ubuntu-24.04',
    sourceVmid: 9001,
    defaultCores: 2,
    defaultMemoryMiB: 2048,
    defaultDiskGiB: 10,
  },
  {
    name: 'Windows 11',
    kind: MachineKind.VM,
    os: 'windows-11',
    sourceVmid: 9002,
    defaultCores: 4,
    defaultMemoryMiB: 8192,
    defaultDiskGiB: 64,
    cloudInit: false,
  },
  {
    name: 'Debian 12 container',
    kind: MachineKind.LXC,
    os: 'debian-12',
    osTemplate: 'local:vztmpl/debian-12-standard_12.12-1_amd64.tar.zst',
    defaultCores: 1,
    defaultMemoryMiB: 512,
    defaultDiskGiB: 4,
  },
];

export async function startDemoCluster(
  orm: MikroORM,
  secrets: SecretStore,
  dataDir: string,
  log: Logger,
): Promise<PveSimulator> {
  const sim = await createPveSimulator({
    port: 0,
    tls: false,
    demo: true,
    // Real durations divided by five: provisioning takes seconds, not minutes, but is visible.
    timeFactor: 0.2,
    stateFile: path.join(dataDir, 'pve-sim.json'),
  });
  const em = orm.em.fork();
  const token = sim.credentials.tokens.full;
  let cluster = await em.findOne(Cluster, { name: 'demo' });
  if (!cluster) {
    cluster = em.create(Cluster, { name: 'demo', apiUrl: sim.url, tokenId: token.tokenid, tokenSecretRef: '' });
    cluster.tokenSecretRef = `clusters/${cluster.id}/api-token`;
    for (const t of DEMO_TEMPLATES) em.create(Template, { cluster, description: 'Demo cluster template.', ...t });
    em.create(StorageConfiguration, {
      cluster,
      name: 'local-lvm',
      storageId: 'local-lvm',
      type: 'lvmthin',
      shared: false,
    });
    em.create(StorageConfiguration, { cluster, name: 'ceph', storageId: 'ceph-vm', type: 'rbd', shared: true });
    for (const project of await em.find(Project, {})) {
      em.create(NetworkConfiguration, { project, name: 'default', bridge: 'vmbr0', firewall: true });
    }
  }
  // The simulator listens on a new port each start; its token is the same (kept in its state file).
  cluster.apiUrl = sim.url;
  cluster.tokenId = token.tokenid;
  await secrets.write(cluster.tokenSecretRef, { secret: token.secret });
  await em.flush();
  log.info({ url: sim.url }, 'embedded Proxmox VE simulator running (cluster "demo")');
  return sim;
}
