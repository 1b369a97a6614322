import { Entity, Enum, Property, Unique } from '@mikro-orm/core';
import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { BaseEntity } from '../../db/base.entity.js';

/** How the worker creates and removes this cluster's guests. */
export enum ProvisioningDriver {
  /** The platform's Proxmox client calls the API itself (default; needs nothing installed). */
  NATIVE = 'NATIVE',
  /**
   * Terraform or OpenTofu with the bpg/proxmox modules in terraform/: one workspace per machine,
   * state in the platform's PostgreSQL. The binary is found on the worker's PATH (or TERRAFORM_BINARY).
   */
  TERRAFORM = 'TERRAFORM',
}
registerEnumType(ProvisioningDriver, {
  name: 'ProvisioningDriver',
  description: 'NATIVE: the Proxmox API client; TERRAFORM: terraform/tofu with the bpg/proxmox modules.',
});

/**
 * A Proxmox VE cluster the platform drives. The API token's secret lives in the secret store;
 * this row keeps only the reference (`tokenSecretRef`), never the secret.
 */
@ObjectType()
@Entity()
export class Cluster extends BaseEntity<'provisioningDriver'> {
  @Field()
  @Property({ length: 63 })
  @Unique()
  name!: string;

  @Field({ description: 'e.g. https://pve1.example.com:8006' })
  @Property({ length: 500 })
  apiUrl!: string;

  @Field({ description: 'USER@REALM!TOKENID of the API token (not secret).' })
  @Property({ length: 200 })
  tokenId!: string;

  /** Path of the token secret in the secret store. Not exposed. */
  @Property({ length: 300, hidden: true })
  tokenSecretRef!: string;

  @Field(() => String, { nullable: true, description: 'Pinned SHA-256 fingerprint of the TLS certificate.' })
  @Property({ type: 'string', length: 95, nullable: true })
  tlsFingerprint?: string | null;

  @Field(() => String, { nullable: true, description: 'PEM of the CA that signs the cluster certificate.' })
  @Property({ type: 'text', nullable: true })
  caPem?: string | null;

  @Field(() => ProvisioningDriver, { description: 'How guests of this cluster are created and removed.' })
  @Enum({ items: () => ProvisioningDriver, nativeEnumName: 'provisioning_driver', default: ProvisioningDriver.NATIVE })
  provisioningDriver: ProvisioningDriver = ProvisioningDriver.NATIVE;
}
