// TOTP (RFC 6238) second factor: SHA-1, 6 digits, 30 s steps, as every authenticator app reads an
// `otpauth://` URI. The shared secret lives only in the secret store; the database keeps when it was
// confirmed and the last time step accepted, so a code cannot be used twice.
import type { EntityManager } from '@mikro-orm/postgresql';
import { generateSecret, generateURI, verify } from 'otplib';
import QRCode from 'qrcode';
import type { SecretStore } from '../secrets/secret-store.js';
import { User } from '../modules/user/user.entity.js';

export const TOTP_ISSUER = 'pvepaas';
const PERIOD_SECONDS = 30;
/** One step either side of now: a phone clock a little off, or a code typed as it rolled over. */
const TOLERANCE_SECONDS = PERIOD_SECONDS;

const activePath = (userId: string) => `users/${userId}/totp`;
const pendingPath = (userId: string) => `users/${userId}/totp-pending`;

export interface TotpEnrolment {
  secret: string;
  otpauthUri: string;
  qrCodeDataUrl: string;
}

/** A new secret, kept as pending until a first code proves the app has it. Replaces an earlier pending one. */
export async function startTotpEnrolment(secrets: SecretStore, user: User): Promise<TotpEnrolment> {
  const secret = generateSecret({ length: 20 });
  await secrets.write(pendingPath(user.id), { secret });
  const otpauthUri = generateURI({ issuer: TOTP_ISSUER, label: user.email, secret, period: PERIOD_SECONDS });
  const qrCodeDataUrl = await QRCode.toDataURL(otpauthUri, { errorCorrectionLevel: 'M', margin: 2, width: 240 });
  return { secret, otpauthUri, qrCodeDataUrl };
}

/** The time step `code` belongs to, when it is valid for `secret` within the tolerance and after `afterTimeStep`. */
export async function matchTotp(
  secret: string,
  code: string,
  afterTimeStep: number | null | undefined,
  now = Date.now(),
): Promise<number | null> {
  const token = code.replace(/\s/g, '');
  if (!/^\d{6}$/.test(token)) return null;
  try {
    const result = await verify({
      secret,
      token,
      period: PERIOD_SECONDS,
      epoch: Math.floor(now / 1000),
      epochTolerance: TOLERANCE_SECONDS,
      ...(afterTimeStep != null ? { afterTimeStep } : {}),
    });
    return result.valid && 'timeStep' in result ? result.timeStep : null;
  } catch {
    return null;
  }
}

/**
 * Records `timeStep` as the last one used, unless it is not newer than the one recorded: one
 * conditional update, so two requests racing with the same code cannot both pass.
 */
async function claimTimeStep(em: EntityManager, userId: string, timeStep: number): Promise<boolean> {
  const updated = await em.nativeUpdate(
    User,
    { id: userId, $or: [{ totpLastTimeStep: null }, { totpLastTimeStep: { $lt: timeStep } }] },
    { totpLastTimeStep: timeStep },
  );
  return updated === 1;
}

/** Confirms the pending secret with a first code: the factor is active from now on. */
export async function confirmTotpEnrolment(
  em: EntityManager,
  secrets: SecretStore,
  user: User,
  code: string,
): Promise<'confirmed' | 'no-pending' | 'wrong-code'> {
  const pending = await secrets.read(pendingPath(user.id));
  const secret = pending?.data.secret;
  if (!secret) return 'no-pending';
  const step = await matchTotp(secret, code, null);
  if (step === null) return 'wrong-code';
  await secrets.write(activePath(user.id), { secret });
  await secrets.destroy(pendingPath(user.id));
  await em.nativeUpdate(User, { id: user.id }, { totpEnabledAt: new Date(), totpLastTimeStep: step });
  user.totpEnabledAt = new Date();
  user.totpLastTimeStep = step;
  return 'confirmed';
}

/** Checks a code of the active factor and spends its time step. False for a wrong code or a replay. */
export async function verifyTotp(
  em: EntityManager,
  secrets: SecretStore,
  userId: string,
  code: string,
): Promise<boolean> {
  const [stored, user] = await Promise.all([
    secrets.read(activePath(userId)),
    em.fork().findOne(User, { id: userId }, { fields: ['totpLastTimeStep'] }),
  ]);
  const secret = stored?.data.secret;
  if (!secret || !user) return false;
  const step = await matchTotp(secret, code, user.totpLastTimeStep);
  if (step === null) return false;
  return claimTimeStep(em, userId, step);
}

/** Removes the factor: secret (every version) and state. Recovery codes are removed by the caller. */
export async function removeTotp(em: EntityManager, secrets: SecretStore, userId: string): Promise<void> {
  await secrets.destroy(activePath(userId));
  await secrets.destroy(pendingPath(userId));
  await em.nativeUpdate(User, { id: userId }, { totpEnabledAt: null, totpLastTimeStep: null });
}
