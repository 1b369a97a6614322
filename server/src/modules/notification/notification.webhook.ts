// Webhook signatures (README, "Alerts"): the receiver recomputes HMAC-SHA256 over
// `<timestamp>.<raw body>` with the channel's secret and compares it with the signature header, and
// refuses timestamps too far from its clock (replays).
import { createHmac, timingSafeEqual } from 'node:crypto';

export const TIMESTAMP_HEADER = 'x-pvepaas-timestamp';
export const SIGNATURE_HEADER = 'x-pvepaas-signature';
export const DELIVERY_HEADER = 'x-pvepaas-delivery';

/** `v1=<hex>`: the scheme is named so it can change without breaking receivers of this one. */
export function signWebhook(secret: string, timestamp: number, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** What a receiver does; exported for tests and as the reference implementation. */
export function verifyWebhook(
  secret: string,
  headers: { timestamp: string | undefined; signature: string | undefined },
  body: string,
  nowSeconds = Math.floor(Date.now() / 1000),
  toleranceSeconds = 300,
): boolean {
  const ts = Number(headers.timestamp);
  if (!Number.isInteger(ts) || Math.abs(nowSeconds - ts) > toleranceSeconds || !headers.signature) return false;
  const expected = Buffer.from(signWebhook(secret, ts, body));
  const given = Buffer.from(headers.signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
