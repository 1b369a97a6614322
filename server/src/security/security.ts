// Everything the API edge needs for hardening, built once by createApp: the operation limits (HTTP
// and graphql-ws), the rate limiter and its store, and the Apollo plugins (rate limits, then the
// audit log). app.ts wires these in place; this file decides what they are.
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
import { rateLimitPlugin } from './rate-limit.plugin.js';

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
  ) => ExecutionArgs | readonly GraphQLError[];
  close(): Promise<void>;
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
    onSubscribe: (schema) => (_ctx, _id, payload) => {
      const prepared = guard.prepare(schema, payload.query, payload.operationName, payload.variables);
      if ('errors' in prepared) return prepared.errors;
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
