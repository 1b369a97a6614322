// Embedded-mode secret store: values encrypted with AES-256-GCM (random 12-byte IV per value, the path
// as additional authenticated data, so a ciphertext copied to another path does not decrypt) and kept
// in PostgreSQL (or PGlite) with versions. Every mutation is one SQL statement, so the check-and-set
// counter stays correct across processes without transactions (a pool may hand out any connection).
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { decodeSecretKey, loadSecretKey, SECRET_KEY_BYTES, secretKeyId } from './secret-key.js';
import {
  assertSecretData,
  assertSecretPath,
  assertVersion,
  DEFAULT_MAX_VERSIONS,
  normalizeListPrefix,
  SecretError,
  type SecretData,
  type SecretStore,
  type SecretStoreHealth,
  type SecretValue,
  type SecretVersionInfo,
} from './secret-store.js';

/** The one thing the local driver needs from a database. A `pg.Pool` or `PGlite` satisfies it. */
export interface SqlClient {
  query<T>(sql: string, params?: unknown[]): Promise<{ rows: T[] }>;
}

export interface LocalSecretStoreOptions {
  sql: SqlClient;
  /** The 32-byte master key: encrypts every write. */
  key: Buffer;
  /** Earlier keys, still accepted for reading until `rotate()` has re-encrypted their rows. */
  previousKeys?: Buffer[];
  /** Versions kept per path (default 10, as Vault). */
  maxVersions?: number;
}

const IV_BYTES = 12;

type Bytes = Uint8Array;

interface VersionRow {
  version: number;
  ciphertext: Bytes | null;
  iv: Bytes | null;
  auth_tag: Bytes | null;
  key_id: string | null;
  created_at: Date | string;
  deleted_at: Date | string | null;
  destroyed_at: Date | string | null;
}

// `$1` path, `$2` ciphertext, `$3` iv, `$4` auth tag, `$5` versions kept, `$6` key id, `$7` cas.
const metaStatement = {
  any: `insert into "secret_metadata" as m ("path", "current_version") values ($1, 1)
      on conflict ("path") do update set "current_version" = m."current_version" + 1, "updated_at" = now()
      returning "current_version"`,
  absent: `insert into "secret_metadata" ("path", "current_version") values ($1, 1)
      on conflict ("path") do nothing
      returning "current_version"`,
  version: `update "secret_metadata" set "current_version" = "current_version" + 1, "updated_at" = now()
      where "path" = $1 and "current_version" = $7::int
      returning "current_version"`,
} as const;

const writeSql = (meta: string) => `with meta as (${meta}),
  purged as (
    delete from "secret_version"
    where "path" = $1 and "version" <= (select "current_version" from meta) - $5::int
  )
  insert into "secret_version" ("path", "version", "ciphertext", "iv", "auth_tag", "key_id")
  select $1, "current_version", $2::bytea, $3::bytea, $4::bytea, $6::text from meta
  returning "version"`;

const toDate = (value: Date | string): Date => (value instanceof Date ? value : new Date(value));
const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

export class LocalSecretStore implements SecretStore {
  readonly driver = 'local';
  private readonly sql: SqlClient;
  private readonly key: Buffer;
  private readonly keyId: string;
  /** Every usable key by id, the current one included. */
  private readonly keys = new Map<string, Buffer>();
  private readonly maxVersions: number;

  constructor(options: LocalSecretStoreOptions) {
    if (options.key.length !== SECRET_KEY_BYTES) {
      throw SecretError.invalid(`The local secret store needs a ${SECRET_KEY_BYTES}-byte key.`);
    }
    this.sql = options.sql;
    this.key = Buffer.from(options.key);
    this.keyId = secretKeyId(this.key);
    for (const previous of options.previousKeys ?? []) {
      if (previous.length !== SECRET_KEY_BYTES) {
        throw SecretError.invalid(`Every previous secrets key must be ${SECRET_KEY_BYTES} bytes.`);
      }
      this.keys.set(secretKeyId(previous), Buffer.from(previous));
    }
    this.keys.set(this.keyId, this.key);
    this.maxVersions = options.maxVersions ?? DEFAULT_MAX_VERSIONS;
    if (!Number.isSafeInteger(this.maxVersions) || this.maxVersions < 1) {
      throw SecretError.invalid('maxVersions must be a positive integer.');
    }
  }

