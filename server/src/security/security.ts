// Everything the API edge needs for hardening, built once by createApp: the operation limits (HTTP
// and graphql-ws), the rate limiter and its store, and the Apollo plugins (rate limits, then the
// audit log). app.ts wires these in place; this file decides what they are.
import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { ApolloServerPlugin } from '@apollo/server';
import type { GraphQLError, GraphQLFormattedError, GraphQLSchema } from 'graphql';
import type { ExecutionArgs } from 'graphql';
import type { Config } from '../config.js';
import type { Context } from '../graphql/context.js';
import type { Logger } from '../logger.js';
import { auditPlugin } from '../modules/audit/audit.plugin.js';
import { graphqlBodyErrors, queryLimitsMiddleware } from './http-guard.js';
import { createOperationGuard, type OperationGuard } from './query-limits.js';
import { createRateLimitStore, RateLimiter, type RateLimitSettings, type RateLimitStore } from './rate-limit.js';
import { rateLimitError, rateLimitPlugin } from './rate-limit.plugin.js';
import { SESSION_COOKIE } from '../auth/session.js';

export interface Security {
  guard: OperationGuard;
  limiter: RateLimiter;
  plugins: ApolloServerPlugin<Context>[];
  httpGuard: ReturnType<typeof queryLimitsMiddleware>;
  httpErrors: typeof graphqlBodyErrors;
  /** graphql-ws `onSubscribe`: the same limits and rules as HTTP, then execution args. */
  onSubscribe(
    schema: GraphQLSchema,
  ): (
    ctx: unknown,
    id: string,
    payload: { query: unknown; operationName?: string | null; variables?: Record<string, unknown> | null },
  ) => Promise<ExecutionArgs | readonly GraphQLError[]>;
  close(): Promise<void>;
}

interface SocketContext {
  connectionParams?: Readonly<Record<string, unknown>>;
  extra: { request: IncomingMessage };
}

/**
 * Who a WebSocket operation counts against: its credential (hashed; the socket authenticates per
 * operation, after this) or, anonymous, the address the first proxy hop reports, as `trust proxy`
 * reads it for HTTP.
 */
function socketKey(ctx: SocketContext): string {
  const auth = ctx.connectionParams?.authorization;
  const cookie = ctx.extra.request.headers.cookie;
  const credential = typeof auth === 'string' && auth ? auth : cookie?.includes(SESSION_COOKIE) ? cookie : null;
  if (credential) return `api:socket:${createHash('sha256').update(credential).digest('hex').slice(0, 32)}`;
  const forwarded = ctx.extra.request.headers['x-forwarded-for'];
  const last = (Array.isArray(forwarded) ? forwarded.join(',') : (forwarded ?? '')).split(',').at(-1)?.trim();
  return `api:ip:${last || ctx.extra.request.socket.remoteAddress || 'unknown'}`;
}

export function rateLimitSettings(config: Config): RateLimitSettings {
  return {
    api: { max: config.RATE_LIMIT_API_PER_MINUTE, windowSeconds: 60 },
    signInPerAccount: { max: config.RATE_LIMIT_SIGNIN_PER_ACCOUNT, windowSeconds: 15 * 60 },
    signInPerIp: { max: config.RATE_LIMIT_SIGNIN_PER_IP, windowSeconds: 15 * 60 },
  };
}

export function createSecurity(
  config: Config,
  log: Logger,
  formatError: (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError,
  store: RateLimitStore = createRateLimitStore(config.REDIS_URL),
): Security {
  const production = config.NODE_ENV === 'production';
  const introspection = config.GRAPHQL_INTROSPECTION ?? !production;
  const guard = createOperationGuard({ production, introspection });
  const limiter = new RateLimiter(store, rateLimitSettings(config));
  return {
    guard,
    limiter,
    plugins: [rateLimitPlugin(limiter), auditPlugin(log)],
    httpGuard: queryLimitsMiddleware(guard.limits, formatError),
    httpErrors: graphqlBodyErrors,
    onSubscribe: (schema) => async (ctx, _id, payload) => {
      const prepared = guard.prepare(schema, payload.query, payload.operationName, payload.variables);
      if ('errors' in prepared) return prepared.errors;
      const limited = await limiter.consume(socketKey(ctx as SocketContext), limiter.settings.api, 'requests');
      if (limited) return [rateLimitError(limited)];
      return {
        schema,
        document: prepared.document,
        operationName: payload.operationName,
        variableValues: payload.variables,
      };
    },
    close: () => store.close(),
  };
}
