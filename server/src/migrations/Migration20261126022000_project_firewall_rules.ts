import { Migration } from '@mikro-orm/migrations';

/** What each project opens in its guests' firewalls (protocol, port, source); inbound is closed otherwise. */
export class Migration20261126022000_project_firewall_rules extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "project" add column "firewall_rules" jsonb not null default '[]'`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "project" drop column "firewall_rules"`);
  }
}
