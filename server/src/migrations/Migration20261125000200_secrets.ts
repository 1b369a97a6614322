import { Migration } from '@mikro-orm/migrations';

// Tables of the local (embedded) secret store. Values are AES-256-GCM ciphertext; the key never
// reaches the database, only its fingerprint (`key_id`), so rotation knows which rows to re-encrypt. `secret_metadata.current_version` is the check-and-set counter: it survives
// soft deletes and purges of old versions, as in Vault's KV v2.
export class Migration20261125000200_secrets extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "secret_metadata" (
  "path" text not null primary key,
  "current_version" int not null,
  "created_at" timestamptz not null default now(),
  "updated_at" timestamptz not null default now()
);`);
    this.addSql(`create table "secret_version" (
  "path" text not null references "secret_metadata" ("path") on delete cascade,
  "version" int not null,
  "ciphertext" bytea null,
  "iv" bytea null,
  "auth_tag" bytea null,
  "key_id" text null,
  "created_at" timestamptz not null default now(),
  "deleted_at" timestamptz null,
  "destroyed_at" timestamptz null,
  primary key ("path", "version"),
  constraint "secret_version_sealed_check" check (
    num_nulls("ciphertext", "iv", "auth_tag", "key_id") in (0, 4) and ("ciphertext" is null) = ("destroyed_at" is not null)
  )
);`);
    // list(prefix) is a LIKE 'prefix%' scan; text_pattern_ops makes it an index range under any collation.
    this.addSql('create index "secret_metadata_path_prefix_idx" on "secret_metadata" ("path" text_pattern_ops);');
    // rotate() looks for rows under other keys.
    this.addSql('create index "secret_version_key_id_idx" on "secret_version" ("key_id");');
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists "secret_version";');
    this.addSql('drop table if exists "secret_metadata";');
  }
}
