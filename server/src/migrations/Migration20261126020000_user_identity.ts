import { Migration } from '@mikro-orm/migrations';

/** OpenID Connect identities linked to users: one row per (provider, subject). */
export class Migration20261126020000_user_identity extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "user_identity" (
      "id" uuid not null,
      "created_at" timestamptz(3) not null default now(),
      "updated_at" timestamptz(3) not null default now(),
      "provider" varchar(64) not null,
      "subject" varchar(255) not null,
      "user_id" uuid not null,
      "email" varchar(320) not null,
      "last_sign_in_at" timestamptz(3) null,
      constraint "user_identity_pkey" primary key ("id"))`);
    this.addSql(
      `alter table "user_identity" add constraint "user_identity_provider_subject_unique" unique ("provider", "subject")`,
    );
    this.addSql(`create index "user_identity_user_id_index" on "user_identity" ("user_id")`);
    this.addSql(
      `alter table "user_identity" add constraint "user_identity_user_id_foreign" foreign key ("user_id") references "users" ("id") on update cascade on delete cascade`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "user_identity" cascade`);
  }
}
