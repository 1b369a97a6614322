// Middlewares that judge operations (may this caller run `machines`?) run on the root fields only.
//
// type-graphql's `globalMiddlewares` wrap every field that has a resolver, down to `id` and
// `createdAt` of every row, each in an async chain: a page of 100 machines with project and owner
// went through ~700 such chains that could only call next(), and every row became a promise for
// graphql-js to wait on (bench/graphql-read). Wrapping the root fields' resolvers instead keeps what
// the middlewares decide and when: before type-graphql's resolver (so before argument validation),
// on every Query and Mutation field and on every event a Subscription field resolves.
import { defaultFieldResolver, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql';
import type { MiddlewareFn, ResolverData } from 'type-graphql';
import type { Context } from './context.js';

/** Wraps each Query, Mutation and Subscription field's resolver in `middlewares`, in order. */
export function applyRootMiddlewares(schema: GraphQLSchema, middlewares: MiddlewareFn<Context>[]): GraphQLSchema {
  for (const type of [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()]) {
    for (const field of Object.values(type?.getFields() ?? {})) {
      field.resolve = withMiddlewares(field.resolve ?? defaultFieldResolver, middlewares);
    }
  }
  return schema;
}

function withMiddlewares(
  resolve: GraphQLFieldResolver<unknown, Context>,
  middlewares: MiddlewareFn<Context>[],
): GraphQLFieldResolver<unknown, Context> {
  return (root, args, context, info) => {
    const data: ResolverData<Context> = { root, args, context, info };
    // As type-graphql dispatches: a middleware that returns nothing answers with what next() gave.
    const dispatch = async (index: number): Promise<unknown> => {
      const middleware = middlewares[index];
      if (!middleware) return resolve(root, args, context, info);
      let nextResult: unknown;
      const result: unknown = await middleware(data, async () => {
        nextResult = await dispatch(index + 1);
        return nextResult;
      });
      return result !== undefined ? result : nextResult;
    };
    return dispatch(0);
  };
}
