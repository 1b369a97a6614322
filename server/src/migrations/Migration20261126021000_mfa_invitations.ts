import { Migration } from '@mikro-orm/migrations';

/**
 * TOTP second factor (its state on the user, its one-time recovery codes), the organization policy
 * that requires it, and invitations to join an organization.
 */
export class Migration20261126021000_mfa_invitations extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `alter table "users" add column "totp_enabled_at" timestamptz null, add column "totp_last_time_step" int null`,
    );
    this.addSql(`alter table "organization" add column "require_mfa" boolean not null default false`);

    this.addSql(
      `create table "mfa_recovery_code" ("id" uuid not null, "created_at" timestamptz(3) not null default now(), "updated_at" timestamptz(3) not null default now(), "user_id" uuid not null, "code_hash" varchar(64) not null, "used_at" timestamptz null, constraint "mfa_recovery_code_pkey" primary key ("id"))`,
    );
    this.addSql(`create index "mfa_recovery_code_user_id_index" on "mfa_recovery_code" ("user_id")`);
    this.addSql(
      `alter table "mfa_recovery_code" add constraint "mfa_recovery_code_code_hash_unique" unique ("code_hash")`,
    );
    this.addSql(
      `alter table "mfa_recovery_code" add constraint "mfa_recovery_code_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade on delete cascade`,
    );

    this.addSql(
      `create table "invitation" ("id" uuid not null, "created_at" timestamptz(3) not null default now(), "updated_at" timestamptz(3) not null default now(), "organization_id" uuid not null, "email" varchar(320) not null, "role" "role" not null, "token_hash" varchar(64) not null, "invited_by_id" uuid null, "expires_at" timestamptz not null, "accepted_at" timestamptz null, "accepted_by_id" uuid null, "revoked_at" timestamptz null, constraint "invitation_pkey" primary key ("id"))`,
    );
    this.addSql(
      `create index "invitation_organization_id_created_at_index" on "invitation" ("organization_id", "created_at")`,
    );
    this.addSql(`alter table "invitation" add constraint "invitation_token_hash_unique" unique ("token_hash")`);
    this.addSql(
      `alter table "invitation" add constraint "invitation_organization_id_foreign" foreign key ("organization_id") references "organization" ("id") on update cascade on delete cascade`,
    );
    this.addSql(
      `alter table "invitation" add constraint "invitation_invited_by_id_foreign" foreign key ("invited_by_id") references "users" ("id") on update cascade on delete set null`,
    );
    this.addSql(
      `alter table "invitation" add constraint "invitation_accepted_by_id_foreign" foreign key ("accepted_by_id") references "users" ("id") on update cascade on delete set null`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "invitation" cascade`);
    this.addSql(`drop table if exists "mfa_recovery_code" cascade`);
    this.addSql(`alter table "organization" drop column "require_mfa"`);
    this.addSql(`alter table "users" drop column "totp_enabled_at", drop column "totp_last_time_step"`);
  }
}
