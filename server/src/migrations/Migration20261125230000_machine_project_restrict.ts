import { Migration } from '@mikro-orm/migrations';

/**
 * A project (or organization) with machines cannot be deleted: `machine.project_id` restricts, as the
 * entity declares. The initial migration created it with `on delete cascade`, which silently deleted
 * every machine record of a deleted organization while its guests kept running on Proxmox.
 */
export class Migration20261125230000_machine_project_restrict extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "machine" drop constraint "machine_project_id_foreign"`);
    this.addSql(
      `alter table "machine" add constraint "machine_project_id_foreign" foreign key ("project_id") references "project" ("id") on update cascade on delete restrict`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "machine" drop constraint "machine_project_id_foreign"`);
    this.addSql(
      `alter table "machine" add constraint "machine_project_id_foreign" foreign key ("project_id") references "project" ("id") on update cascade on delete cascade`,
    );
  }
}
