import { Embedded, Entity, Index, ManyToOne, Property, Unique, type Rel } from '@mikro-orm/core';
import { Field, ObjectType } from 'type-graphql';
import { BaseEntity } from '../../db/base.entity.js';
import { Organization } from '../organization/organization.entity.js';
import { Quota } from '../organization/quota.embeddable.js';
import { FirewallRule } from '../tenancy/firewall-rule.js';

@ObjectType({ description: 'A group of machines inside an organization, with its own quota and Proxmox pool.' })
@Entity()
@Unique({ properties: ['organization', 'name'] })
@Index({ properties: ['organization', 'createdAt'] })
export class Project extends BaseEntity<'description' | 'quota' | 'firewallRules'> {
  @ManyToOne(() => Organization, { deleteRule: 'cascade' })
  organization!: Rel<Organization>;

  @Field()
  @Property({ length: 63 })
  name!: string;

  @Field()
  @Property({ type: 'text', default: '' })
  description: string = '';

  @Field(() => Quota)
  @Embedded(() => Quota, { prefix: 'quota_' })
  quota: Quota = new Quota();

  @Field(() => [FirewallRule], {
    description:
      "Inbound traffic let through to the project's machines; everything else inbound is dropped. Applied to each machine as it is provisioned, and to all of them when changed.",
  })
  @Property({ type: 'jsonb', default: '[]' })
  firewallRules: FirewallRule[] = [];
}
