import { Migration } from '@mikro-orm/migrations';

/**
 * Audit rows keep the ids of their actor and organization without foreign keys. With `on delete set
 * null`, deleting a user or an organization rewrote hashed audit rows and broke the hash chain; a
 * record must outlive what it names.
 */
export class Migration20261126001000_audit_plain_ids extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "audit_log" drop constraint "audit_log_actor_id_foreign"`);
    this.addSql(`alter table "audit_log" drop constraint "audit_log_organization_id_foreign"`);
  }

  override async down(): Promise<void> {
    this.addSql(
      `alter table "audit_log" add constraint "audit_log_actor_id_foreign" foreign key ("actor_id") references "users" ("id") on update cascade on delete set null`,
    );
    this.addSql(
      `alter table "audit_log" add constraint "audit_log_organization_id_foreign" foreign key ("organization_id") references "organization" ("id") on update cascade on delete set null`,
    );
  }
}
