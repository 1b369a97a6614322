// One-time recovery codes: ten per enrolment, 80 random bits each, shown once and stored as SHA-256
// hashes. Spending one is a single conditional update, so a code works exactly once.
import { createHash, randomBytes } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { User } from '../modules/user/user.entity.js';
import { MfaRecoveryCode } from './mfa-recovery-code.entity.js';

export const RECOVERY_CODE_COUNT = 10;
// RFC 4648 base32, lowercase: no case confusion when read off paper.
const ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';

/** `abcd-efgh-ijkl-mnop`: 16 base32 characters, 80 bits. */
function newCode(): string {
  const bytes = randomBytes(10);
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return out.match(/.{4}/g)!.join('-');
}

/** What is hashed: the code without separators or case, so `ABCD EFGH...` matches too. */
const hashCode = (code: string): string =>
  createHash('sha256')
    .update(code.toLowerCase().replace(/[^a-z2-7]/g, ''))
    .digest('hex');

/** Replaces the user's codes with ten new ones; returns them in clear, this once. */
export async function issueRecoveryCodes(em: EntityManager, userId: string): Promise<string[]> {
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newCode);
  await em.transactional(async (tx) => {
    await tx.nativeDelete(MfaRecoveryCode, { user: userId });
    for (const code of codes) {
      tx.create(MfaRecoveryCode, { user: tx.getReference(User, userId), codeHash: hashCode(code) });
    }
  });
  return codes;
}

/** Spends a code: true once for each issued code, false for anything else. */
export async function redeemRecoveryCode(em: EntityManager, userId: string, code: string): Promise<boolean> {
  const updated = await em.nativeUpdate(
    MfaRecoveryCode,
    { user: userId, codeHash: hashCode(code), usedAt: null },
    { usedAt: new Date() },
  );
  return updated === 1;
}

export function remainingRecoveryCodes(em: EntityManager, userId: string): Promise<number> {
  return em.count(MfaRecoveryCode, { user: userId, usedAt: null });
}

export async function removeRecoveryCodes(em: EntityManager, userId: string): Promise<void> {
  await em.nativeDelete(MfaRecoveryCode, { user: userId });
}
