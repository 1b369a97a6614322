// Generated from the schema: every operation, called by an anonymous caller, is refused with
// UNAUTHENTICATED unless it is one of the public ones. A new operation is covered automatically.
import { randomUUID } from 'node:crypto';
import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLObjectType,
} from 'graphql';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApiSchema } from '../graphql/schema.js';
import { createInProcessPubSub } from '../realtime/pubsub.js';
import { postgresUnavailable } from '../test/database.js';
import { startTestApi, type TestApi } from '../test/api.js';
import { PUBLIC_OPERATIONS } from './require-authentication.js';

/** A syntactically valid value of a GraphQL input type (content need not make sense). */
function sample(type: GraphQLInputType, depth = 0): unknown {
  if (isNonNullType(type)) return sample(type.ofType, depth);
  if (isListType(type)) return [sample(type.ofType, depth)];
  if (isEnumType(type)) return type.getValues()[0]!.value;
  if (isInputObjectType(type)) {
    if (depth > 4) return {};
    const out: Record<string, unknown> = {};
    for (const field of Object.values(type.getFields())) {
      if (isNonNullType(field.type) && field.defaultValue === undefined)
        out[field.name] = sample(field.type, depth + 1);
    }
    return out;
  }
  if (isScalarType(type)) {
    switch (type.name) {
      case 'ID':
        return randomUUID();
      case 'Int':
      case 'Float':
        return 1;
      case 'Boolean':
        return true;
      case 'DateTimeISO':
        return new Date().toISOString();
      case 'JSONObject':
        return {};
      default:
        return 'x';
    }
  }
  return null;
}

/** The operation text: required arguments as variables, and the cheapest selection. */
function operation(kind: 'query' | 'mutation' | 'subscription', field: GraphQLField<unknown, unknown>) {
  const args = field.args.filter((a) => isNonNullType(a.type) && a.defaultValue === undefined);
  const decl = args.map((a) => `$${a.name}: ${String(a.type)}`).join(', ');
  const call = args.map((a) => `${a.name}: $${a.name}`).join(', ');
  const named = getNamedType(field.type);
  const selection = isObjectType(named) ? ' { __typename }' : '';
  return {
    query: `${kind}${decl ? `(${decl})` : ''} { ${field.name}${call ? `(${call})` : ''}${selection} }`,
    variables: Object.fromEntries(args.map((a) => [a.name, sample(a.type)])),
  };
}

describe.skipIf(postgresUnavailable())(
  'authorisation matrix generated from the schema: anonymous callers',
  async () => {
    const schema = await buildApiSchema(createInProcessPubSub());
    const fields = (type: GraphQLObjectType | null | undefined) => Object.values(type?.getFields() ?? {});
    let api: TestApi;
    beforeAll(async () => {
      api = await startTestApi();
    });
    afterAll(() => api?.close());

    const http = [
      ...fields(schema.getQueryType()).map((f) => ['query', f] as const),
      ...fields(schema.getMutationType()).map((f) => ['mutation', f] as const),
    ].filter(([, f]) => !PUBLIC_OPERATIONS.has(f.name));

    it('covers a real set of operations', () => {
      expect(http.length).toBeGreaterThan(30);
    });

    it.each(http.map(([kind, f]) => [`${kind} ${f.name}`, kind, f] as const))(
      '%s is refused with UNAUTHENTICATED',
      async (_name, kind, field) => {
        const { query, variables } = operation(kind, field);
        const res = await api.gql(query, variables);
        expect(res.errors?.[0]?.extensions?.code, `${query}\n${JSON.stringify(res)}`).toBe('UNAUTHENTICATED');
        expect(res.data?.[field.name as never] ?? null).toBeNull();
      },
    );

    const subscriptions = fields(schema.getSubscriptionType());
    it.each(subscriptions.map((f) => [f.name, f] as const))(
      'subscription %s is refused with UNAUTHENTICATED over graphql-ws',
      async (_name, field) => {
        const { query, variables } = operation('subscription', field);
        const client = createClient({
          url: api.url.replace('http', 'ws') + '/graphql',
          webSocketImpl: WebSocket,
          retryAttempts: 0,
        });
        try {
          const errors = await new Promise<unknown>((resolve) => {
            client.subscribe(
              { query, variables },
              {
                next: (m) => resolve(m.errors),
                error: (e) => resolve(e),
                complete: () => resolve('completed without an error'),
              },
            );
          });
          expect(JSON.stringify(errors)).toContain('UNAUTHENTICATED');
        } finally {
          await client.dispose();
        }
      },
    );

    it('lets the public operations through', async () => {
      const res = await api.gql('{ viewer { id } }');
      expect(res).toEqual({ data: { viewer: null } });
    });
  },
);
