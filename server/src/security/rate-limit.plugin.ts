// Rate limits applied once Apollo knows the operation: every operation counts against its API token,
// user or (anonymous) address; every `signIn` field, aliases included, counts against the account and
// the address. A refusal is RATE_LIMITED with `retryAfterSeconds`, HTTP 429 and Retry-After.
import type { ApolloServerPlugin } from '@apollo/server';
import { HeaderMap } from '@apollo/server';
import { GraphQLError, Kind, getArgumentValues, type FieldNode } from 'graphql';
import { hashApiToken } from '../auth/session.js';
import { Errors } from '../errors/domain-error.js';
import type { Context } from '../graphql/context.js';
import type { RateLimited, RateLimiter } from './rate-limit.js';

/** A refusal as a GraphQLError for graphql-ws (no HTTP status there). */
export function rateLimitError(limited: RateLimited): GraphQLError {
  const domain = Errors.rateLimited(limited.what, limited.retryAfterSeconds);
  return new GraphQLError(domain.message, { originalError: domain });
}

function refusal(limited: RateLimited): GraphQLError {
  const domain = Errors.rateLimited(limited.what, limited.retryAfterSeconds);
  return new GraphQLError(domain.message, {
    originalError: domain,
    extensions: {
      http: { status: 429, headers: new HeaderMap([['retry-after', String(limited.retryAfterSeconds)]]) },
    },
  });
}

/** The client's address as Express sees it (`trust proxy` decides how many hops to believe). */
export function clientIp(ctx: Context): string {
  return ctx.req?.ip ?? ctx.req?.socket.remoteAddress ?? 'unknown';
}

/** Who an operation counts against: the API token, else the user, else the address. */
function apiKey(ctx: Context): string {
  const auth = ctx.req?.headers.authorization;
  if (ctx.viewer && auth?.startsWith('Bearer pvp_'))
    return `api:token:${hashApiToken(auth.slice(7).trim()).slice(0, 32)}`;
  if (ctx.viewer) return `api:user:${ctx.viewer.id}`;
  return `api:ip:${clientIp(ctx)}`;
}

/** Emails of the `signIn` fields of a mutation, one entry per field (aliases count separately). */
function signInEmails(
  fields: readonly FieldNode[],
  argDefs: Parameters<typeof getArgumentValues>[0] | undefined,
  variables: Record<string, unknown>,
): string[] {
  const emails: string[] = [];
  for (const field of fields) {
    let email = '';
    try {
      if (argDefs) {
        const input = getArgumentValues(argDefs, field, variables).input as { email?: unknown } | undefined;
        if (typeof input?.email === 'string') email = input.email.trim().toLowerCase();
      }
    } catch {
      // Invalid arguments fail validation of variables later; the address limit still counts.
    }
    emails.push(email);
  }
  return emails;
}

export const signInAccountKey = (email: string) => `signin:account:${email}`;

export function rateLimitPlugin(limiter: RateLimiter): ApolloServerPlugin<Context> {
  const { settings } = limiter;
  return {
    async requestDidStart() {
      return {
        async didResolveOperation(rc) {
          const ctx = rc.contextValue;
          const apiLimited = await limiter.consume(apiKey(ctx), settings.api, 'requests');
          if (apiLimited) throw refusal(apiLimited);
          const op = rc.operation;
          if (op?.operation !== 'mutation') return;
          const mutationType = rc.schema.getMutationType();
          const signIns = op.selectionSet.selections.filter(
            (s): s is FieldNode => s.kind === Kind.FIELD && s.name.value === 'signIn',
          );
          if (!signIns.length) return;
          const emails = signInEmails(signIns, mutationType?.getFields().signIn, rc.request.variables ?? {});
          const ip = clientIp(ctx);
          for (const email of emails) {
            const byIp = await limiter.consume(
              `signin:ip:${ip}`,
              settings.signInPerIp,
              'sign-in attempts from this address',
            );
            if (byIp) throw refusal(byIp);
            if (!email) continue;
            const byAccount = await limiter.consume(
              signInAccountKey(email),
              settings.signInPerAccount,
              'sign-in attempts for this account',
            );
            if (byAccount) throw refusal(byAccount);
          }
        },
        async willSendResponse(rc) {
          // A successful sign-in clears its account's count: the limit is on guessing, not on using.
          const op = rc.operation;
          if (op?.operation !== 'mutation' || rc.response.body.kind !== 'single') return;
          const data = rc.response.body.singleResult.data as Record<string, unknown> | null | undefined;
          if (!data) return;
          const signIns = op.selectionSet.selections.filter(
            (s): s is FieldNode => s.kind === Kind.FIELD && s.name.value === 'signIn',
          );
          const emails = signInEmails(
            signIns,
            rc.schema.getMutationType()?.getFields().signIn,
            rc.request.variables ?? {},
          );
          await Promise.all(
            signIns.map((field, i) =>
              data[field.alias?.value ?? field.name.value] && emails[i]
                ? limiter.reset(signInAccountKey(emails[i]))
                : undefined,
            ),
          );
        },
      };
    },
  };
}
