// Sends alert changes to the channels of the alert's owner (its organisation, or the platform for
// platform rules): webhooks signed with HMAC-SHA256, e-mail over SMTP. Every attempt is a
// notification_delivery row; a failed attempt is retried after an exponential backoff (in this
// process: a worker that stops loses the retries still waiting, and says so in the log).
import { randomUUID } from 'node:crypto';
import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import type { MikroORM } from '@mikro-orm/postgresql';
import nodemailer, { type Transporter } from 'nodemailer';
import type { Logger } from '../../logger.js';
import type { Topics } from '../../realtime/pubsub.js';
import type { SecretStore } from '../../secrets/secret-store.js';
import { SEVERITY_RANK, type AlertSeverity } from '../alert/alert.entity.js';
import { ChannelKind, DeliveryStatus, NotificationChannel, NotificationDelivery } from './notification.entity.js';
import { DELIVERY_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, signWebhook } from './notification.webhook.js';

export interface NotifierOptions {
  /** SMTP server URL (`smtp://user:pass@host:587`, `smtps://...`); absent: e-mail channels fail. */
  smtpUrl?: string;
  smtpFrom?: string;
  /** Attempts per notification, the first included. Default 5. */
  maxAttempts?: number;
  /** Delay before the second attempt; doubled for each further one. Default 2 s. */
  retryBaseMs?: number;
  /** Per webhook request. Default 10 s. */
  timeoutMs?: number;
  /**
   * Lets organisations' webhooks reach loopback, private and link-local addresses. Off by default:
   * a tenant must not make the worker probe the platform's own network. Platform channels always may.
   */
  allowPrivateWebhooks?: boolean;
}

/** Addresses an organisation's webhook may not target (loopback, private, link-local, CGNAT...). */
const PRIVATE = new BlockList();
for (const [net, bits] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
] as const)
  PRIVATE.addSubnet(net, bits, 'ipv4');
for (const [net, bits] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
] as const)
  PRIVATE.addSubnet(net, bits, 'ipv6');

/** The first private address `url`'s host resolves to, or null. (A host re-resolved later may differ.) */
export async function privateAddress(url: string): Promise<string | null> {
  const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
  const found = isIP(host) ? [{ address: host, family: isIP(host) }] : await lookup(host, { all: true });
  for (const { address, family } of found) {
    const v4 = family === 6 && /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
    if (v4 ? PRIVATE.check(v4, 'ipv4') : PRIVATE.check(address, family === 6 ? 'ipv6' : 'ipv4')) return address;
  }
  return null;
}

export type AlertPayload = Topics['alertEvents'];

/** Statuses worth another try: the receiver may be back later. */
const retryable = (status: number) => status >= 500 || status === 408 || status === 429;

export class Notifier {
  private readonly pending = new Set<Promise<void>>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private mailer: Transporter | null = null;
  private closed = false;

  constructor(
    private readonly orm: MikroORM,
    private readonly secrets: SecretStore,
    private readonly log: Logger,
    private readonly options: NotifierOptions = {},
  ) {}

  /** Sends `payload` to every enabled channel of its owner that takes its severity. Does not wait. */
  notify(payload: AlertPayload): void {
    const run = this.fanOut(payload).catch((err: unknown) => this.log.error({ err }, 'alert notification failed'));
    this.track(run);
  }

  /** Resolves when every send started so far (retries included) has ended. Tests use it. */
  async idle(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }

  close(): void {
    this.closed = true;
    if (this.timers.size > 0) this.log.warn({ retries: this.timers.size }, 'notification retries dropped at shutdown');
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.mailer?.close();
  }

  private track(p: Promise<void>) {
    this.pending.add(p);
    void p.finally(() => this.pending.delete(p));
  }

  private async fanOut(payload: AlertPayload): Promise<void> {
    const em = this.orm.em.fork();
    const channels = await em.find(NotificationChannel, {
      organization: payload.organizationId ?? null,
      enabled: true,
    });
    const rank = SEVERITY_RANK[payload.severity as AlertSeverity] ?? 0;
    for (const channel of channels) {
      if (SEVERITY_RANK[channel.minSeverity] > rank) continue;
      const notificationId = randomUUID();
      this.track(this.attempt(channel, payload, notificationId, 1));
    }
  }

