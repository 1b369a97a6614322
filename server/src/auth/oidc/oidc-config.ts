// OpenID Connect providers, from OIDC_PROVIDERS (a JSON array) or OIDC_PROVIDERS_FILE (a file holding
// one). Client secrets are never in this configuration: `clientSecretRef` names a secret-store path
// (and `clientSecretKey` the key inside it, `clientSecret` by default) that the operator wrote with
// the store's own tools. A provider without `clientSecretRef` is a public client (PKCE only).
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { assertSecretPath } from '../../secrets/secret-store.js';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

export const oidcProviderSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'must be 1-40 lowercase letters, digits or dashes'),
    displayName: z.string().min(1).max(80),
    issuer: z
      .string()
      .url()
      .refine((u) => {
        const url = new URL(u);
        return url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK.has(url.hostname));
      }, 'must be https (http only on a loopback address, for tests)'),
    clientId: z.string().min(1),
    clientSecretRef: z
      .string()
      .refine((p) => {
        try {
          assertSecretPath(p);
          return true;
        } catch {
          return false;
        }
      }, 'must be a secret-store path like oidc/<provider>')
      .optional(),
    clientSecretKey: z.string().min(1).default('clientSecret'),
    scopes: z.array(z.string().regex(/^[\x21\x23-\x5b\x5d-\x7e]+$/)).default(['openid', 'email', 'profile']),
    /** Create an account on first sign-in when no user has the verified email. */
    allowSignUp: z.boolean().default(false),
  })
  .strict()
  .refine((p) => p.scopes.includes('openid'), { message: 'scopes must include openid', path: ['scopes'] });

export const oidcProvidersSchema = z
  .array(oidcProviderSchema)
  .refine((list) => new Set(list.map((p) => p.id)).size === list.length, 'provider ids must be unique');

export type OidcProviderConfig = z.infer<typeof oidcProviderSchema>;

/** Reads and validates a provider list; an error names the variable and the offending field. */
export function parseOidcProviders(json: string | undefined, file: string | undefined): OidcProviderConfig[] {
  if (json && file) throw new Error('set OIDC_PROVIDERS or OIDC_PROVIDERS_FILE, not both');
  const [name, text] = file ? ['OIDC_PROVIDERS_FILE', readFileSync(file, 'utf8')] : ['OIDC_PROVIDERS', json];
  if (!text) return [];
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new Error(`${name} is not valid JSON`);
  }
  const parsed = oidcProvidersSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`${name}${issue.path.map((p) => `[${JSON.stringify(p)}]`).join('')}: ${issue.message}`);
  }
  return parsed.data;
}