  /** Loads the key (SECRETS_KEY or the key file, created on first start) and opens the store. */
  static async open(options: {
    sql: SqlClient;
    envKey?: string;
    keyFile: string;
    /** Base64 keys from SECRETS_PREVIOUS_KEYS. */
    previousKeys?: string[];
    maxVersions?: number;
  }): Promise<LocalSecretStore> {
    const { key } = await loadSecretKey({ envKey: options.envKey, keyFile: options.keyFile });
    const previousKeys = (options.previousKeys ?? []).map((k, i) =>
      decodeSecretKey(k, `SECRETS_PREVIOUS_KEYS entry ${i + 1}`),
    );
    return new LocalSecretStore({ sql: options.sql, key, previousKeys, maxVersions: options.maxVersions });
  }

  /** The fingerprint of the current key, as stored in `secret_version.key_id`. */
  get currentKeyId(): string {
    return this.keyId;
  }

  /**
   * Re-encrypts every stored version written under a previous key with the current key, in batches.
   * Run it after changing the key (old key in `previousKeys`); afterwards the old key can be dropped.
   * Safe to run concurrently with writes and with itself (each row is updated only if still old).
   */
  async rotate(batchSize = 100): Promise<{ reencrypted: number }> {
    let reencrypted = 0;
    const skipped = new Set<string>();
    for (;;) {
      const { rows } = await this.query<VersionRow & { path: string }>(
        `select "path", "version", "ciphertext", "iv", "auth_tag", "key_id", "created_at", "deleted_at", "destroyed_at"
         from "secret_version" where "key_id" is not null and "key_id" <> $1
         order by "path", "version" limit $2::int`,
        [this.keyId, batchSize + skipped.size],
      );
      const todo = rows.filter((row) => !skipped.has(`${row.version}/${row.path}`));
      if (todo.length === 0) return { reencrypted };
      for (const row of todo) {
        if (row.ciphertext === null || row.iv === null || row.auth_tag === null || row.key_id === null) continue;
        const data = this.decrypt(row.path, row.version, row.key_id, row.ciphertext, row.iv, row.auth_tag);
        const sealed = this.encrypt(row.path, data);
        const result = await this.query<{ version: number }>(
          `update "secret_version" set "ciphertext" = $3::bytea, "iv" = $4::bytea, "auth_tag" = $5::bytea, "key_id" = $6::text
           where "path" = $1 and "version" = $2::int and "key_id" = $7::text returning "version"`,
          [row.path, row.version, sealed.ciphertext, sealed.iv, sealed.authTag, this.keyId, row.key_id],
        );
        if (result.rows.length === 1) reencrypted += 1;
        else skipped.add(`${row.version}/${row.path}`); // destroyed or rotated meanwhile
      }
    }
  }

  async read(path: string, options: { version?: number } = {}): Promise<SecretValue | null> {
    assertSecretPath(path);
    assertVersion(path, 'version', options.version, 1);
    const { rows } = await this.query<VersionRow>(
      `select v."version", v."ciphertext", v."iv", v."auth_tag", v."key_id", v."created_at", v."deleted_at", v."destroyed_at"
       from "secret_metadata" m
       join "secret_version" v on v."path" = m."path" and v."version" = coalesce($2::int, m."current_version")
       where m."path" = $1`,
      [path, options.version ?? null],
    );
    const row = rows[0];
    if (!row || row.deleted_at !== null || row.destroyed_at !== null) return null;
    if (row.ciphertext === null || row.iv === null || row.auth_tag === null || row.key_id === null) return null;
    return {
      data: this.decrypt(path, row.version, row.key_id, row.ciphertext, row.iv, row.auth_tag),
      version: row.version,
      createdTime: toDate(row.created_at),
    };
  }

  async write(path: string, data: SecretData, options: { cas?: number } = {}): Promise<{ version: number }> {
    assertSecretPath(path);
    assertSecretData(path, data);
    assertVersion(path, 'cas', options.cas, 0);
    const { ciphertext, iv, authTag } = this.encrypt(path, data);
    const { cas } = options;
    const meta = cas === undefined ? metaStatement.any : cas === 0 ? metaStatement.absent : metaStatement.version;
    const params: unknown[] = [path, ciphertext, iv, authTag, this.maxVersions, this.keyId];
    if (cas !== undefined && cas > 0) params.push(cas);
    const { rows } = await this.query<{ version: number }>(writeSql(meta), params);
    const written = rows[0];
    if (written) return { version: written.version };
    const current = await this.query<{ current_version: number }>(
      'select "current_version" from "secret_metadata" where "path" = $1',
      [path],
    );
    throw SecretError.casMismatch(path, cas ?? 0, current.rows[0]?.current_version ?? null);
  }

