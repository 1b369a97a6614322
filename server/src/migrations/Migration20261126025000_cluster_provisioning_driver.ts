import { Migration } from '@mikro-orm/migrations';

/** Each cluster chooses how its guests are created: the Proxmox client (NATIVE) or Terraform. */
export class Migration20261126025000_cluster_provisioning_driver extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create type "provisioning_driver" as enum ('NATIVE', 'TERRAFORM')`);
    this.addSql(
      `alter table "cluster" add column "provisioning_driver" "provisioning_driver" not null default 'NATIVE'`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "cluster" drop column "provisioning_driver"`);
    this.addSql(`drop type "provisioning_driver"`);
  }
}