  private async attempt(
    channel: NotificationChannel,
    payload: AlertPayload,
    notificationId: string,
    attempt: number,
  ): Promise<void> {
    const max = this.options.maxAttempts ?? 5;
    let outcome: { ok: boolean; retry: boolean; statusCode?: number; error?: string };
    try {
      outcome =
        channel.kind === ChannelKind.WEBHOOK
          ? await this.sendWebhook(channel, payload, notificationId)
          : await this.sendEmail(channel, payload);
    } catch (err) {
      outcome = { ok: false, retry: true, error: (err as Error).message };
    }
    const again = !outcome.ok && outcome.retry && attempt < max && !this.closed;
    const delay = (this.options.retryBaseMs ?? 2000) * 2 ** (attempt - 1);
    const em = this.orm.em.fork();
    em.create(NotificationDelivery, {
      channel: channel.id,
      alert: payload.alertId,
      notificationId,
      event: payload.kind,
      attempt,
      status: outcome.ok ? DeliveryStatus.SUCCEEDED : again ? DeliveryStatus.RETRYING : DeliveryStatus.FAILED,
      statusCode: outcome.statusCode ?? null,
      error: outcome.error?.slice(0, 1000) ?? null,
      nextAttemptAt: again ? new Date(Date.now() + delay) : null,
    });
    await em.flush();
    if (!outcome.ok)
      this.log.warn(
        { channelId: channel.id, attempt, statusCode: outcome.statusCode, error: outcome.error, retry: again },
        'alert notification attempt failed',
      );
    if (!again) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        resolve();
      }, delay);
      this.timers.add(timer);
    });
    if (this.closed) return;
    await this.attempt(channel, payload, notificationId, attempt + 1);
  }

  private async sendWebhook(channel: NotificationChannel, payload: AlertPayload, notificationId: string) {
    const secret = channel.secretRef ? (await this.secrets.read(channel.secretRef))?.data.secret : undefined;
    if (!channel.url || !secret)
      return { ok: false, retry: false, error: 'the channel has no URL or its signing secret is gone' };
    if (channel.organization && !this.options.allowPrivateWebhooks) {
      const address = await privateAddress(channel.url);
      if (address)
        return {
          ok: false,
          retry: false,
          error: `refused: ${new URL(channel.url).hostname} is a private address (${address}); organisations' webhooks must be public (NOTIFY_WEBHOOK_ALLOW_PRIVATE)`,
        };
    }
    const body = JSON.stringify({ id: notificationId, event: payload.kind, at: payload.at, alert: payload });
    const timestamp = Math.floor(Date.now() / 1000);
    const res = await fetch(channel.url, {
      method: 'POST',
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
      headers: {
        'content-type': 'application/json',
        'user-agent': 'pvepaas-alerts',
        [TIMESTAMP_HEADER]: String(timestamp),
        [SIGNATURE_HEADER]: signWebhook(secret, timestamp, body),
        [DELIVERY_HEADER]: notificationId,
      },
    });
    await res.body?.cancel();
    const ok = res.status >= 200 && res.status < 300;
    return {
      ok,
      retry: !ok && retryable(res.status),
      statusCode: res.status,
      error: ok ? undefined : `HTTP ${res.status}`,
    };
  }

  private async sendEmail(channel: NotificationChannel, payload: AlertPayload) {
    if (!this.options.smtpUrl) return { ok: false, retry: false, error: 'no SMTP server is configured (SMTP_URL)' };
    if (channel.recipients.length === 0) return { ok: false, retry: false, error: 'the channel has no recipients' };
    this.mailer ??= nodemailer.createTransport(this.options.smtpUrl);
    const state = payload.kind === 'RESOLVED' ? 'resolved' : 'firing';
    await this.mailer.sendMail({
      from: this.options.smtpFrom ?? 'pvepaas alerts <alerts@localhost>',
      to: channel.recipients,
      subject: `[${payload.severity}] ${payload.ruleName} ${state}: ${payload.subjectLabel}`,
      text: [
        `${payload.ruleName} is ${state} for ${payload.subjectLabel}.`,
        '',
        `Value: ${payload.value}`,
        `Severity: ${payload.severity}`,
        `At: ${payload.at}`,
        `Alert: ${payload.alertId}`,
      ].join('\n'),
    });
    return { ok: true, retry: false };
  }
}

/** The notifier's settings from the environment (README, "Configuration"). */
export function notifierOptionsFromConfig(config: {
  SMTP_URL?: string;
  SMTP_FROM: string;
  NOTIFY_MAX_ATTEMPTS: number;
  NOTIFY_RETRY_BASE_SECONDS: number;
  NOTIFY_WEBHOOK_ALLOW_PRIVATE: boolean;
}): NotifierOptions {
  return {
    smtpUrl: config.SMTP_URL,
    smtpFrom: config.SMTP_FROM,
    maxAttempts: config.NOTIFY_MAX_ATTEMPTS,
    retryBaseMs: config.NOTIFY_RETRY_BASE_SECONDS * 1000,
    allowPrivateWebhooks: config.NOTIFY_WEBHOOK_ALLOW_PRIVATE,
  };
}
