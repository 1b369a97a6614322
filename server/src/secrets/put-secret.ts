// `npm run secrets:put -- <path> [key]`: writes one value, read from standard input (never from the
// command line, where `ps` and shell history would see it), into the secret store the API uses:
// Vault when VAULT_ADDR is set, otherwise the local encrypted store in DATABASE_URL or, in embedded
// mode, in DATA_DIR (run it while the platform is stopped: the embedded database has one owner).
// Other keys already at the path are kept. Prints the path and the new version, never the value.
import 'reflect-metadata';
import path from 'node:path';
import { text } from 'node:stream/consumers';
import { loadConfig } from '../config.js';
import { startEmbeddedPostgres } from '../db/embedded-postgres.js';
import { openOrm } from '../db/orm.js';
import { sqlClientFromOrm } from '../db/sql-client.js';
import { createLogger } from '../logger.js';
import { createSecretStore, parseSecretsConfig } from './create-secret-store.js';
import { assertSecretPath } from './secret-store.js';

async function main(): Promise<void> {
  const [secretPath, key = 'clientSecret'] = process.argv.slice(2);
  if (!secretPath) throw new Error('usage: npm run secrets:put -- <path> [key]   (the value on standard input)');
  assertSecretPath(secretPath);
  // One trailing newline is what `echo` or a here-string adds, not part of the secret.
  const value = (await text(process.stdin)).replace(/\r?\n$/, '');
  if (!value) throw new Error('no value on standard input');

  const config = loadConfig();
  const log = createLogger(config.LOG_LEVEL);
  const embedded = config.DATABASE_URL ? null : await startEmbeddedPostgres(path.join(config.DATA_DIR, 'pglite'));
  // Migrations too: on a fresh DATA_DIR the secret tables do not exist before the first start.
  const orm = await openOrm({ url: config.DATABASE_URL ?? embedded!.url, poolSize: embedded ? 1 : 2 });
  try {
    // The same choice of store and key file as the API (server/src/main.ts).
    const secrets = await createSecretStore(
      parseSecretsConfig({ SECRETS_KEY_FILE: path.join(config.DATA_DIR, 'secrets.key'), ...process.env }),
      { sql: sqlClientFromOrm(orm), logger: log },
    );
    const current = await secrets.read(secretPath);
    const { version } = await secrets.write(secretPath, { ...current?.data, [key]: value });
    await secrets.close();
    process.stdout.write(`${secretPath} (key ${key}): version ${version}\n`);
  } finally {
    await orm.close();
    await embedded?.close();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
