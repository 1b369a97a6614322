import { Entity, Index, ManyToOne, Property, Unique } from '@mikro-orm/core';
import { BaseEntity } from '../../db/base.entity.js';
import { User } from './user.entity.js';

/**
 * An account at an OpenID Connect provider linked to a user: the provider's configured id and the
 * `sub` it gives the person, which never changes (unlike their email). Not exposed in the API.
 */
@Entity({ tableName: 'user_identity' })
@Unique({ properties: ['provider', 'subject'] })
export class UserIdentity extends BaseEntity<'lastSignInAt'> {
  @Property({ length: 64 })
  provider!: string;

  @Property({ length: 255 })
  subject!: string;

  /** Indexed: deleting a user, and listing a user's linked accounts, look up by it. */
  @Index()
  @ManyToOne(() => User, { deleteRule: 'cascade' })
  user!: User;

  /** The verified email the provider gave when the link was made. */
  @Property({ length: 320 })
  email!: string;

  @Property({ type: 'timestamptz', length: 3, nullable: true })
  lastSignInAt?: Date | null;
}
