import { Migration } from '@mikro-orm/migrations';

/**
 * Alerts and notifications (issue 6): rules, the alerts they raise with their history, notification
 * channels and every delivery attempt; and the operators' default rules (platform-wide, `builtin`).
 */
export class Migration20261126024000_alerts extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "alert_rule" ("id" uuid not null, "created_at" timestamptz(3) not null default now(), "updated_at" timestamptz(3) not null default now(), "organization_id" uuid null, "project_id" uuid null, "machine_id" uuid null, "cluster_id" uuid null, "node" varchar(63) null, "name" varchar(100) not null, "metric" varchar(20) not null, "comparator" varchar(3) not null, "threshold" double precision not null, "clear_threshold" double precision null, "duration_seconds" int not null, "scope" varchar(10) not null, "severity" varchar(10) not null, "enabled" boolean not null default true, "builtin" boolean not null default false, constraint "alert_rule_pkey" primary key ("id"))`,
    );
    this.addSql(
      `create table "alert" ("id" uuid not null, "created_at" timestamptz(3) not null default now(), "updated_at" timestamptz(3) not null default now(), "rule_id" uuid not null, "organization_id" uuid null, "project_id" uuid null, "machine_id" uuid null, "cluster_id" uuid null, "subject" varchar(200) not null, "subject_label" varchar(200) not null, "state" varchar(10) not null, "severity" varchar(10) not null, "value" double precision not null, "pending_since" timestamptz(3) not null, "fired_at" timestamptz(3) null, "resolved_at" timestamptz(3) null, "acknowledged_at" timestamptz(3) null, "acknowledged_by_id" uuid null, "silenced_until" timestamptz(3) null, constraint "alert_pkey" primary key ("id"))`,
    );
    this.addSql(`create index "alert_state_index" on "alert" ("state")`);
    this.addSql(`create index "alert_organization_id_created_at_index" on "alert" ("organization_id", "created_at")`);
    this.addSql(
      `create unique index "alert_open_subject_unique" on "alert" ("rule_id", "subject") where "state" in ('PENDING', 'FIRING')`,
    );
    this.addSql(
      `create table "alert_event" ("id" uuid not null, "created_at" timestamptz(3) not null default now(), "updated_at" timestamptz(3) not null default now(), "alert_id" uuid not null, "kind" varchar(20) not null, "at" timestamptz(3) not null, "value" double precision null, "actor_id" uuid null, constraint "alert_event_pkey" primary key ("id"))`,
    );
    this.addSql(`create index "alert_event_alert_id_at_index" on "alert_event" ("alert_id", "at")`);
    this.addSql(
      `create table "notification_channel" ("id" uuid not null, "created_at" timestamptz(3) not null default now(), "updated_at" timestamptz(3) not null default now(), "organization_id" uuid null, "name" varchar(100) not null, "kind" varchar(10) not null, "url" text null, "secret_ref" varchar(200) null, "recipients" text[] not null default '{}', "min_severity" varchar(10) not null, "enabled" boolean not null default true, constraint "notification_channel_pkey" primary key ("id"))`,
    );
    this.addSql(
      `create table "notification_delivery" ("id" uuid not null, "created_at" timestamptz(3) not null default now(), "updated_at" timestamptz(3) not null default now(), "channel_id" uuid not null, "alert_id" uuid null, "notification_id" uuid not null, "event" varchar(20) not null, "attempt" smallint not null, "status" varchar(10) not null, "status_code" smallint null, "error" text null, "next_attempt_at" timestamptz(3) null, constraint "notification_delivery_pkey" primary key ("id"))`,
    );
    this.addSql(
      `create index "notification_delivery_channel_id_created_at_index" on "notification_delivery" ("channel_id", "created_at")`,
    );
    const fk = (table: string, column: string, target: string, onDelete: string) =>
      this.addSql(
        `alter table "${table}" add constraint "${table}_${column}_foreign" foreign key ("${column}") references "${target}" ("id") on update cascade on delete ${onDelete}`,
      );
    fk('alert_rule', 'organization_id', 'organization', 'cascade');
    fk('alert_rule', 'project_id', 'project', 'cascade');
    fk('alert_rule', 'machine_id', 'machine', 'cascade');
    fk('alert_rule', 'cluster_id', 'cluster', 'cascade');
    fk('alert', 'rule_id', 'alert_rule', 'cascade');
    fk('alert', 'organization_id', 'organization', 'cascade');
    fk('alert', 'project_id', 'project', 'cascade');
    fk('alert', 'machine_id', 'machine', 'set null');
    fk('alert', 'acknowledged_by_id', 'users', 'set null');
    fk('alert_event', 'alert_id', 'alert', 'cascade');
    fk('alert_event', 'actor_id', 'users', 'set null');
    fk('notification_channel', 'organization_id', 'organization', 'cascade');
    fk('notification_delivery', 'channel_id', 'notification_channel', 'cascade');
    fk('notification_delivery', 'alert_id', 'alert', 'set null');
    // The operators' defaults: platform rules over every cluster (README, "Alerts").
    this.addSql(`insert into "alert_rule"
      ("id", "name", "scope", "metric", "comparator", "threshold", "clear_threshold", "duration_seconds", "severity", "builtin")
      values
      (gen_random_uuid(), 'Node down', 'NODE', 'NODE_STATUS', 'LT', 1, null, 60, 'CRITICAL', true),
      (gen_random_uuid(), 'Ceph health not OK', 'CEPH', 'CEPH_HEALTH', 'GTE', 1, null, 60, 'WARNING', true),
      (gen_random_uuid(), 'Storage over 85%', 'CLUSTER', 'STORAGE', 'GT', 85, 80, 300, 'WARNING', true),
      (gen_random_uuid(), 'Guest memory over 90% for 5 minutes', 'CLUSTER', 'MEMORY', 'GT', 90, 85, 300, 'WARNING', true)`);
  }

  override async down(): Promise<void> {
    for (const table of ['notification_delivery', 'notification_channel', 'alert_event', 'alert', 'alert_rule'])
      this.addSql(`drop table if exists "${table}" cascade`);
  }
}
