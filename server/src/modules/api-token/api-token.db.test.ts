import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresUnavailable } from '../../test/database.js';
import { startTestApi, type TestApi } from '../../test/api.js';
import { Role } from '../membership/membership.entity.js';
import type { Project } from '../project/project.entity.js';
import type { User } from '../user/user.entity.js';
import { ApiToken } from './api-token.entity.js';

const CREATE = `mutation($input: CreateApiTokenInput!) { createApiToken(input: $input) { token apiToken { id name prefix scopes expiresAt lastUsedAt revokedAt } } }`;

describe.skipIf(postgresUnavailable())('personal API tokens over HTTP', () => {
  let api: TestApi;
  let owner: { user: User; token: string };
  let project: Project;

  beforeAll(async () => {
    api = await startTestApi();
    owner = await api.user();
    ({ project } = await api.org(owner.user, Role.OWNER));
  });
  afterAll(() => api?.close());

  it('is shown once and stored only as a hash', async () => {
    const { createApiToken } = await api.ok(CREATE, { input: { name: 'ci' } }, owner.token);
    expect(createApiToken.token).toMatch(/^pvp_/);
    expect(createApiToken.token.startsWith(createApiToken.apiToken.prefix)).toBe(true);
    const row = await api.db.orm.em.fork().findOneOrFail(ApiToken, { id: createApiToken.apiToken.id });
    expect(row.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    const dump = JSON.stringify(await api.db.orm.em.fork().getConnection().execute('select * from api_token'));
    expect(dump).not.toContain(createApiToken.token);
    const { apiTokens } = await api.ok(`{ apiTokens { id name } }`, {}, owner.token);
    expect(JSON.stringify(apiTokens)).not.toContain('pvp_');
  });

  it('reads without scopes, and is refused what its scopes do not allow', async () => {
    const { createApiToken } = await api.ok(CREATE, { input: { name: 'read-only' } }, owner.token);
    const token = createApiToken.token;
    const read = await api.ok(`{ projects { totalCount } }`, {}, token);
    expect(read.projects.totalCount).toBeGreaterThan(0);
    const write = await api.gql(
      `mutation($id: ID!) { updateProject(id: $id, input: { description: "x" }) { id } }`,
      { id: project.id },
      token,
    );
    expect(write.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', privilege: 'Project.Admin' });
    const scoped = (await api.ok(CREATE, { input: { name: 'admin', scopes: ['Project.Admin'] } }, owner.token))
      .createApiToken.token;
    await api.ok(
      `mutation($id: ID!) { updateProject(id: $id, input: { description: "y" }) { id } }`,
      { id: project.id },
      scoped,
    );
    const mint = await api.gql(CREATE, { input: { name: 'nested' } }, scoped);
    expect(mint.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('records its last use', async () => {
    const { createApiToken } = await api.ok(CREATE, { input: { name: 'used' } }, owner.token);
    await api.ok(`{ viewer { id } }`, {}, createApiToken.token);
    await new Promise((r) => setTimeout(r, 300));
    const row = await api.db.orm.em.fork().findOneOrFail(ApiToken, { id: createApiToken.apiToken.id });
    expect(row.lastUsedAt).toBeInstanceOf(Date);
  });

  it('stops working when revoked or expired', async () => {
    const { createApiToken } = await api.ok(CREATE, { input: { name: 'revoke-me' } }, owner.token);
    await api.ok(
      `mutation($id: ID!) { revokeApiToken(id: $id) { revokedAt } }`,
      { id: createApiToken.apiToken.id },
      owner.token,
    );
    const after = await api.gql(`{ projects { totalCount } }`, {}, createApiToken.token);
    expect(after.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');

    const expiring = await api.ok(
      CREATE,
      { input: { name: 'short', expiresAt: new Date(Date.now() + 1500).toISOString() } },
      owner.token,
    );
    await api.ok(`{ viewer { id } }`, {}, expiring.createApiToken.token);
    await new Promise((r) => setTimeout(r, 1600));
    const expired = await api.gql(`{ projects { totalCount } }`, {}, expiring.createApiToken.token);
    expect(expired.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('validates its input and keeps tokens to their owner', async () => {
    const bad = await api.gql(CREATE, { input: { name: 'x', scopes: ['Root.Everything'] } }, owner.token);
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.scopes' });
    const past = await api.gql(CREATE, { input: { name: 'x', expiresAt: '2000-01-01T00:00:00Z' } }, owner.token);
    expect(past.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.expiresAt' });
    const { createApiToken } = await api.ok(CREATE, { input: { name: 'mine' } }, owner.token);
    const other = await api.user();
    const steal = await api.gql(
      `mutation($id: ID!) { revokeApiToken(id: $id) { id } }`,
      { id: createApiToken.apiToken.id },
      other.token,
    );
    expect(steal.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });
});
