import { Entity, ManyToOne, Property, Unique, type Rel } from '@mikro-orm/core';
import { Field, ObjectType } from 'type-graphql';
import { BaseEntity } from '../../db/base.entity.js';
import { Cluster } from '../cluster/cluster.entity.js';

/** A Proxmox storage the platform may place disks on. */
@ObjectType()
@Entity()
@Unique({ properties: ['cluster', 'name'] })
export class StorageConfiguration extends BaseEntity<'shared'> {
  @ManyToOne(() => Cluster, { deleteRule: 'cascade' })
  cluster!: Rel<Cluster>;

  @Field()
  @Property({ length: 63 })
  name!: string;

  @Field({ description: 'The Proxmox storage id, e.g. local-lvm or ceph-vm.' })
  @Property({ length: 100 })
  storageId!: string;

  @Field({ description: 'Proxmox storage type: lvmthin, rbd, dir, zfspool, nfs, ...' })
  @Property({ length: 20 })
  type!: string;

  @Field({ description: 'Shared storages allow live migration without moving disks.' })
  @Property({ default: false })
  shared: boolean = false;
}
