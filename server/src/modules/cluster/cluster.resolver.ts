import { IsEnum, IsOptional, IsUrl, Length, Matches } from 'class-validator';
import { Arg, Ctx, Field, FieldResolver, ID, InputType, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Privilege } from '../../auth/privileges.js';
import { requireViewer, type Context } from '../../graphql/context.js';
import { applyPatch, findOr404 } from '../../graphql/crud.js';
import { IsOptionalNonNull } from '../../graphql/validate.js';
import { SLUG } from '../organization/organization.input.js';
import { Cluster, ProvisioningDriver } from './cluster.entity.js';
import { Node } from './node.entity.js';

const FINGERPRINT = /^([0-9A-Fa-f]{2}:){31}[0-9A-Fa-f]{2}$/;
const TOKEN_ID = /^[^\s@!]+@[^\s@!]+![A-Za-z][\w.-]*$/;

@InputType()
class CreateClusterInput {
  @Field()
  @Matches(SLUG, { message: 'must be 1 to 63 lowercase letters, digits or hyphens' })
  name!: string;

  @Field()
  @IsUrl(
    { protocols: ['https', 'http'], require_tld: false, require_protocol: true },
    { message: 'must be an https:// URL' },
  )
  apiUrl!: string;

  @Field({ description: 'USER@REALM!TOKENID' })
  @Matches(TOKEN_ID, { message: 'must look like USER@REALM!TOKENID' })
  tokenId!: string;

  @Field({ description: 'The token secret; stored in the secret store, never in the database.' })
  @Length(1, 200, { message: 'must not be empty' })
  tokenSecret!: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Matches(FINGERPRINT, { message: 'must be a SHA-256 fingerprint as 32 hex pairs separated by colons' })
  tlsFingerprint?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Matches(/-----BEGIN CERTIFICATE-----/, { message: 'must be a PEM certificate' })
  caPem?: string | null;

  @Field(() => ProvisioningDriver, {
    nullable: true,
    description: 'NATIVE (default) or TERRAFORM (terraform/tofu on the worker; see terraform/README.md).',
  })
  @IsOptionalNonNull()
  @IsEnum(ProvisioningDriver, { message: 'must be NATIVE or TERRAFORM' })
  provisioningDriver?: ProvisioningDriver;
}

@InputType()
class UpdateClusterInput {
  @Field({ nullable: true })
  @IsOptionalNonNull()
  @IsUrl(
    { protocols: ['https', 'http'], require_tld: false, require_protocol: true },
    { message: 'must be an https:// URL' },
  )
  apiUrl?: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Matches(FINGERPRINT, { message: 'must be a SHA-256 fingerprint as 32 hex pairs separated by colons' })
  tlsFingerprint?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @Matches(/-----BEGIN CERTIFICATE-----/, { message: 'must be a PEM certificate' })
  caPem?: string | null;

  @Field(() => ProvisioningDriver, { nullable: true, description: 'Applies to jobs that start after the change.' })
  @IsOptionalNonNull()
  @IsEnum(ProvisioningDriver, { message: 'must be NATIVE or TERRAFORM' })
  provisioningDriver?: ProvisioningDriver;
}

/** Clusters are the platform operators' business: every operation needs Platform.Admin. */
@Resolver(() => Cluster)
export class ClusterResolver {
  @Query(() => [Cluster])
  clusters(@Ctx() ctx: Context): Promise<Cluster[]> {
    requireViewer(ctx).require(Privilege.PlatformAdmin);
    return ctx.em.find(Cluster, {}, { orderBy: { name: 'ASC' } });
  }

  @Mutation(() => Cluster)
  async createCluster(@Arg('input') input: CreateClusterInput, @Ctx() ctx: Context): Promise<Cluster> {
    requireViewer(ctx).require(Privilege.PlatformAdmin);
    const { tokenSecret, provisioningDriver, ...fields } = input;
    const cluster = ctx.em.create(Cluster, {
      ...fields,
      provisioningDriver: provisioningDriver ?? ProvisioningDriver.NATIVE,
      tokenSecretRef: '',
    });
    cluster.tokenSecretRef = `clusters/${cluster.id}/api-token`;
    await ctx.services.secrets.write(cluster.tokenSecretRef, { secret: tokenSecret });
    try {
      await ctx.em.flush();
    } catch (err) {
      // A refused row (e.g. a duplicate name) must not leave its token secret behind in the store.
      await ctx.services.secrets.destroy(cluster.tokenSecretRef).catch((cleanup: unknown) => {
        ctx.log.error(
          { err: cleanup, path: cluster.tokenSecretRef },
          'could not destroy the secret of a refused cluster',
        );
      });
      throw err;
    }
    return cluster;
  }

  @Mutation(() => Cluster)
  async updateCluster(
    @Arg('id', () => ID) id: string,
    @Arg('input') input: UpdateClusterInput,
    @Ctx() ctx: Context,
  ): Promise<Cluster> {
    requireViewer(ctx).require(Privilege.PlatformAdmin);
    const cluster = applyPatch(await findOr404(ctx.em, Cluster, { id }, id), input);
    await ctx.em.flush();
    return cluster;
  }

  @Mutation(() => Boolean)
  async deleteCluster(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<boolean> {
    requireViewer(ctx).require(Privilege.PlatformAdmin);
    const cluster = await findOr404(ctx.em, Cluster, { id }, id);
    await ctx.em.remove(cluster).flush();
    await ctx.services.secrets.destroy(cluster.tokenSecretRef);
    return true;
  }

  @Mutation(() => Node, { description: 'Puts a node in maintenance (no new guests placed there) or takes it out.' })
  async setNodeMaintenance(
    @Arg('id', () => ID) id: string,
    @Arg('maintenance') maintenance: boolean,
    @Ctx() ctx: Context,
  ): Promise<Node> {
    requireViewer(ctx).require(Privilege.PlatformAdmin);
    const node = await findOr404(ctx.em, Node, { id }, id);
    node.maintenance = maintenance;
    await ctx.em.flush();
    return node;
  }

  @FieldResolver(() => [Node])
  nodes(@Root() cluster: Cluster, @Ctx() ctx: Context): Promise<Node[]> {
    return ctx.em.find(Node, { cluster: cluster.id }, { orderBy: { name: 'ASC' } });
  }
}
