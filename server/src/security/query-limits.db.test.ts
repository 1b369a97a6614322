// Operation limits over both transports: HTTP (Apollo) and a real graphql-ws client. Each hostile
// operation is refused before it runs, with QUERY_LIMIT_EXCEEDED and the limit it broke.
import { readFileSync } from 'node:fs';
import { createClient, type Client } from 'graphql-ws';
import { parse, print, validate, buildSchema, type DocumentNode } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { postgresUnavailable } from '../test/database.js';
import { startTestApi, type GqlError, type TestApi } from '../test/api.js';
import { createOperationGuard, defaultQueryLimits, queryLimitsRule } from './query-limits.js';

const deep = (levels: number): string => {
  let inner = 'id';
  for (let i = 0; i < levels; i++) inner = `members { organization { ${inner} } }`;
  return `query Deep($id: ID!) { organization(id: $id) { ${inner} } }`;
};
const hostile: Record<string, { query: string; limit: string }> = {
  'a too-deep query': { query: deep(5), limit: 'depth' },
  'an alias bomb': {
    query: `{ ${Array.from({ length: 40 }, (_, i) => `a${i}: viewer { id }`).join(' ')} }`,
    limit: 'aliases',
  },
  'a huge query': { query: `{ ${'__typename '.repeat(2_000)} }`, limit: 'characters' },
  'a query of too many tokens': { query: `{ ${'__typename '.repeat(1_200)} }`, limit: 'tokens' },
  'a directive flood': { query: `{ ${'__typename @skip(if: false) '.repeat(60)} }`, limit: 'directives' },
  'a cost bomb': {
    query: '{ organizations(first: 100) { edges { node { projects(first: 100) { edges { node { id name } } } } } } }',
    limit: 'cost',
  },
};

function expectLimit(errors: readonly GqlError[] | undefined, limit: string): void {
  const refusal = errors?.find((e) => e.extensions?.code === 'QUERY_LIMIT_EXCEEDED');
  expect(refusal, JSON.stringify(errors)).toBeDefined();
  expect(refusal!.extensions).toMatchObject({
    code: 'QUERY_LIMIT_EXCEEDED',
    limit,
    max: expect.any(Number),
    actual: expect.any(Number),
  });
  expect(refusal!.extensions!.actual as number).toBeGreaterThan(refusal!.extensions!.max as number);
  expect(refusal!.message).toMatch(new RegExp(`${limit} is \\d+, over the limit of \\d+`));
}

/** The first error a graphql-ws subscription gets, or the data it gets first. */
function wsFirst(
  client: Client,
  query: string,
  variables?: Record<string, unknown>,
): Promise<{ errors?: GqlError[]; data?: unknown }> {
  return new Promise((resolve) => {
    const dispose = client.subscribe(
      { query, variables },
      {
        next: (value) => {
          dispose();
          resolve(value as { errors?: GqlError[]; data?: unknown });
        },
        error: (err) => resolve({ errors: Array.isArray(err) ? (err as GqlError[]) : [{ message: String(err) }] }),
        complete: () => undefined,
      },
    );
  });
}

