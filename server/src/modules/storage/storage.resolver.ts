import { IsBoolean, IsUUID, Matches } from 'class-validator';
import { Arg, Ctx, Field, ID, InputType, Mutation, Query, Resolver } from 'type-graphql';
import { Privilege } from '../../auth/privileges.js';
import { Errors } from '../../errors/domain-error.js';
import { requireViewer, type Context } from '../../graphql/context.js';
import { applyPatch, findOr404 } from '../../graphql/crud.js';
import { IsOptionalNonNull } from '../../graphql/validate.js';
import { Cluster } from '../cluster/cluster.entity.js';
import { SLUG } from '../organization/organization.input.js';
import { StorageConfiguration } from './storage.entity.js';

const STORAGE_ID = /^[a-z][a-z0-9._-]{1,99}$/i;
const STORAGE_TYPES = /^(dir|lvm|lvmthin|zfspool|rbd|cephfs|nfs|cifs|glusterfs|iscsi|iscsidirect|pbs|btrfs|esxi)$/;

@InputType()
class CreateStorageConfigurationInput {
  @Field(() => ID)
  @IsUUID('all', { message: 'must be a cluster id' })
  clusterId!: string;

  @Field()
  @Matches(SLUG, { message: 'must be 1 to 63 lowercase letters, digits or hyphens' })
  name!: string;

  @Field()
  @Matches(STORAGE_ID, { message: 'must be a Proxmox storage id such as local-lvm' })
  storageId!: string;

  @Field()
  @Matches(STORAGE_TYPES, { message: 'must be a Proxmox storage type (dir, lvmthin, rbd, zfspool, nfs, ...)' })
  type!: string;

  @Field({ defaultValue: false })
  shared: boolean = false;
}

@InputType()
class UpdateStorageConfigurationInput {
  @Field({ nullable: true })
  @IsOptionalNonNull()
  @Matches(SLUG, { message: 'must be 1 to 63 lowercase letters, digits or hyphens' })
  name?: string;

  @Field({ nullable: true })
  @IsOptionalNonNull()
  @IsBoolean({ message: 'must be true or false' })
  shared?: boolean;
}

@Resolver(() => StorageConfiguration)
export class StorageConfigurationResolver {
  @Query(() => [StorageConfiguration], { description: 'Storages machines can use (any signed-in user).' })
  storageConfigurations(
    @Ctx() ctx: Context,
    @Arg('clusterId', () => ID, { nullable: true }) clusterId?: string,
  ): Promise<StorageConfiguration[]> {
    requireViewer(ctx);
    return ctx.em.find(StorageConfiguration, clusterId ? { cluster: clusterId } : {}, {
      orderBy: { name: 'ASC', id: 'ASC' },
    });
  }

  @Mutation(() => StorageConfiguration)
  async createStorageConfiguration(
    @Arg('input') input: CreateStorageConfigurationInput,
    @Ctx() ctx: Context,
  ): Promise<StorageConfiguration> {
    requireViewer(ctx).require(Privilege.PlatformAdmin);
    const { clusterId, ...fields } = input;
    const cluster = await ctx.em.findOne(Cluster, { id: clusterId });
    if (!cluster) throw Errors.invalid('input.clusterId', 'no such cluster');
    const storage = ctx.em.create(StorageConfiguration, { ...fields, cluster });
    await ctx.em.flush();
    return storage;
  }

  @Mutation(() => StorageConfiguration)
  async updateStorageConfiguration(
    @Arg('id', () => ID) id: string,
    @Arg('input') input: UpdateStorageConfigurationInput,
    @Ctx() ctx: Context,
  ): Promise<StorageConfiguration> {
    requireViewer(ctx).require(Privilege.PlatformAdmin);
    const storage = applyPatch(await findOr404(ctx.em, StorageConfiguration, { id }, id), input);
    await ctx.em.flush();
    return storage;
  }

  @Mutation(() => Boolean)
  async deleteStorageConfiguration(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<boolean> {
    requireViewer(ctx).require(Privilege.PlatformAdmin);
    await ctx.em.remove(await findOr404(ctx.em, StorageConfiguration, { id }, id)).flush();
    return true;
  }
}
