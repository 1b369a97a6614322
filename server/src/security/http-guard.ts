// The HTTP edge before Apollo: refuse oversized operations before they are parsed, and answer
// body-parser failures (body over the size limit, malformed JSON) as GraphQL errors, not HTML.
import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { GraphQLError, GraphQLFormattedError } from 'graphql';
import { carriesNul, checkQuerySource, nulError, type QueryLimits } from './query-limits.js';

type FormatError = (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;

/** Counts characters and tokens of `query` (a POST body or a GET parameter) before Apollo parses it. */
export function queryLimitsMiddleware(limits: QueryLimits, formatError: FormatError): RequestHandler {
  return (req, res, next) => {
    const body = req.body as unknown;
    const query =
      body && typeof body === 'object' && !Array.isArray(body) && 'query' in body
        ? (body as { query: unknown }).query
        : req.query.query;
    if (typeof query === 'string') {
      const variables =
        body && typeof body === 'object' ? (body as { variables?: unknown }).variables : req.query.variables;
      const error: GraphQLError | null =
        checkQuerySource(query, limits) ?? (carriesNul(query, variables) ? nulError() : null);
      if (error) {
        res.status(400).json({ errors: [formatError(error.toJSON(), error)] });
        return;
      }
    }
    next();
  };
}

/** body-parser errors on /graphql, as `{ errors: [...] }` with a code, like every other refusal. */
export const graphqlBodyErrors: ErrorRequestHandler = (err: unknown, _req, res, next) => {
  const e = err as { type?: unknown; status?: unknown; limit?: unknown } | null;
  if (res.headersSent || !e || typeof e.type !== 'string') {
    next(err);
    return;
  }
  if (e.type === 'entity.too.large') {
    res.status(413).json({
      errors: [
        {
          message: `The request body is over the limit of ${String(e.limit)} bytes; send a smaller operation.`,
          extensions: { code: 'PAYLOAD_TOO_LARGE', limit: e.limit },
        },
      ],
    });
    return;
  }
  const status = typeof e.status === 'number' && e.status >= 400 && e.status < 500 ? e.status : 400;
  res.status(status).json({
    errors: [
      {
        message: 'The request body is not valid JSON; send {"query": ..., "variables": {...}}.',
        extensions: { code: 'BAD_REQUEST' },
      },
    ],
  });
};
