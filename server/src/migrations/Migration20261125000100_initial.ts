import { Migration } from '@mikro-orm/migrations';

/** The base data model: tenants, clusters, templates, machines, jobs, audit log, API tokens. */
export class Migration20261125000100_initial extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create type "machine_kind" as enum ('VM', 'LXC')`);
    this.addSql(`create type "role" as enum ('OWNER', 'ADMIN', 'OPERATOR', 'VIEWER')`);
    this.addSql(
      `create type "machine_status" as enum ('PENDING', 'PROVISIONING', 'RUNNING', 'STOPPED', 'SUSPENDED', 'FAILED', 'DELETING', 'MISSING')`,
    );
    this.addSql(
      `create type "job_status" as enum ('QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLING', 'CANCELLED', 'ROLLING_BACK')`,
    );
    this.addSql(
      `create table "cluster" ("id" uuid not null, "created_at" timestamptz(3) not null default now(), "updated_at" timestamptz(3) not null default now(), "name" varchar(63) not null, "api_url" varchar(500) not null, "token_id" varchar(200) not null, "token_secret_ref" varchar(300) not null, "tls_fingerprint" varchar(95) null, "ca_pem" text null, constraint "cluster_pkey" primary key ("id"))`,
    );
    this.addSql(`alter table "cluster" add constraint "cluster_name_unique" unique ("name")`);
    this.addSql(
      `create table "node" ("id" uuid not null, "created_at" timestamptz(3) not null default now(), "updated_at" timestamptz(3) not null default now(), "cluster_id" uuid not null, "name" varchar(63) not null, "status" varchar(20) not null default 'unknown', "cpu_count" int not null default 0, "memory_bytes" bigint not null default 0, "maintenance" boolean not null default false, constraint "node_pkey" primary key ("id"))`,
    );
    this.addSql(`alter table "node" add constraint "node_cluster_id_name_unique" unique ("cluster_id", "name")`);
    this.addSql(
      `create table "organization" ("id" uuid not null, "created_at" timestamptz(3) not null default now(), "updated_at" timestamptz(3) not null default now(), "name" varchar(100) not null, "slug" varchar(63) not null, "quota_machines" int null, "quota_cores" int null, "quota_memory_mib" int null, "quota_disk_gib" int null, "quota_gpus" int null, constraint "organization_pkey" primary key ("id"))`,
    );
    this.addSql(`alter table "organization" add constraint "organization_slug_unique" unique ("slug")`);
    this.addSql(
      `create table "project" ("id" uuid not null, "created_at" timestamptz(3) not null default now(), "updated_at" timestamptz(3) not null default now(), "organization_id" uuid not null, "name" varchar(63) not null, "description" text not null default '', "quota_machines" int null, "quota_cores" int null, "quota_memory_mib" int null, "quota_disk_gib" int null, "quota_gpus" int null, constraint "project_pkey" primary key ("id"))`,
    );
    this.addSql(
      `create index "project_organization_id_created_at_index" on "project" ("organization_id", "created_at")`,
    );
    this.addSql(
      `alter table "project" add constraint "project_organization_id_name_unique" unique ("organization_id", "name")`,
    );
    this.addSql(
      `create table "network_configuration" ("id" uuid not null, "created_at" timestamptz(3) not null default now(), "updated_at" timestamptz(3) not null default now(), "project_id" uuid not null, "name" varchar(63) not null, "bridge" varchar(20) not null, "vlan_tag" int null, "cidr" varchar(43) null, "gateway" varchar(39) null, "firewall" boolean not null default true, constraint "network_configuration_pkey" primary key ("id"))`,
    );
    this.addSql(
      `alter table "network_configuration" add constraint "network_configuration_project_id_name_unique" unique ("project_id", "name")`,
    );
    this.addSql(
      `create table "storage_configuration" ("id" uuid not null, "created_at" timestamptz(3) not null default now(), "updated_at" timestamptz(3) not null default now(), "cluster_id" uuid not null, "name" varchar(63) not null, "storage_id" varchar(100) not null, "type" varchar(20) not null, "shared" boolean not null default false, constraint "storage_configuration_pkey" primary key ("id"))`,
    );
    this.addSql(
      `alter table "storage_configuration" add constraint "storage_configuration_cluster_id_name_unique" unique ("cluster_id", "name")`,
    );
    this.addSql(
      `create table "template" ("id" uuid not null, "created_at" timestamptz(3) not null default now(), "updated_at" timestamptz(3) not null default now(), "cluster_id" uuid not null, "name" varchar(100) not null, "kind" "machine_kind" not null, "os" varchar(50) not null, "source_vmid" int null, "os_template" varchar(300) null, "default_cores" int not null, "default_memory_mib" int not null, "default_disk_gib" int not null, "cloud_init" boolean not null default true, "description" text not null default '', constraint "template_pkey" primary key ("id"))`,
    );
    this.addSql(
      `alter table "template" add constraint "template_cluster_id_name_unique" unique ("cluster_id", "name")`,
    );
    this.addSql(
      `create table "users" ("id" uuid not null, "created_at" timestamptz(3) not null default now(), "updated_at" timestamptz(3) not null default now(), "email" varchar(320) not null, "display_name" varchar(200) not null, "password_hash" text null, "is_platform_admin" boolean not null default false, "disabled_at" timestamptz null, constraint "users_pkey" primary key ("id"))`,
    );
    this.addSql(`alter table "users" add constraint "users_email_unique" unique ("email")`);
    this.addSql(
      `create table "membership" ("id" uuid not null, "created_at" timestamptz(3) not null default now(), "updated_at" timestamptz(3) not null default now(), "user_id" uuid not null, "organization_id" uuid not null, "project_id" uuid null, "role" "role" not null, constraint "membership_pkey" primary key ("id"))`,
    );
    this.addSql(
      `create index "membership_organization_id_created_at_index" on "membership" ("organization_id", "created_at")`,
    );
    this.addSql(
      `create unique index "membership_scope_unique" on "membership" ("user_id", "organization_id", "project_id") nulls not distinct`,
    );
    this.addSql(
      `create table "machine" ("id" uuid not null, "created_at" timestamptz(3) not null default now(), "updated_at" timestamptz(3) not null default now(), "kind" "machine_kind" not null, "name" varchar(63) not null, "project_id" uuid not null, "owner_id" uuid not null, "cluster_id" uuid null, "node_id" uuid null, "vmid" int null, "status" "machine_status" not null default 'PENDING', "cores" int not null, "memory_mib" int not null, "disk_gib" int not null, "template_id" uuid not null, "network_id" uuid null, "storage_id" uuid null, "tags" text[] not null default '{}', "ip_addresses" text[] not null default '{}', constraint "machine_pkey" primary key ("id"))`,
    );
    this.addSql(`create index "machine_owner_id_index" on "machine" ("owner_id")`);
    this.addSql(`create index "machine_created_at_id_index" on "machine" ("created_at", "id")`);
    this.addSql(`create index "machine_project_id_status_index" on "machine" ("project_id", "status")`);
    this.addSql(
      `create index "machine_project_id_created_at_id_index" on "machine" ("project_id", "created_at", "id")`,
    );
    this.addSql(`alter table "machine" add constraint "machine_project_id_name_unique" unique ("project_id", "name")`);
    this.addSql(`alter table "machine" add constraint "machine_cluster_id_vmid_unique" unique ("cluster_id", "vmid")`);
    this.addSql(
      `create table "job" ("id" uuid not null, "created_at" timestamptz(3) not null default now(), "updated_at" timestamptz(3) not null default now(), "kind" varchar(40) not null, "status" "job_status" not null default 'QUEUED', "project_id" uuid not null, "machine_id" uuid null, "requested_by_id" uuid null, "idempotency_key" varchar(200) null, "params" jsonb not null default '{}', "current_step" varchar(60) null, "percent" smallint not null default 0, "error" text null, "started_at" timestamptz null, "finished_at" timestamptz null, constraint "job_pkey" primary key ("id"))`,
    );
    this.addSql(`create index "job_status_index" on "job" ("status")`);
    this.addSql(`create index "job_machine_id_created_at_index" on "job" ("machine_id", "created_at")`);
    this.addSql(`create index "job_project_id_created_at_index" on "job" ("project_id", "created_at")`);
    this.addSql(
      `alter table "job" add constraint "job_requested_by_id_idempotency_key_unique" unique ("requested_by_id", "idempotency_key")`,
    );
    this.addSql(
      `create table "job_event" ("id" uuid not null, "created_at" timestamptz(3) not null default now(), "updated_at" timestamptz(3) not null default now(), "job_id" uuid not null, "seq" int not null, "step" varchar(60) not null, "status" varchar(20) not null, "percent" smallint null, "message" text not null default '', "data" jsonb not null default '{}', constraint "job_event_pkey" primary key ("id"))`,
    );
    this.addSql(`alter table "job_event" add constraint "job_event_job_id_seq_unique" unique ("job_id", "seq")`);
    this.addSql(
      `create table "audit_log" ("id" bigserial primary key, "at" timestamptz(3) not null default now(), "actor_id" uuid null, "organization_id" uuid null, "action" varchar(80) not null, "target_type" varchar(40) null, "target_id" varchar(80) null, "result" varchar(20) not null, "ip" varchar(64) null, "user_agent" varchar(300) null, "details" jsonb not null default '{}', "prev_hash" varchar(64) not null, "hash" varchar(64) not null)`,
    );
    this.addSql(`create index "audit_log_actor_id_at_index" on "audit_log" ("actor_id", "at")`);
    this.addSql(`create index "audit_log_organization_id_at_index" on "audit_log" ("organization_id", "at")`);
    this.addSql(
      `create table "api_token" ("id" uuid not null, "created_at" timestamptz(3) not null default now(), "updated_at" timestamptz(3) not null default now(), "user_id" uuid not null, "name" varchar(100) not null, "prefix" varchar(16) not null, "token_hash" varchar(64) not null, "scopes" text[] not null default '{}', "expires_at" timestamptz null, "last_used_at" timestamptz null, "revoked_at" timestamptz null, constraint "api_token_pkey" primary key ("id"))`,
    );
    this.addSql(`alter table "api_token" add constraint "api_token_token_hash_unique" unique ("token_hash")`);
    this.addSql(`create index "api_token_user_id_created_at_index" on "api_token" ("user_id", "created_at")`);
    this.addSql(
      `alter table "node" add constraint "node_cluster_id_foreign" foreign key ("cluster_id") references "cluster" ("id") on update cascade on delete cascade`,
    );
    this.addSql(
      `alter table "project" add constraint "project_organization_id_foreign" foreign key ("organization_id") references "organization" ("id") on update cascade on delete cascade`,
    );
    this.addSql(
      `alter table "network_configuration" add constraint "network_configuration_project_id_foreign" foreign key ("project_id") references "project" ("id") on update cascade on delete cascade`,
    );
    this.addSql(
      `alter table "storage_configuration" add constraint "storage_configuration_cluster_id_foreign" foreign key ("cluster_id") references "cluster" ("id") on update cascade on delete cascade`,
    );
    this.addSql(
      `alter table "template" add constraint "template_cluster_id_foreign" foreign key ("cluster_id") references "cluster" ("id") on update cascade on delete cascade`,
    );
    this.addSql(
      `alter table "membership" add constraint "membership_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade on delete cascade`,
    );
    this.addSql(
      `alter table "membership" add constraint "membership_organization_id_foreign" foreign key ("organization_id") references "organization" ("id") on update cascade on delete cascade`,
    );
    this.addSql(
      `alter table "membership" add constraint "membership_project_id_foreign" foreign key ("project_id") references "project" ("id") on update cascade on delete cascade`,
    );
    this.addSql(
      `alter table "machine" add constraint "machine_project_id_foreign" foreign key ("project_id") references "project" ("id") on update cascade on delete cascade`,
    );
    this.addSql(
      `alter table "machine" add constraint "machine_owner_id_foreign" foreign key ("owner_id") references "users" ("id") on update cascade on delete restrict`,
    );
    this.addSql(
      `alter table "machine" add constraint "machine_cluster_id_foreign" foreign key ("cluster_id") references "cluster" ("id") on update cascade on delete restrict`,
    );
    this.addSql(
      `alter table "machine" add constraint "machine_node_id_foreign" foreign key ("node_id") references "node" ("id") on update cascade on delete set null`,
    );
    this.addSql(
      `alter table "machine" add constraint "machine_template_id_foreign" foreign key ("template_id") references "template" ("id") on update cascade on delete restrict`,
    );
    this.addSql(
      `alter table "machine" add constraint "machine_network_id_foreign" foreign key ("network_id") references "network_configuration" ("id") on update cascade on delete set null`,
    );
    this.addSql(
      `alter table "machine" add constraint "machine_storage_id_foreign" foreign key ("storage_id") references "storage_configuration" ("id") on update cascade on delete set null`,
    );
    this.addSql(
      `alter table "job" add constraint "job_project_id_foreign" foreign key ("project_id") references "project" ("id") on update cascade on delete cascade`,
    );
    this.addSql(
      `alter table "job" add constraint "job_machine_id_foreign" foreign key ("machine_id") references "machine" ("id") on update cascade on delete set null`,
    );
    this.addSql(
      `alter table "job" add constraint "job_requested_by_id_foreign" foreign key ("requested_by_id") references "users" ("id") on update cascade on delete set null`,
    );
    this.addSql(
      `alter table "job_event" add constraint "job_event_job_id_foreign" foreign key ("job_id") references "job" ("id") on update cascade on delete cascade`,
    );
    this.addSql(
      `alter table "audit_log" add constraint "audit_log_actor_id_foreign" foreign key ("actor_id") references "users" ("id") on update cascade on delete set null`,
    );
    this.addSql(
      `alter table "audit_log" add constraint "audit_log_organization_id_foreign" foreign key ("organization_id") references "organization" ("id") on update cascade on delete set null`,
    );
    this.addSql(
      `alter table "api_token" add constraint "api_token_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade on delete cascade`,
    );
  }

  override async down(): Promise<void> {
    for (const table of [
      'api_token',
      'audit_log',
      'job_event',
      'job',
      'machine',
      'membership',
      'network_configuration',
      'storage_configuration',
      'template',
      'node',
      'project',
      'cluster',
      'organization',
      'users',
    ]) {
      this.addSql(`drop table if exists "${table}" cascade`);
    }
    this.addSql('drop type if exists "role", "machine_kind", "machine_status", "job_status"');
  }
}
