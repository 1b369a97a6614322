// A real OpenID Connect provider (oidc-provider) on a loopback port, for tests: one confidential
// client with PKCE required, accounts the test defines, and a minimal interaction endpoint. Server
// tests drive it over HTTP; with `html: true` (the web e2e suite) it serves pages a browser fills:
//
//   GET  /interaction/:uid   → { uid, prompt }                  what the provider asks for
//                              html: a login form (Email + "Continue"); consent is granted at once
//   POST /interaction/:uid   account=<id> or email=<address> (login) or nothing (consent)
//                              answers it, then redirects
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider, { type Configuration } from 'oidc-provider';

export interface TestAccount {
  email?: string;
  email_verified?: boolean;
  name?: string;
}

export interface OidcTestProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  accounts: Map<string, TestAccount>;
  close(): Promise<void>;
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

export interface OidcTestProviderOptions {
  /** Serve an HTML login page for browsers and grant consent without asking. */
  html?: boolean;
}

function loginPage(uid: string, error?: string): string {
  const message = error ? `<p role="alert">${error}</p>` : '';
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Test identity provider</title></head>
<body><main><h1>Test identity provider</h1>${message}
<form method="post" action="/interaction/${uid}">
<label>Email <input type="email" name="email" autocomplete="username" required></label>
<button type="submit">Continue</button>
</form></main></body></html>`;
}

export async function startOidcTestProvider(
  redirectUris: string[],
  options: OidcTestProviderOptions = {},
): Promise<OidcTestProvider> {
  const accounts = new Map<string, TestAccount>();
  const clientId = 'pvepaas';
  const clientSecret = `secret-${Math.random().toString(36).slice(2)}`;
  /** The account a login form names: by id, or (the browser page) by email. */
  const accountFor = (form: URLSearchParams): string | undefined => {
    const id = form.get('account');
    if (id !== null) return accounts.has(id) ? id : undefined;
    const email = form.get('email')?.trim().toLowerCase();
    return [...accounts].find(([, a]) => email && a.email?.toLowerCase() === email)?.[0];
  };
  // The issuer needs the port, so the provider is made once the server listens.
  const ref: { provider?: Provider } = {};

  const server: Server = createServer((req, res) => {
    const provider = ref.provider;
    const match = /^\/interaction\/([\w-]+)$/.exec(req.url ?? '');
    if (!provider) {
      res.statusCode = 503;
      res.end();
      return;
    }
    if (!match) {
      provider.callback()(req, res);
      return;
    }
    void (async () => {
      try {
        const details = await provider.interactionDetails(req, res);
        const consentAtOnce = options.html && details.prompt.name !== 'login';
        if (req.method === 'GET' && !consentAtOnce) {
          if (options.html) {
            res.setHeader('content-type', 'text/html; charset=utf-8');
            res.end(loginPage(details.uid));
            return;
          }
          res.setHeader('content-type', 'application/json');
          res.end(JSON.stringify({ uid: details.uid, prompt: details.prompt.name }));
          return;
        }
        const form = req.method === 'POST' ? await readForm(req) : new URLSearchParams();
        if (details.prompt.name === 'login') {
          const account = accountFor(form);
          if (!account) {
            res.statusCode = options.html ? 200 : 400;
            if (options.html) res.setHeader('content-type', 'text/html; charset=utf-8');
            res.end(options.html ? loginPage(details.uid, 'No account uses that email address.') : 'unknown account');
            return;
          }
          await provider.interactionFinished(
            req,
            res,
            { login: { accountId: account } },
            { mergeWithLastSubmission: false },
          );
          return;
        }
        // Consent: grant what the client asked for.
        const grant = new provider.Grant({ accountId: details.session!.accountId, clientId });
        const missing = details.prompt.details as { missingOIDCScope?: string[]; missingOIDCClaims?: string[] };
        if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
        if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
        const grantId = await grant.save();
        await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
      } catch (err) {
        res.statusCode = 500;
        res.end(String(err));
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const configuration: Configuration = {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: redirectUris,
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    // PKCE even for this confidential client: a request without code_challenge is refused.
    pkce: { required: () => true },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    scopes: ['openid', 'email', 'profile'],
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    cookies: { keys: ['oidc-test-cookie-key'] },
    ttl: { Interaction: 600, Session: 3600, Grant: 3600, AccessToken: 600, IdToken: 600 },
    findAccount: (_ctx, id) => {
      const account = accounts.get(id);
      if (!account) return undefined;
      return { accountId: id, claims: () => ({ sub: id, ...account }) };
    },
  };
  ref.provider = new Provider(issuer, configuration);

  return {
    issuer,
    clientId,
    clientSecret,
    accounts,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
