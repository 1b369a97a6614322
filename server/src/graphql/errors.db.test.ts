// The error contract at the edge, over HTTP: domain errors keep their code, errors about the request
// keep graphql-js/Apollo's codes, and anything unexpected is masked behind a reference that the log has.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { postgresUnavailable } from '../test/database.js';
import { startTestApi, type GqlResult, type Json, type TestApi } from '../test/api.js';
import type { User } from '../modules/user/user.entity.js';
import type { Logger } from '../logger.js';
import { makeFormatError } from './format-error.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe.skipIf(postgresUnavailable())('GraphQL errors over HTTP', () => {
  let api: TestApi;
  let user: { user: User; token: string };

  /** A raw POST, to see the HTTP status as well. */
  async function post(body: string) {
    const res = await fetch(`${api.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${user.token}` },
      body,
    });
    return { status: res.status, body: (await res.json()) as GqlResult<Json> };
  }

  beforeAll(async () => {
    api = await startTestApi();
    user = await api.user();
  });
  afterAll(() => api?.close());

  it('masks an unexpected error: INTERNAL_SERVER_ERROR with a reference and none of the cause', async () => {
    // Break this file's own database under the running server: the query now fails in SQL.
    await api.db.orm.em.fork().getConnection().execute('drop table "template" cascade');

    const first = await api.gql(`{ templates { id name } }`, {}, user.token);
    expect(first.data).toBeNull();
    expect(first.errors).toHaveLength(1);
    const error = first.errors![0]!;
    expect(error.path).toEqual(['templates']);
    expect(Object.keys(error.extensions ?? {}).sort()).toEqual(['code', 'reference']);
    expect(error.extensions?.code).toBe('INTERNAL_SERVER_ERROR');
    const reference = error.extensions?.reference as string;
    expect(reference).toMatch(UUID);
    expect(error.message).toBe(
      `Internal server error. Reference ${reference}; the operators can find the cause in the logs.`,
    );
    const shown = JSON.stringify({ message: error.message, extensions: error.extensions });
    for (const internal of ['template', 'relation', 'does not exist', 'select', 'Exception', '42P01', 'stack']) {
      expect(shown).not.toContain(internal);
    }

    // Every occurrence gets its own reference; the rest of the API keeps working.
    const second = await api.gql(`{ templates { id } }`, {}, user.token);
    expect(second.errors?.[0]?.extensions?.reference).not.toBe(reference);
    expect((await api.ok(`{ viewer { id } }`, {}, user.token)).viewer.id).toBe(user.user.id);
  });

  it('keeps the codes of syntax, validation and variable errors, with their own words', async () => {
    const syntax = await post(JSON.stringify({ query: '{ viewer { id }' }));
    expect(syntax.status).toBe(400);
    expect(syntax.body.errors?.[0]?.extensions).toEqual({ code: 'GRAPHQL_PARSE_FAILED' });
    expect(syntax.body.errors?.[0]?.message).toMatch(/^Syntax Error/);

    const validation = await post(JSON.stringify({ query: '{ viewer { id nope } }' }));
    expect(validation.status).toBe(400);
    expect(validation.body.errors?.[0]?.extensions).toEqual({ code: 'GRAPHQL_VALIDATION_FAILED' });
    expect(validation.body.errors?.[0]?.message).toBe('Cannot query field "nope" on type "User".');

    const missingArg = await post(JSON.stringify({ query: '{ organization { id } }' }));
    expect(missingArg.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');

    const variable = await post(
      JSON.stringify({
        query: 'query($first: Int) { organizations(first: $first) { totalCount } }',
        variables: { first: 'ten' },
      }),
    );
    expect(variable.status).toBe(400);
    expect(variable.body.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT' });
    expect(variable.body.errors?.[0]?.message).toMatch(/^Variable "\$first" got invalid value "ten"/);

    for (const result of [syntax, validation, variable])
      expect(JSON.stringify(result.body)).not.toMatch(/stacktrace|INTERNAL/);
  });

  it('keeps domain errors as they are: code, message and safe details', async () => {
    const anonymous = await api.gql(`{ organizations { totalCount } }`);
    expect(anonymous.errors?.[0]).toMatchObject({
      message: 'Sign in first: this operation needs a session or an API token.',
      extensions: { code: 'UNAUTHENTICATED' },
    });
    const id = '00000000-0000-4000-8000-000000000000';
    const missing = await api.gql(`query($id: ID!) { organization(id: $id) { id } }`, { id }, user.token);
    expect(missing.errors?.[0]).toMatchObject({
      message: `Organization ${id} does not exist or is not visible to you.`,
      path: ['organization'],
      extensions: { code: 'NOT_FOUND', entity: 'Organization', id },
    });
    const invalid = await api.gql(
      `mutation { createOrganization(input: { name: "x", slug: "X" }) { id } }`,
      {},
      user.token,
    );
    expect(invalid.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'input.slug' });
    const forbidden = await api.gql(`{ users { totalCount } }`, {}, user.token);
    expect(forbidden.errors?.[0]?.extensions).toEqual({ code: 'FORBIDDEN', privilege: 'Platform.Admin' });
  });
});

describe('makeFormatError', () => {
  it('logs the cause of a masked error under the reference it returns', () => {
    const error = vi.fn();
    const format = makeFormatError({ error } as unknown as Logger);
    const cause = new Error('connection to 10.0.0.5 refused');
    const formatted = format({ message: cause.message, path: ['x'], extensions: {} }, cause);
    expect(formatted.extensions?.code).toBe('INTERNAL_SERVER_ERROR');
    expect(formatted.message).not.toContain('10.0.0.5');
    expect(error).toHaveBeenCalledOnce();
    expect(error.mock.calls[0]![0]).toMatchObject({
      err: cause,
      reference: formatted.extensions?.reference,
      path: ['x'],
    });
  });
});
