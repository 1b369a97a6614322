import { BigIntType, Entity, ManyToOne, Property, Unique, type Rel } from '@mikro-orm/core';
import { Field, Float, Int, ObjectType } from 'type-graphql';
import { BaseEntity } from '../../db/base.entity.js';
import { Cluster } from './cluster.entity.js';

/** A Proxmox VE node as last seen by the platform, with the operator's maintenance flag. */
@ObjectType('ClusterNode')
@Entity({ tableName: 'node' })
@Unique({ properties: ['cluster', 'name'] })
export class Node extends BaseEntity<'status' | 'cpuCount' | 'memoryBytes' | 'maintenance'> {
  @ManyToOne(() => Cluster, { deleteRule: 'cascade' })
  cluster!: Rel<Cluster>;

  @Field()
  @Property({ length: 63 })
  name!: string;

  @Field({ description: 'online, offline or unknown, as Proxmox reports it.' })
  @Property({ length: 20, default: 'unknown' })
  status: string = 'unknown';

  @Field(() => Int)
  @Property({ type: 'integer', default: 0 })
  cpuCount: number = 0;

  @Field(() => Float, { description: 'Bytes.' })
  @Property({ type: new BigIntType('number'), default: 0 })
  memoryBytes: number = 0;

  @Field({ description: 'No new guests are placed on a node in maintenance.' })
  @Property({ default: false })
  maintenance: boolean = false;
}
