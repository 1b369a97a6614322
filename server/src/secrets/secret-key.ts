// The local driver's master key: 32 random bytes, from SECRETS_KEY (base64) or a key file created at
// first start with mode 0600. An existing key file that others can read is refused, not repaired:
// the key may already have leaked, and the operator should rotate it knowingly.
import { createHash, randomBytes } from 'node:crypto';
import { chmod, mkdir, open, readFile, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { SecretError } from './secret-store.js';

export const SECRET_KEY_BYTES = 32;

export function decodeSecretKey(base64: string, source: string): Buffer {
  const trimmed = base64.trim();
  const key = Buffer.from(trimmed, 'base64');
  // Buffer.from ignores invalid characters; re-encoding catches them.
  if (key.length !== SECRET_KEY_BYTES || key.toString('base64') !== trimmed) {
    throw SecretError.invalid(
      `${source} must be ${SECRET_KEY_BYTES} bytes encoded in base64 (generate one with: openssl rand -base64 32).`,
    );
  }
  return key;
}

/**
 * A short, public fingerprint of a key (stored beside each ciphertext): it tells which key wrote a row
 * without revealing anything about the key.
 */
export function secretKeyId(key: Buffer): string {
  return createHash('sha256').update('pvepaas-secret-key-id\0').update(key).digest('hex').slice(0, 16);
}

export interface LoadedSecretKey {
  key: Buffer;
  source: 'env' | 'file';
  /** True when this call generated the key file. */
  created: boolean;
}

/**
 * Resolves the master key: `SECRETS_KEY` when given, otherwise `keyFile`, created (0600, in a 0700
 * directory) when absent. Safe when several processes start at once: creation is exclusive.
 */
export async function loadSecretKey(options: {
  envKey?: string;
  keyFile: string;
  /** The variable `envKey` came from, for messages. Default SECRETS_KEY. */
  envName?: string;
}): Promise<LoadedSecretKey> {
  if (options.envKey !== undefined && options.envKey !== '') {
    return { key: decodeSecretKey(options.envKey, options.envName ?? 'SECRETS_KEY'), source: 'env', created: false };
  }
  const { keyFile } = options;
  try {
    await mkdir(dirname(keyFile), { recursive: true, mode: 0o700 });
    const handle = await open(keyFile, 'wx', 0o600);
    try {
      const key = randomBytes(SECRET_KEY_BYTES);
      await handle.writeFile(`${key.toString('base64')}\n`);
      await handle.sync();
      // The umask can only remove bits, but be explicit: exactly owner read/write.
      await chmod(keyFile, 0o600);
      return { key, source: 'file', created: true };
    } finally {
      await handle.close();
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
      throw SecretError.unavailable(`Cannot create the secrets key file ${keyFile}: ${(error as Error).message}`, {
        cause: error,
      });
    }
  }
  return { key: await readKeyFile(keyFile), source: 'file', created: false };
}

async function readKeyFile(keyFile: string): Promise<Buffer> {
  const info = await stat(keyFile);
  if (!info.isFile()) throw SecretError.invalid(`Key file ${keyFile} is not a regular file.`);
  if ((info.mode & 0o077) !== 0) {
    throw SecretError.invalid(
      `Key file ${keyFile} is readable by group or others (mode ${(info.mode & 0o777).toString(8).padStart(4, '0')}); ` +
        `refusing to start. Run chmod 600 ${keyFile} and rotate the key if it may have leaked.`,
    );
  }
  // Another process may have just created it and not written it yet.
  for (let attempt = 0; ; attempt++) {
    const text = (await readFile(keyFile, 'utf8')).trim();
    if (text !== '' || attempt >= 20) return decodeSecretKey(text, `Key file ${keyFile}`);
    await sleep(25);
  }
}
