import { Arg, Ctx, ID, Query, Resolver } from 'type-graphql';
import { Privilege } from '../../auth/privileges.js';
import { Errors } from '../../errors/domain-error.js';
import { requireViewer, type Context } from '../../graphql/context.js';
import { Cluster } from '../cluster/cluster.entity.js';
import { clusterClients } from '../lifecycle/lifecycle.service.js';
import { readGpuInventory } from './gpu.inventory.js';
import { GpuInventory } from './gpu.types.js';

@Resolver()
export class GpuResolver {
  @Query(() => GpuInventory, {
    description:
      "A cluster's GPUs as Proxmox reports them now: each node's display controllers, their PCI mappings and the VMs configured with them. Needs Platform.Admin.",
  })
  async gpuInventory(@Arg('clusterId', () => ID) clusterId: string, @Ctx() ctx: Context): Promise<GpuInventory> {
    requireViewer(ctx).require(Privilege.PlatformAdmin);
    const cluster = await ctx.em.findOne(Cluster, { id: clusterId });
    if (!cluster) throw Errors.notFound('Cluster', clusterId);
    return readGpuInventory(await clusterClients(ctx).get(cluster.id));
  }
}
