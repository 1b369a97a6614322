// CSRF protection for requests that a browser's cookies authenticate: a signed double-submit token.
// At sign-in the API sets `pvepaas_csrf`, an HMAC of the session family under a key derived from
// SESSION_SECRET. The web app reads that cookie and sends it back in `X-CSRF-Token`. Another site
// can make the browser send our cookies, but it cannot read them, so it cannot set the header; and
// because the token is bound to the session family, a cookie planted from a sibling subdomain
// (which can write cookies but not sign) does not match the victim's session either.
//
// Why not Apollo's csrfPrevention alone: it only guards /graphql as Apollo executes it, and only by
// forcing a CORS preflight, so it holds as long as no CORS policy is ever opened for credentials.
// The cookie-authenticated HTTP routes (/auth/refresh, /auth/sign-out) are plain Express routes that a
// cross-site `<form method=post>` reaches as a simple request. Why not a strict Origin check: the
// browser talks to the web app, which proxies to the API, so the API would have to be told every
// public origin, and a missing Origin (some privacy tools strip it) would have to be refused or let
// through. The token needs neither.
//
// What is checked: every mutation sent with a session cookie and without `Authorization`, except
// `signIn` (it proves itself with the password and uses no cookie), and every cookie-authenticated
// POST to /auth/*. Queries change nothing and a cross-site page cannot read their answers (no CORS).
// WebSockets have no CORS: graphql-ws refuses mutations, and ignores the cookie of an upgrade from a
// page of another origin (app.ts, the console's origin rule), so such a page cannot read as the user
// either. Bearer requests need no token: nothing sends them ambiently.
import type { ApolloServerPlugin } from '@apollo/server';
import type { Request } from 'express';
import { GraphQLError, Kind } from 'graphql';
import type { Context } from '../graphql/context.js';
import { bearerOf, CSRF_HEADER, cookieFamily } from './session-cookies.js';
import { SessionErrors } from './session-tokens.js';
import type { SessionKeys } from './session.js';
import type { SessionIssuer } from './session-tokens.js';

/** Mutations that use no cookie authority and so need no token. */
const EXEMPT = new Set(['signIn', '__typename']);

/** True when the request either carries no session cookie, or carries the session's CSRF token. */
export async function csrfSatisfied(req: Request, keys: SessionKeys, sessions: SessionIssuer): Promise<boolean> {
  if (bearerOf(req)) return true;
  const family = await cookieFamily(req, keys);
  if (!family) return true;
  return sessions.csrfValid(family, req.get(CSRF_HEADER));
}

export function csrfPlugin(): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation(rc) {
          const op = rc.operation;
          const req = rc.contextValue.req;
          if (!req || op?.operation !== 'mutation') return;
          const fields = op.selectionSet.selections.map((s) => (s.kind === Kind.FIELD ? s.name.value : '...'));
          if (fields.every((f) => EXEMPT.has(f))) return;
          const { sessionKeys, sessions } = rc.contextValue.services;
          if (await csrfSatisfied(req, sessionKeys, sessions)) return;
          const domain = SessionErrors.csrf();
          throw new GraphQLError(domain.message, { originalError: domain, extensions: { http: { status: 403 } } });
        },
      };
    },
  };
}