  async versions(path: string): Promise<SecretVersionInfo[]> {
    assertSecretPath(path);
    const { rows } = await this.query<Omit<VersionRow, 'ciphertext' | 'iv' | 'auth_tag'>>(
      `select "version", "created_at", "deleted_at", "destroyed_at" from "secret_version"
       where "path" = $1 order by "version"`,
      [path],
    );
    return rows.map((row) => ({
      version: row.version,
      createdTime: toDate(row.created_at),
      deletedTime: row.deleted_at === null ? null : toDate(row.deleted_at),
      destroyed: row.destroyed_at !== null,
    }));
  }

  async delete(path: string): Promise<void> {
    assertSecretPath(path);
    await this.query(
      `update "secret_version" v set "deleted_at" = now()
       from "secret_metadata" m
       where m."path" = $1 and v."path" = m."path" and v."version" = m."current_version"
         and v."deleted_at" is null and v."destroyed_at" is null`,
      [path],
    );
  }

  async destroy(path: string, options: { versions?: number[] } = {}): Promise<void> {
    assertSecretPath(path);
    if (options.versions === undefined) {
      await this.query('delete from "secret_metadata" where "path" = $1', [path]);
      return;
    }
    if (options.versions.length === 0)
      throw SecretError.invalid(`Secret ${path}: no version numbers to destroy.`, path);
    for (const version of options.versions) assertVersion(path, 'version', version, 1);
    await this.query(
      `update "secret_version"
       set "ciphertext" = null, "iv" = null, "auth_tag" = null, "key_id" = null, "destroyed_at" = now()
       where "path" = $1 and "version" = any($2::int[]) and "destroyed_at" is null`,
      [path, options.versions],
    );
  }

  async list(prefix: string): Promise<string[]> {
    const base = normalizeListPrefix(prefix);
    const { rows } = await this.query<{ path: string }>(
      `select "path" from "secret_metadata" where "path" like $1 escape '\\'`,
      [`${escapeLike(base)}%`],
    );
    const keys = new Set<string>();
    for (const { path } of rows) {
      const rest = path.slice(base.length);
      const slash = rest.indexOf('/');
      keys.add(slash === -1 ? rest : rest.slice(0, slash + 1));
    }
    return [...keys].sort();
  }

  async health(): Promise<SecretStoreHealth> {
    try {
      await this.query('select 1 from "secret_metadata" limit 1', []);
      return { driver: 'local', ok: true, sealed: false, message: `local encrypted store, key ${this.keyId}` };
    } catch (error) {
      return { driver: 'local', ok: false, sealed: false, message: (error as Error).message };
    }
  }

  async close(): Promise<void> {}

  private async query<T>(sql: string, params: unknown[]): Promise<{ rows: T[] }> {
    try {
      return await this.sql.query<T>(sql, params);
    } catch (error) {
      // Database errors never carry our plaintext (it is encrypted before it reaches SQL).
      if ((error as { code?: unknown }).code === '42P01') {
        throw SecretError.unavailable(
          'The secrets tables are missing: run the database migrations (Migration20261125000200_secrets).',
          { cause: error },
        );
      }
      throw SecretError.unavailable(`The secrets database failed: ${(error as Error).message}`, { cause: error });
    }
  }

  private encrypt(path: string, data: SecretData): { ciphertext: Buffer; iv: Buffer; authTag: Buffer } {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(path, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(JSON.stringify(data), 'utf8'), cipher.final()]);
    return { ciphertext, iv, authTag: cipher.getAuthTag() };
  }

  private decrypt(
    path: string,
    version: number,
    keyId: string,
    ciphertext: Bytes,
    iv: Bytes,
    authTag: Bytes,
  ): SecretData {
    const key = this.keys.get(keyId);
    if (!key) {
      throw SecretError.unavailable(
        `Secret ${path} version ${version} was written with key ${keyId}, but the configured key is ${this.keyId}: ` +
          'restore the old key (SECRETS_KEY or the key file), or list it in SECRETS_PREVIOUS_KEYS and rotate.',
      );
    }
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv));
      decipher.setAAD(Buffer.from(path, 'utf8'));
      decipher.setAuthTag(Buffer.from(authTag));
      const plaintext = Buffer.concat([decipher.update(Buffer.from(ciphertext)), decipher.final()]);
      return JSON.parse(plaintext.toString('utf8')) as SecretData;
    } catch (error) {
      throw SecretError.unavailable(
        `Secret ${path} version ${version} failed authentication under key ${keyId}: the row was altered or moved to another path.`,
        { cause: error },
      );
    }
  }
}
