import { Entity, ManyToOne, Property, Unique, type Rel } from '@mikro-orm/core';
import { Field, Int, ObjectType } from 'type-graphql';
import { BaseEntity } from '../../db/base.entity.js';
import { Project } from '../project/project.entity.js';

/** A network a project's machines attach to: a bridge (optionally VLAN-tagged) or an SDN VNet. */
@ObjectType()
@Entity()
@Unique({ properties: ['project', 'name'] })
export class NetworkConfiguration extends BaseEntity<'firewall'> {
  @ManyToOne(() => Project, { deleteRule: 'cascade' })
  project!: Rel<Project>;

  @Field()
  @Property({ length: 63 })
  name!: string;

  @Field({ description: 'Bridge or SDN VNet name, e.g. vmbr0.' })
  @Property({ length: 20 })
  bridge!: string;

  @Field(() => Int, { nullable: true })
  @Property({ type: 'integer', nullable: true })
  vlanTag?: number | null;

  @Field(() => String, { nullable: true, description: 'IPv4 CIDR for static addressing; null means DHCP.' })
  @Property({ type: 'string', length: 43, nullable: true })
  cidr?: string | null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'string', length: 39, nullable: true })
  gateway?: string | null;

  @Field({ description: 'Whether the Proxmox guest firewall is enabled on the interface.' })
  @Property({ default: true })
  firewall: boolean = true;
}
