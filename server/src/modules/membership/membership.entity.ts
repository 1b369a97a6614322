import { Entity, Enum, Index, ManyToOne, Unique, type Rel } from '@mikro-orm/core';
import { ObjectType, registerEnumType } from 'type-graphql';
import { BaseEntity } from '../../db/base.entity.js';
import { Organization } from '../organization/organization.entity.js';
import { Project } from '../project/project.entity.js';
import { User } from '../user/user.entity.js';
import { Field } from 'type-graphql';

export enum Role {
  OWNER = 'OWNER',
  ADMIN = 'ADMIN',
  OPERATOR = 'OPERATOR',
  VIEWER = 'VIEWER',
}
registerEnumType(Role, { name: 'Role', description: 'A set of privileges; see server/src/auth/privileges.ts.' });

/**
 * A user's role in an organization (project null) or in one project of it. One row per scope:
 * the unique index treats a null project as a value, so a user has at most one organization-wide role.
 */
@ObjectType()
@Entity()
@Unique({
  name: 'membership_scope_unique',
  expression:
    'create unique index "membership_scope_unique" on "membership" ("user_id", "organization_id", "project_id") nulls not distinct',
})
@Index({ properties: ['organization', 'createdAt'] })
export class Membership extends BaseEntity {
  @ManyToOne(() => User, { deleteRule: 'cascade' })
  user!: Rel<User>;

  @ManyToOne(() => Organization, { deleteRule: 'cascade' })
  organization!: Rel<Organization>;

  @ManyToOne(() => Project, { nullable: true, deleteRule: 'cascade' })
  project?: Rel<Project> | null;

  @Field(() => Role)
  @Enum({ items: () => Role, nativeEnumName: 'role' })
  role!: Role;
}
