import { Entity, Enum, Index, ManyToOne, Property, Unique, type Rel } from '@mikro-orm/core';
import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { BaseEntity } from '../../db/base.entity.js';
import { Cluster } from '../cluster/cluster.entity.js';
import { Node } from '../cluster/node.entity.js';
import { NetworkConfiguration } from '../network/network.entity.js';
import { Project } from '../project/project.entity.js';
import { StorageConfiguration } from '../storage/storage.entity.js';
import { MachineKind, Template } from '../template/template.entity.js';
import { User } from '../user/user.entity.js';

export enum MachineStatus {
  PENDING = 'PENDING',
  PROVISIONING = 'PROVISIONING',
  RUNNING = 'RUNNING',
  STOPPED = 'STOPPED',
  SUSPENDED = 'SUSPENDED',
  FAILED = 'FAILED',
  DELETING = 'DELETING',
  MISSING = 'MISSING',
}
registerEnumType(MachineStatus, { name: 'MachineStatus' });

/** A VM or container of a project. `vmid` is unique per cluster (a database constraint). */
// simpleResolvers: plain fields skip type-graphql's middleware stack (lists of machines are hot).
@ObjectType({ simpleResolvers: true })
@Entity()
@Unique({ properties: ['cluster', 'vmid'] })
@Unique({ properties: ['project', 'name'] })
@Index({ properties: ['project', 'createdAt', 'id'] })
@Index({ properties: ['project', 'status'] })
@Index({ properties: ['createdAt', 'id'] })
@Index({ properties: ['owner'] })
export class Machine extends BaseEntity<'status' | 'tags' | 'ipAddresses'> {
  @Field(() => MachineKind)
  @Enum({ items: () => MachineKind, nativeEnumName: 'machine_kind' })
  kind!: MachineKind;

  @Field({ description: 'Hostname; unique in its project.' })
  @Property({ length: 63 })
  name!: string;

  // restrict: a project (or organization) with machines cannot be deleted; delete the machines first.
  @ManyToOne(() => Project, { deleteRule: 'restrict' })
  project!: Rel<Project>;

  @ManyToOne(() => User, { deleteRule: 'restrict' })
  owner!: Rel<User>;

  @ManyToOne(() => Cluster, { nullable: true, deleteRule: 'restrict' })
  cluster?: Rel<Cluster> | null;

  @ManyToOne(() => Node, { nullable: true, deleteRule: 'set null' })
  node?: Rel<Node> | null;

  @Field(() => Int, { nullable: true, description: 'Proxmox VMID, once reserved.' })
  @Property({ type: 'integer', nullable: true })
  vmid?: number | null;

  @Field(() => MachineStatus)
  @Enum({ items: () => MachineStatus, nativeEnumName: 'machine_status', default: MachineStatus.PENDING })
  status: MachineStatus = MachineStatus.PENDING;

  @Field(() => Int)
  @Property({ type: 'integer' })
  cores!: number;

  @Field(() => Int, { description: 'MiB' })
  @Property({ type: 'integer', fieldName: 'memory_mib' })
  memoryMiB!: number;

  @Field(() => Int, { description: 'GiB' })
  @Property({ type: 'integer', fieldName: 'disk_gib' })
  diskGiB!: number;

  @ManyToOne(() => Template, { deleteRule: 'restrict' })
  template!: Rel<Template>;

  @ManyToOne(() => NetworkConfiguration, { nullable: true, deleteRule: 'set null' })
  network?: Rel<NetworkConfiguration> | null;

  @ManyToOne(() => StorageConfiguration, { nullable: true, deleteRule: 'set null' })
  storage?: Rel<StorageConfiguration> | null;

  @Field(() => [String])
  @Property({ type: 'text[]', default: '{}' })
  tags: string[] = [];

  @Field(() => [String], { description: 'Addresses reported by the guest.' })
  @Property({ type: 'text[]', default: '{}' })
  ipAddresses: string[] = [];
}
