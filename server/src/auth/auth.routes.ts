// The API's plain HTTP routes of sign-in, beside /graphql:
//
//   POST /auth/refresh                   rotate the refresh token: from the cookie (browser, with
//                                        X-CSRF-Token) or from a JSON body `{ "refreshToken" }`
//   GET  /auth/oidc/:provider/start      redirect to the provider (PKCE, state, nonce)
//   GET  /auth/oidc/:provider/callback   finish, link or create the account, set the session cookies
//                                        (or, for an account with TOTP, hand over to completeSignIn)
//
// The web app proxies /auth/* like /graphql, so these run on the origin the browser sees (PUBLIC_URL).
import type { MikroORM } from '@mikro-orm/postgresql';
import cookieParser from 'cookie-parser';
import express, { type Request, type Response, type Router } from 'express';
import { DomainError } from '../errors/domain-error.js';
import type { Logger } from '../logger.js';
import { appendAudit, type AuditResult } from '../modules/audit/audit.service.js';
import type { Services } from '../services.js';
import { csrfSatisfied } from './csrf.js';
import { resolveOidcAccount } from './oidc/oidc-accounts.js';
import { OIDC_STATE_COOKIE, OIDC_STATE_TTL_SECONDS, OidcError } from './oidc/oidc.service.js';
import { clearSessionCookies, REFRESH_COOKIE, requestCookies, setSessionCookies } from './session-cookies.js';
import { refreshSession, type RequestMeta } from './session-refresh.js';
import { SessionErrors } from './session-tokens.js';

const meta = (req: Request): RequestMeta => ({
  ip: req.ip ?? req.socket.remoteAddress ?? null,
  userAgent: req.get('user-agent') ?? null,
});

export function authRoutes(deps: { orm: MikroORM; services: Services; log: Logger }): Router {
  const { orm, services, log } = deps;
  const router = express.Router();
  router.use(cookieParser());

  router.post('/refresh', express.json({ limit: '8kb' }), async (req: Request, res: Response) => {
    res.set('cache-control', 'no-store');
    const body = req.body as { refreshToken?: unknown } | undefined;
    const fromBody = typeof body?.refreshToken === 'string' ? body.refreshToken : null;
    const token = fromBody ?? requestCookies(req)[REFRESH_COOKIE];
    if (!token) {
      const e = SessionErrors.refreshInvalid();
      res.status(401).json({ code: e.code, reason: e.details.reason, message: e.message });
      return;
    }
    if (!fromBody && !(await csrfSatisfied(req, services.sessionKeys, services.sessions))) {
      const e = SessionErrors.csrf();
      res.status(403).json({ code: e.code, reason: e.details.reason, message: e.message });
      return;
    }
    try {
      const { tokens } = await refreshSession(orm.em.fork(), services.sessions, log, token, meta(req));
      if (!fromBody) setSessionCookies(req, res, tokens);
      res.json({
        accessToken: tokens.accessToken,
        accessTokenExpiresAt: tokens.accessTokenExpiresAt.toISOString(),
        // A browser's refresh token stays in its httpOnly cookie.
        refreshToken: fromBody ? tokens.refreshToken : null,
        sessionExpiresAt: tokens.sessionExpiresAt.toISOString(),
      });
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      if (!fromBody) clearSessionCookies(req, res);
      res.status(401).json({ code: err.code, reason: err.details.reason, message: err.message });
    }
  });

  const stateCookie = (req: Request) => ({
    httpOnly: true,
    sameSite: 'lax' as const,
    secure: req.secure,
    path: '/auth/oidc/',
  });

  const audit = async (req: Request, result: AuditResult, details: Record<string, unknown>, userId?: string) => {
    try {
      await appendAudit(orm.em.fork(), [
        {
          action: 'auth.oidc.signIn',
          result,
          actorId: userId ?? null,
          targetType: 'user',
          targetId: userId ?? null,
          ...meta(req),
          details,
        },
      ]);
    } catch (err) {
      log.error({ err }, 'could not record an OIDC sign-in in the audit log');
    }
  };

  const failed = (res: Response, reason: string) => {
    const to = new URL('/sign-in', services.config.PUBLIC_URL);
    to.searchParams.set('error', reason);
    res.redirect(303, to.href);
  };

  router.get('/oidc/:provider/start', async (req: Request<{ provider: string }>, res: Response) => {
    try {
      const { url, cookie } = await services.oidc.start(req.params.provider, String(req.query.returnTo ?? '/'));
      res.cookie(OIDC_STATE_COOKIE, cookie, { ...stateCookie(req), maxAge: OIDC_STATE_TTL_SECONDS * 1000 });
      res.set('cache-control', 'no-store');
      res.redirect(303, url.href);
    } catch (err) {
      if (!(err instanceof OidcError)) throw err;
      await audit(req, 'failure', { provider: req.params.provider, reason: err.reason, step: 'start' });
      failed(res, err.reason);
    }
  });

  router.get('/oidc/:provider/callback', async (req: Request<{ provider: string }>, res: Response) => {
    const provider = req.params.provider;
    const search = new URL(req.originalUrl, 'http://callback').search;
    const cookie = requestCookies(req)[OIDC_STATE_COOKIE];
    // One use: whatever happens next, this attempt's state is spent.
    res.clearCookie(OIDC_STATE_COOKIE, stateCookie(req));
    res.set('cache-control', 'no-store');
    try {
      const { claims, returnTo } = await services.oidc.finish(provider, search, cookie);
      const em = orm.em.fork();
      const { user, via } = await resolveOidcAccount(em, services.oidc.provider(provider), claims);
      if (user.totpEnabledAt) {
        // The account's own second factor still applies: no session yet, the challenge completeSignIn
        // redeems with a code. In the fragment, which browsers never send to a server or a Referer.
        const { token } = await services.mfaChallenges.issue(user.id);
        await audit(req, 'success', { provider, via, subject: claims.subject, mfa: 'required' }, user.id);
        const to = new URL('/sign-in', services.config.PUBLIC_URL);
        to.hash = new URLSearchParams({ mfa: token, returnTo }).toString();
        res.redirect(303, to.href);
        return;
      }
      const tokens = await services.sessions.start(user.id);
      setSessionCookies(req, res, tokens);
      await audit(req, 'success', { provider, via, subject: claims.subject }, user.id);
      res.redirect(303, new URL(returnTo, services.config.PUBLIC_URL).href);
    } catch (err) {
      if (!(err instanceof OidcError)) throw err;
      await audit(req, 'failure', { provider, reason: err.reason, message: err.message });
      failed(res, err.reason);
    }
  });

  return router;
}