describe.skipIf(postgresUnavailable())('operation limits', () => {
  let api: TestApi;
  let client: Client;
  let token: string;
  let orgId: string;
  beforeAll(async () => {
    api = await startTestApi();
    const u = await api.user();
    token = u.token;
    orgId = (await api.org(u.user, 'ADMIN' as never)).org.id;
    client = createClient({
      url: api.url.replace('http', 'ws') + '/graphql',
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${token}` },
      retryAttempts: 0,
    });
  });
  afterAll(async () => {
    await client?.dispose();
    await api?.close();
  });

  for (const [name, { query, limit }] of Object.entries(hostile)) {
    it(`refuses ${name} over HTTP (${limit})`, async () => {
      const res = await api.gql(query, { id: orgId }, token);
      expect(res.data ?? null).toBeNull();
      expectLimit(res.errors, limit);
    });

    it(`refuses ${name} over graphql-ws (${limit})`, async () => {
      const res = await wsFirst(client, query, { id: orgId });
      expectLimit(res.errors, limit);
    });
  }

  it('lets an ordinary operation through on both transports', async () => {
    const q = `{ viewer { id email } organization(id: "${orgId}") { members { organization { id } } } }`;
    expect((await api.gql(q, {}, token)).errors).toBeUndefined();
    const ws = await wsFirst(client, q);
    expect(ws.errors).toBeUndefined();
    expect(ws.data).toMatchObject({ viewer: { email: expect.any(String) } });
  });

  it('keeps mutations off the socket (they are rate limited and audited over HTTP)', async () => {
    const res = await wsFirst(client, 'mutation { signOut }');
    expect(res.errors?.[0]?.extensions?.code).toBe('BAD_REQUEST');
  });

  it('refuses a body over 1 MB with a GraphQL error, not an HTML page', async () => {
    const res = await fetch(`${api.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ viewer { id } }', variables: { pad: 'x'.repeat(1_100_000) } }),
    });
    expect(res.status).toBe(413);
    const body = (await res.json()) as { errors: GqlError[] };
    expect(body.errors[0]!.extensions).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
  });

  it('closes a WebSocket that sends a message over 1 MiB (1009), as HTTP refuses the body', async () => {
    const ws = new WebSocket(api.url.replace('http', 'ws') + '/graphql', 'graphql-transport-ws');
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    ws.send(JSON.stringify({ type: 'connection_init', payload: { pad: 'x'.repeat(1_100_000) } }));
    expect(await closed).toBe(1009);
  });

  it('answers malformed JSON with BAD_REQUEST', async () => {
    const res = await fetch(`${api.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"query": ',
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { errors: GqlError[] }).errors[0]!.extensions!.code).toBe('BAD_REQUEST');
  });

  it('suggests field names outside production', async () => {
    const res = await api.gql('{ viewr { id } }', {}, token);
    expect(res.errors?.[0]?.message).toMatch(/Did you mean/);
  });
});

describe.skipIf(postgresUnavailable())('in production', () => {
  let api: TestApi;
  let client: Client;
  beforeAll(async () => {
    api = await startTestApi({ env: { NODE_ENV: 'production' } });
    client = createClient({
      url: api.url.replace('http', 'ws') + '/graphql',
      webSocketImpl: WebSocket,
      retryAttempts: 0,
    });
  });
  afterAll(async () => {
    await client?.dispose();
    await api?.close();
  });

  it('hides field suggestions and refuses introspection over HTTP', async () => {
    const res = await api.gql('{ viewr { id } }');
    expect(res.errors?.[0]?.message).toMatch(/Cannot query field "viewr"/);
    expect(JSON.stringify(res.errors)).not.toMatch(/Did you mean|viewer/);
    const intro = await api.gql('{ __schema { types { name } } }');
    expect(intro.data ?? null).toBeNull();
    expect(intro.errors?.[0]?.message).toMatch(/introspection/i);
  });

  it('hides field suggestions and refuses introspection over graphql-ws', async () => {
    const res = await wsFirst(client, '{ viewr { id } }');
    expect(res.errors?.[0]?.message).toMatch(/Cannot query field "viewr"/);
    expect(JSON.stringify(res.errors)).not.toMatch(/Did you mean|viewer/);
    const intro = await wsFirst(client, '{ __schema { types { name } } }');
    expect(intro.errors?.[0]?.message).toMatch(/introspection/i);
  });
});

describe('every operation the web app sends', () => {
  // The generated documents (codegen from schema/schema.graphql) are what the browser sends.
  const generated = readFileSync(new URL('../../../web/src/gql/graphql.ts', import.meta.url), 'utf8');
  const documents: DocumentNode[] = [...generated.matchAll(/ = (\{"kind":"Document".*?\}) as unknown as DocumentNode/g)]
    .map((m) => JSON.parse(m[1]!) as DocumentNode)
    // Fragment-only documents are parts of the operations that spread them, never sent alone.
    .filter((d) => d.definitions.some((def) => def.kind === 'OperationDefinition'));
  const schema = buildSchema(readFileSync(new URL('../../../schema/schema.graphql', import.meta.url), 'utf8'));

  it('passes the limits', () => {
    expect(documents.length).toBeGreaterThan(5);
    const guard = createOperationGuard({ production: true, introspection: false });
    for (const doc of documents) {
      const source = print(doc);
      const errors = validate(schema, parse(source), [queryLimitsRule(defaultQueryLimits)]);
      expect(
        errors.map((e) => e.message),
        source,
      ).toEqual([]);
      const prepared = guard.prepare(schema, source);
      if ('errors' in prepared) {
        // Mutations are refused on the socket by design; everything else must pass.
        expect(prepared.errors.map((e) => e.message).join(), source).toMatch(/Send mutations as HTTP POST/);
      }
    }
  });
});
