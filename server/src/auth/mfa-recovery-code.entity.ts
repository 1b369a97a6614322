import { Entity, Index, ManyToOne, Property, Unique, type Rel } from '@mikro-orm/core';
import { BaseEntity } from '../db/base.entity.js';
import { User } from '../modules/user/user.entity.js';

/**
 * One of a user's one-time recovery codes, stored as its SHA-256 hash: the codes carry 80 random
 * bits each, so a fast hash suffices (as for API tokens). `usedAt` set means spent for good.
 */
@Entity({ tableName: 'mfa_recovery_code' })
@Index({ properties: ['user'] })
export class MfaRecoveryCode extends BaseEntity {
  @ManyToOne(() => User, { deleteRule: 'cascade' })
  user!: Rel<User>;

  @Property({ length: 64, hidden: true })
  @Unique()
  codeHash!: string;

  @Property({ type: 'timestamptz', nullable: true })
  usedAt?: Date | null;
}
