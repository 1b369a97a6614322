import { Arg, Ctx, Field, ID, Int, ObjectType, Query, Resolver } from 'type-graphql';
import { Privilege } from '../../auth/privileges.js';
import { requireViewer, type Context } from '../../graphql/context.js';
import { findOr404 } from '../../graphql/crud.js';
import { Cluster } from '../cluster/cluster.entity.js';
import { createClusterClients } from '../provision/cluster-clients.js';
import { findOrphans } from './reconcile.service.js';

@ObjectType({
  description: 'A guest tagged pvepaas on a cluster that no machine claims (left by a crash, or restored by hand).',
})
class OrphanGuest {
  @Field(() => Int)
  vmid!: number;

  @Field({ description: 'qemu or lxc.' })
  type!: string;

  @Field()
  node!: string;

  @Field(() => String, { nullable: true })
  name!: string | null;

  @Field({ description: 'As Proxmox reports it: running, stopped, paused.' })
  status!: string;

  @Field(() => [String])
  tags!: string[];
}

@Resolver()
export class ReconcileResolver {
  @Query(() => [OrphanGuest], {
    description: 'Guests tagged pvepaas on the cluster with no machine, read from Proxmox now. Platform admins only.',
  })
  async orphanGuests(@Arg('clusterId', () => ID) clusterId: string, @Ctx() ctx: Context): Promise<OrphanGuest[]> {
    requireViewer(ctx).require(Privilege.PlatformAdmin);
    await findOr404(ctx.em, Cluster, { id: clusterId }, clusterId);
    // A client for this call only: admin queries are rare, and the API keeps no Proxmox connections.
    const clients = createClusterClients({ em: ctx.em }, ctx.services.secrets, ctx.log);
    try {
      const client = await clients.get(clusterId);
      return await findOrphans(ctx.em, clusterId, await client.cluster.resources('vm'));
    } finally {
      clients.close();
    }
  }
}
