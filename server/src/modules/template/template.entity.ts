import { Entity, Enum, ManyToOne, Property, Unique, type Rel } from '@mikro-orm/core';
import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { BaseEntity } from '../../db/base.entity.js';
import { Cluster } from '../cluster/cluster.entity.js';

export enum MachineKind {
  VM = 'VM',
  LXC = 'LXC',
}
registerEnumType(MachineKind, { name: 'MachineKind', description: 'QEMU virtual machine or LXC container.' });

/** What a machine is created from: a VM template (cloned) or an LXC OS template (created from). */
@ObjectType()
@Entity()
@Unique({ properties: ['cluster', 'name'] })
export class Template extends BaseEntity<'cloudInit' | 'description'> {
  @ManyToOne(() => Cluster, { deleteRule: 'cascade' })
  cluster!: Rel<Cluster>;

  @Field()
  @Property({ length: 100 })
  name!: string;

  @Field(() => MachineKind)
  @Enum({ items: () => MachineKind, nativeEnumName: 'machine_kind' })
  kind!: MachineKind;

  @Field({ description: 'Operating system, e.g. debian-12, ubuntu-24.04, windows-11.' })
  @Property({ length: 50 })
  os!: string;

  @Field(() => Int, { nullable: true, description: 'VMID of the Proxmox VM template (VM only).' })
  @Property({ type: 'integer', nullable: true })
  sourceVmid?: number | null;

  @Field(() => String, { nullable: true, description: 'Volume id of the OS template (LXC only).' })
  @Property({ type: 'string', length: 300, nullable: true })
  osTemplate?: string | null;

  @Field(() => Int)
  @Property({ type: 'integer' })
  defaultCores!: number;

  @Field(() => Int, { description: 'MiB' })
  @Property({ type: 'integer', fieldName: 'default_memory_mib' })
  defaultMemoryMiB!: number;

  @Field(() => Int, { description: 'GiB' })
  @Property({ type: 'integer', fieldName: 'default_disk_gib' })
  defaultDiskGiB!: number;

  @Field({ description: 'Whether the template takes cloud-init user, keys and network.' })
  @Property({ default: true })
  cloudInit: boolean = true;

  @Field()
  @Property({ type: 'text', default: '' })
  description: string = '';
}
