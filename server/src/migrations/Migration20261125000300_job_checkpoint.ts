import { Migration } from '@mikro-orm/migrations';

/** Jobs remember what their steps did, so a worker that takes over resumes instead of repeating. */
export class Migration20261125000300_job_checkpoint extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "job" add column "checkpoint" jsonb not null default '{}'`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "job" drop column "checkpoint"`);
  }
}
