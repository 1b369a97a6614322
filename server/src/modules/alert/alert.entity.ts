// Alert rules, the alerts they raise (one per rule and subject: a machine, node, storage or Ceph
// cluster) and each alert's history. A rule belongs to an organisation (machine and project scopes)
// or to the platform (node, cluster and Ceph scopes, organization null).
import { Entity, Index, ManyToOne, Property, type Rel } from '@mikro-orm/core';
import { Field, Float, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { BaseEntity } from '../../db/base.entity.js';
import { Cluster } from '../cluster/cluster.entity.js';
import { Machine } from '../machine/machine.entity.js';
import { Organization } from '../organization/organization.entity.js';
import { Project } from '../project/project.entity.js';
import { User } from '../user/user.entity.js';

export enum AlertMetric {
  /** CPU use in percent of the resource's CPUs. */
  CPU = 'CPU',
  /** Memory used in percent of the total. */
  MEMORY = 'MEMORY',
  /** Disk or storage used in percent of its size (a guest's root disk, a node's storages). */
  STORAGE = 'STORAGE',
  /** Bytes per second. */
  NET_IN = 'NET_IN',
  NET_OUT = 'NET_OUT',
  DISK_READ = 'DISK_READ',
  DISK_WRITE = 'DISK_WRITE',
  /** 1 while a node is online, 0 otherwise. */
  NODE_STATUS = 'NODE_STATUS',
  /** 0 HEALTH_OK, 1 HEALTH_WARN, 2 HEALTH_ERR (anything else unknown: 2). */
  CEPH_HEALTH = 'CEPH_HEALTH',
}
registerEnumType(AlertMetric, { name: 'AlertMetric' });

export enum AlertComparator {
  GT = 'GT',
  GTE = 'GTE',
  LT = 'LT',
  LTE = 'LTE',
  EQ = 'EQ',
  NE = 'NE',
}
registerEnumType(AlertComparator, { name: 'AlertComparator' });

export enum AlertScope {
  /** One machine (machineId). */
  MACHINE = 'MACHINE',
  /** Every machine of a project (projectId). */
  PROJECT = 'PROJECT',
  /** Proxmox nodes (clusterId and node optional: all of them); STORAGE is the nodes' storages. */
  NODE = 'NODE',
  /** Every guest of a cluster (clusterId optional: all clusters); STORAGE: storages, NODE_STATUS: nodes. */
  CLUSTER = 'CLUSTER',
  /** A cluster's Ceph (clusterId optional: all clusters). */
  CEPH = 'CEPH',
}
registerEnumType(AlertScope, { name: 'AlertScope' });

export enum AlertSeverity {
  INFO = 'INFO',
  WARNING = 'WARNING',
  CRITICAL = 'CRITICAL',
}
registerEnumType(AlertSeverity, { name: 'AlertSeverity' });
export const SEVERITY_RANK: Record<AlertSeverity, number> = { INFO: 0, WARNING: 1, CRITICAL: 2 };

export enum AlertState {
  /** The condition holds, not yet for the rule's duration. */
  PENDING = 'PENDING',
  FIRING = 'FIRING',
  RESOLVED = 'RESOLVED',
}
registerEnumType(AlertState, { name: 'AlertState' });

export enum AlertEventKind {
  PENDING = 'PENDING',
  FIRING = 'FIRING',
  RESOLVED = 'RESOLVED',
  ACKNOWLEDGED = 'ACKNOWLEDGED',
  SILENCED = 'SILENCED',
  /** A silence ran out while the alert was still firing: notified again. */
  SILENCE_EXPIRED = 'SILENCE_EXPIRED',
}
registerEnumType(AlertEventKind, { name: 'AlertEventKind' });

/**
 * Rules and alerts belong to an organisation (maybe to one of its projects and machines) or, with
 * organization null, to the platform; alert.access.ts authorises by these. Deleting the organisation
 * or project deletes the row; each subclass says on its own `machine` relation what deleting the
 * machine does.
 */
@ObjectType()
@Entity({ abstract: true })
export abstract class OrganizationOwned<Optional extends string = never> extends BaseEntity<
  Optional | 'organizationId' | 'projectId' | 'machineId'
> {
  @ManyToOne(() => Organization, { nullable: true, deleteRule: 'cascade' })
  organization?: Rel<Organization> | null;

  @ManyToOne(() => Project, { nullable: true, deleteRule: 'cascade' })
  project?: Rel<Project> | null;

  abstract machine?: Rel<Machine> | null;

  @Field(() => ID, { nullable: true })
  get organizationId(): string | null {
    return this.organization?.id ?? null;
  }

  @Field(() => ID, { nullable: true })
  get projectId(): string | null {
    return this.project?.id ?? null;
  }

  @Field(() => ID, { nullable: true })
  get machineId(): string | null {
    return this.machine?.id ?? null;
  }
}

@ObjectType({ description: 'When a metric of some scope crosses a threshold for a while, an alert fires.' })
@Entity()
export class AlertRule extends OrganizationOwned<'enabled' | 'builtin' | 'clearThreshold' | 'node' | 'clusterId'> {
  @ManyToOne(() => Machine, { nullable: true, deleteRule: 'cascade' })
  machine?: Rel<Machine> | null;

  @ManyToOne(() => Cluster, { nullable: true, deleteRule: 'cascade' })
  cluster?: Rel<Cluster> | null;

  @Field(() => String, { nullable: true, description: 'NODE scope: one node by name; null: every node.' })
  @Property({ type: 'string', length: 63, nullable: true })
  node?: string | null;

  @Field()
  @Property({ length: 100 })
  name!: string;

  @Field(() => AlertMetric)
  @Property({ type: 'string', length: 20 })
  metric!: AlertMetric;

  @Field(() => AlertComparator)
  @Property({ type: 'string', length: 3 })
  comparator!: AlertComparator;

  @Field(() => Float, { description: 'Percent for CPU, MEMORY and STORAGE; bytes/s for rates.' })
  @Property({ type: 'double' })
  threshold!: number;

  @Field(() => Float, {
    nullable: true,
    description:
      'Hysteresis: a firing alert resolves only once the value is back past this (e.g. fire above 90, resolve below 80). Null: the threshold itself.',
  })
  @Property({ type: 'double', nullable: true })
  clearThreshold?: number | null;

  @Field(() => Int, { description: 'Seconds the condition must hold before the alert fires.' })
  @Property({ type: 'integer' })
  durationSeconds!: number;

  @Field(() => AlertScope)
  @Property({ type: 'string', length: 10 })
  scope!: AlertScope;

  @Field(() => AlertSeverity)
  @Property({ type: 'string', length: 10 })
  severity!: AlertSeverity;

  @Field()
  @Property({ default: true })
  enabled: boolean = true;

  @Field({ description: "One of the platform's default rules (made by the migration)." })
  @Property({ default: false })
  builtin: boolean = false;

  @Field(() => ID, { nullable: true, description: "Null: the platform's rule (operators')." })
  override get organizationId(): string | null {
    return super.organizationId;
  }

  @Field(() => ID, { nullable: true })
  get clusterId(): string | null {
    return this.cluster?.id ?? null;
  }
}

@ObjectType({ description: 'A rule raised for one subject: pending, then firing, then resolved.' })
@Entity()
@Index({ properties: ['organization', 'createdAt'] })
@Index({ properties: ['state'] })
// At most one open (pending or firing) alert per rule and subject; resolved ones are history.
@Index({
  name: 'alert_open_subject_unique',
  expression: `create unique index "alert_open_subject_unique" on "alert" ("rule_id", "subject") where "state" in ('PENDING', 'FIRING')`,
})
export class Alert extends OrganizationOwned<
  'acknowledgedAt' | 'silencedUntil' | 'firedAt' | 'resolvedAt' | 'ruleId' | 'acknowledgedById'
> {
  @ManyToOne(() => AlertRule, { deleteRule: 'cascade' })
  rule!: Rel<AlertRule>;

  /** The alert outlives its machine: its history stays. */
  @ManyToOne(() => Machine, { nullable: true, deleteRule: 'set null' })
  machine?: Rel<Machine> | null;

  @Field(() => ID, { nullable: true })
  @Property({ type: 'uuid', nullable: true })
  clusterId?: string | null;

  /** `machine:<vmid>`, `node:<name>`, `storage:<node>/<id>` or `ceph`: one open alert per rule and key. */
  @Field({ description: 'What the alert is about, e.g. machine:101, node:pve1, storage:pve1/local, ceph.' })
  @Property({ length: 200 })
  subject!: string;

  @Field({ description: 'The subject in words (machine name, node, storage).' })
  @Property({ length: 200 })
  subjectLabel!: string;

  @Field(() => AlertState)
  @Property({ type: 'string', length: 10 })
  state!: AlertState;

  @Field(() => AlertSeverity)
  @Property({ type: 'string', length: 10 })
  severity!: AlertSeverity;

  @Field(() => Float, { description: 'The last value evaluated.' })
  @Property({ type: 'double' })
  value!: number;

  @Field({ description: 'When the condition started to hold.' })
  @Property({ type: 'timestamptz', length: 3 })
  pendingSince!: Date;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'timestamptz', length: 3, nullable: true })
  firedAt?: Date | null;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'timestamptz', length: 3, nullable: true })
  resolvedAt?: Date | null;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'timestamptz', length: 3, nullable: true })
  acknowledgedAt?: Date | null;

  @ManyToOne(() => User, { nullable: true, deleteRule: 'set null' })
  acknowledgedBy?: Rel<User> | null;

  @Field(() => Date, { nullable: true, description: 'No notifications until then; then again if still firing.' })
  @Property({ type: 'timestamptz', length: 3, nullable: true })
  silencedUntil?: Date | null;

  @Field(() => ID)
  get ruleId(): string {
    return this.rule.id;
  }

  @Field(() => ID, { nullable: true })
  get acknowledgedById(): string | null {
    return this.acknowledgedBy?.id ?? null;
  }
}

@ObjectType({ description: "One step of an alert's history." })
@Entity()
@Index({ properties: ['alert', 'at'] })
export class AlertEvent extends BaseEntity<'actorId'> {
  @ManyToOne(() => Alert, { deleteRule: 'cascade' })
  alert!: Rel<Alert>;

  @Field(() => AlertEventKind)
  @Property({ type: 'string', length: 20 })
  kind!: AlertEventKind;

  @Field({ description: "When it happened (the collector's clock for state changes)." })
  @Property({ type: 'timestamptz', length: 3 })
  at!: Date;

  @Field(() => Float, { nullable: true })
  @Property({ type: 'double', nullable: true })
  value?: number | null;

  @ManyToOne(() => User, { nullable: true, deleteRule: 'set null' })
  actor?: Rel<User> | null;

  @Field(() => ID, { nullable: true, description: 'Who acknowledged or silenced.' })
  get actorId(): string | null {
    return this.actor?.id ?? null;
  }
}
