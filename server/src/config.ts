// The environment, parsed once at start. Every variable is documented in the README's
// "Configuration" table; a malformed one stops the process with a message naming it.
import path from 'node:path';
import { z } from 'zod';
import { parseOidcProviders } from './auth/oidc/oidc-config.js';

const port = z.coerce.number().int().min(0).max(65535);
const optionalUrl = z.string().url().optional();

export const configSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().default('127.0.0.1'),
  PORT: port.default(4000),
  /** Where the embedded parts keep their state (PGlite files, generated keys). */
  DATA_DIR: z.string().default(path.resolve('.data')),
  /** Real PostgreSQL. Without it, the embedded PGlite database is used. */
  DATABASE_URL: optionalUrl,
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10),
  REDIS_URL: optionalUrl,
  /** Signing key for session tokens (base64 of 32 bytes). Generated into DATA_DIR/session.key when absent. */
  SESSION_SECRET: z.string().min(43).optional(),
  SESSION_TTL_SECONDS: z.coerce
    .number()
    .int()
    .min(60)
    .default(8 * 3600),
  /** Lifetime of an access token (JWT); the refresh token renews it until SESSION_TTL_SECONDS. */
  ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(30).max(3600).default(600),
  /** A rotated refresh token used again within this window (concurrent requests) is not treated as theft. */
  REFRESH_REUSE_GRACE_SECONDS: z.coerce.number().min(0).max(60).default(10),
  /**
   * HTTPS served directly (PEM files; both or neither), with HSTS for HSTS_MAX_AGE_SECONDS and Secure
   * cookies. Without them the API speaks plain HTTP, for a TLS-terminating proxy or loopback.
   */
  TLS_CERT_FILE: z.string().optional(),
  TLS_KEY_FILE: z.string().optional(),
  HSTS_MAX_AGE_SECONDS: z.coerce.number().int().min(0).default(31_536_000),
  /** The web app's address as browsers reach it: OIDC redirect URIs and where sign-in lands. */
  PUBLIC_URL: z.string().url().default('http://localhost:3000'),
  /** OpenID Connect providers: a JSON array, or a file holding one (auth/oidc/oidc-config.ts). */
  OIDC_PROVIDERS: z.string().optional().superRefine(oidcCheck(false)),
  OIDC_PROVIDERS_FILE: z.string().optional().superRefine(oidcCheck(true)),
  /** The first platform administrator, created at start when no user exists yet. */
  ADMIN_EMAIL: z.string().email().default('admin@example.com'),
  ADMIN_PASSWORD: z.string().min(12).optional(),
  /** Embedded mode's built-in Proxmox VE simulator (cluster "demo"); on unless `false`. */
  PVE_SIMULATOR: z
    .enum(['true', 'false'])
    .optional()
    .transform((v) => (v === undefined ? undefined : v === 'true')),
  /**
   * Terraform driver (clusters with provisioningDriver TERRAFORM): the binary (`terraform`, `tofu` or
   * an absolute path; default: terraform, else tofu, on PATH), the PostgreSQL schema of the pg
   * backend's states (in the platform's database), and where per-machine workspaces are written.
   */
  TERRAFORM_BINARY: z
    .string()
    .regex(/^(terraform|tofu|\/[\w./+-]+)$/, 'must be terraform, tofu or an absolute path')
    .optional(),
  TERRAFORM_STATE_SCHEMA: z
    .string()
    .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'must be a lowercase PostgreSQL identifier')
    .default('terraform_state'),
  TERRAFORM_WORK_DIR: z.string().optional(),
  /**
   * Run the template's Ansible playbook on new guests (when ansible-playbook is on PATH and the guest
   * answers on port 22). Off by default in embedded mode: the simulator's guests have made-up
   * addresses that must not be probed from this machine.
   */
  CONFIGURE_GUESTS: z
    .enum(['true', 'false'])
    .optional()
    .transform((v) => (v === undefined ? undefined : v === 'true')),
  /** Run a job worker inside the API process (always in embedded mode). */
  WORKER_IN_PROCESS: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
  /** Jobs one worker process runs at once (they mostly wait on Proxmox tasks). */
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(500).default(16),
  /** Seconds between reconciliations of each cluster with the database (0: off). */
  RECONCILE_INTERVAL_SECONDS: z.coerce.number().int().min(0).default(60),
  /** Seconds between metric collections of every cluster by a worker (0: no collector). */
  METRICS_INTERVAL_SECONDS: z.coerce.number().int().min(0).default(10),
  /** Days kept of raw samples, 1-minute and 1-hour rollups (whole daily partitions are dropped). */
  METRICS_RETENTION_RAW_DAYS: z.coerce.number().int().min(1).default(2),
  METRICS_RETENTION_1M_DAYS: z.coerce.number().int().min(1).default(14),
  METRICS_RETENTION_1H_DAYS: z.coerce.number().int().min(1).default(400),
  /** SMTP server for alert e-mail (`smtp://user:pass@host:587`, `smtps://host:465`); unset: e-mail channels fail. */
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL')
    .optional(),
  SMTP_FROM: z.string().min(3).default('pvepaas alerts <alerts@localhost>'),
  /** Attempts per alert notification (webhook or e-mail), and the delay before the second (doubled after). */
  NOTIFY_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(5),
  NOTIFY_RETRY_BASE_SECONDS: z.coerce.number().min(0.01).max(3600).default(2),
  /** Organisations' webhooks may target loopback and private addresses (platform channels always may). */
  NOTIFY_WEBHOOK_ALLOW_PRIVATE: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
  /** Bearer token for GET /metrics; unset: /metrics answers loopback callers only. */
  METRICS_TOKEN: z.string().min(16).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Introspection on in development, off in production unless asked for. */
  GRAPHQL_INTROSPECTION: z
    .enum(['true', 'false'])
    .optional()
    .transform((v) => (v === undefined ? undefined : v === 'true')),
  /** GraphQL operations per minute per API token, user or anonymous address (security/rate-limit.ts). */
  RATE_LIMIT_API_PER_MINUTE: z.coerce.number().int().min(1).default(1200),
  /** Sign-in attempts per account, and per client address, in 15 minutes; a success clears the account's. */
  RATE_LIMIT_SIGNIN_PER_ACCOUNT: z.coerce.number().int().min(1).default(10),
  RATE_LIMIT_SIGNIN_PER_IP: z.coerce.number().int().min(1).default(100),
  /**
   * Comma-separated origins of the web app (`https://paas.example`) whose pages may open console
   * sockets besides the API's own; unset: pages on the API's host name, any port.
   */
  WEB_ORIGINS: z
    .string()
    .optional()
    .transform((v) =>
      v === undefined
        ? undefined
        : v
            .split(',')
            .map((o) => o.trim())
            .filter(Boolean),
    )
    .refine((list) => list?.every((o) => URL.canParse(o) && new URL(o).origin === o) ?? true, {
      message: 'a comma-separated list of origins such as https://paas.example (scheme, host, port; no path)',
    }),
});

export type Config = z.infer<typeof configSchema>;

function oidcCheck(file: boolean) {
  return (value: string | undefined, ctx: z.RefinementCtx) => {
    try {
      if (value) parseOidcProviders(file ? undefined : value, file ? value : undefined);
    } catch (err) {
      ctx.addIssue({ code: 'custom', message: (err as Error).message });
    }
  };
}

export class ConfigError extends Error {}

/** Parses the environment; throws one error listing every bad variable by name. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  if (Boolean(parsed.data.TLS_CERT_FILE) !== Boolean(parsed.data.TLS_KEY_FILE)) {
    const missing = parsed.data.TLS_CERT_FILE ? 'TLS_KEY_FILE' : 'TLS_CERT_FILE';
    throw new ConfigError(
      `Invalid configuration:\n  ${missing}: required with the other TLS_*_FILE (HTTPS needs both)`,
    );
  }
  return parsed.data;
}
