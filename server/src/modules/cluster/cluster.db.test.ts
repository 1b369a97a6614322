import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SecretStore } from '../../secrets/secret-store.js';
import { postgresUnavailable } from '../../test/database.js';
import { startTestApi, type Json, type TestApi } from '../../test/api.js';
import { Machine } from '../machine/machine.entity.js';
import { Role } from '../membership/membership.entity.js';
import type { User } from '../user/user.entity.js';
import { Node } from './node.entity.js';

const FIELDS = `id name apiUrl tokenId tlsFingerprint caPem nodes { name maintenance }`;
const CREATE = `mutation($input: CreateClusterInput!) { createCluster(input: $input) { ${FIELDS} } }`;
const UPDATE = `mutation($id: ID!, $input: UpdateClusterInput!) { updateCluster(id: $id, input: $input) { ${FIELDS} } }`;
const DELETE = `mutation($id: ID!) { deleteCluster(id: $id) }`;
const LIST = `{ clusters { ${FIELDS} } }`;
const MAINTENANCE = `mutation($id: ID!, $on: Boolean!) { setNodeMaintenance(id: $id, maintenance: $on) { id name maintenance } }`;

const FINGERPRINT = Array.from({ length: 32 }, (_, i) => (i * 7).toString(16).padStart(2, '0').toUpperCase()).join(':');

describe.skipIf(postgresUnavailable())('clusters over HTTP', () => {
  let api: TestApi;
  let admin: { user: User; token: string };
  let secrets: SecretStore;
  let seq = 0;

  const input = (extra: Record<string, unknown> = {}) => ({
    name: `pve-${++seq}`,
    apiUrl: 'https://pve1.example.com:8006',
    tokenId: 'paas@pve!api',
    tokenSecret: `secret-${randomBytes(16).toString('hex')}`,
    ...extra,
  });

  /** The row's secret reference, read straight from the table (the API never shows it). */
  async function secretRef(clusterId: string): Promise<string> {
    const rows = await api.db.orm.em
      .fork()
      .getConnection()
      .execute(`select token_secret_ref from cluster where id = ?`, [clusterId]);
    return rows[0]?.token_secret_ref as string;
  }

  /** How many rows of every table in the database contain `needle` in their text form. */
  async function rowsContaining(needle: string): Promise<Record<string, number>> {
    const conn = api.db.orm.em.fork().getConnection();
    const tables: { table_name: string }[] = await conn.execute(
      `select table_name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE' order by table_name`,
    );
    expect(tables.length).toBeGreaterThan(10);
    const found: Record<string, number> = {};
    for (const { table_name } of tables) {
      const rows = await conn.execute(`select count(*)::int as n from "${table_name}" t where strpos(t::text, ?) > 0`, [
        needle,
      ]);
      const n = rows[0]?.n as number;
      if (n > 0) found[table_name] = n;
    }
    return found;
  }

  beforeAll(async () => {
    api = await startTestApi();
    admin = await api.user({ admin: true });
    secrets = api.app.services.secrets as SecretStore;
  });
  afterAll(() => api?.close());

  it('creates, lists, updates and deletes a cluster', async () => {
    const given = input({ tlsFingerprint: FINGERPRINT });
    const { createCluster } = await api.ok(CREATE, { input: given }, admin.token);
    expect(createCluster).toMatchObject({
      name: given.name,
      apiUrl: given.apiUrl,
      tokenId: given.tokenId,
      tlsFingerprint: FINGERPRINT,
      caPem: null,
      nodes: [],
    });
    expect((await api.ok(LIST, {}, admin.token)).clusters.map((c: Json) => c.id)).toContain(createCluster.id);

    const pem = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
    const { updateCluster } = await api.ok(
      UPDATE,
      { id: createCluster.id, input: { apiUrl: 'https://pve2.example.com:8006', tlsFingerprint: null, caPem: pem } },
      admin.token,
    );
    expect(updateCluster).toMatchObject({
      name: given.name,
      apiUrl: 'https://pve2.example.com:8006',
      tlsFingerprint: null,
      caPem: pem,
    });

    const ref = await secretRef(createCluster.id);
    expect(await api.ok(DELETE, { id: createCluster.id }, admin.token)).toEqual({ deleteCluster: true });
    expect((await api.ok(LIST, {}, admin.token)).clusters.map((c: Json) => c.id)).not.toContain(createCluster.id);
    // The token secret goes with the cluster.
    expect(await secrets.read(ref)).toBeNull();
    expect((await api.fail(DELETE, { id: createCluster.id }, admin.token)).extensions?.code).toBe('NOT_FOUND');
  });

  it('keeps the token secret in the secret store and nowhere in the database', async () => {
    const given = input({ name: `findme-${randomBytes(4).toString('hex')}` });
    const { createCluster } = await api.ok(CREATE, { input: given }, admin.token);
    const ref = await secretRef(createCluster.id);
    expect(ref).toBe(`clusters/${createCluster.id}/api-token`);
    expect((await secrets.read(ref))?.data).toEqual({ secret: given.tokenSecret });

    // The search itself works: the (public) token id and the reference are found. The name is also
    // in the audit row of createCluster (its arguments, with tokenSecret redacted).
    expect(await rowsContaining(given.name)).toEqual({ cluster: 1, audit_log: 1 });
    expect((await rowsContaining(ref)).cluster).toBe(1);
    // Neither the secret nor its bytes (as a bytea's hex text) are in any table.
    expect(await rowsContaining(given.tokenSecret)).toEqual({});
    expect(await rowsContaining(Buffer.from(given.tokenSecret).toString('hex'))).toEqual({});
    // Nor in the API.
    const fetched = await api.gql(`{ clusters { tokenSecretRef } }`, {}, admin.token);
    expect(fetched.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('leaves no secret behind when the cluster is refused (duplicate name: CONFLICT)', async () => {
    const given = input();
    await api.ok(CREATE, { input: given }, admin.token);
    const before = await secrets.list('clusters/');
    const error = await api.fail(CREATE, { input: { ...given, tokenSecret: 'second-secret' } }, admin.token);
    expect(error.extensions?.code).toBe('CONFLICT');
    expect(error.message).toMatch(/name/);
    expect(await secrets.list('clusters/')).toEqual(before);
  });

  it('is for platform admins only', async () => {
    const owner = await api.user();
    await api.org(owner.user, Role.OWNER);
    const { createCluster } = await api.ok(CREATE, { input: input() }, admin.token);
    for (const [query, variables] of [
      [LIST, {}],
      [CREATE, { input: input() }],
      [UPDATE, { id: createCluster.id, input: { apiUrl: 'https://evil.example.com' } }],
      [DELETE, { id: createCluster.id }],
    ] as const) {
      expect((await api.fail(query, variables, owner.token)).extensions).toMatchObject({
        code: 'FORBIDDEN',
        privilege: 'Platform.Admin',
      });
      expect((await api.fail(query, variables)).extensions?.code).toBe('UNAUTHENTICATED');
    }
    expect((await api.ok(LIST, {}, admin.token)).clusters.find((c: Json) => c.id === createCluster.id).apiUrl).toBe(
      'https://pve1.example.com:8006',
    );
  });

  it('names the invalid field', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ tlsFingerprint: 'AB:CD' }, 'input.tlsFingerprint'],
      [{ tlsFingerprint: FINGERPRINT.replace(/:/g, '') }, 'input.tlsFingerprint'],
      [{ tokenId: 'root' }, 'input.tokenId'],
      [{ apiUrl: 'pve1:8006' }, 'input.apiUrl'],
      [{ name: 'PVE 1' }, 'input.name'],
      [{ tokenSecret: '' }, 'input.tokenSecret'],
      [{ caPem: 'not a certificate' }, 'input.caPem'],
    ];
    for (const [extra, field] of cases) {
      const error = await api.fail(CREATE, { input: input(extra) }, admin.token);
      expect(error.extensions, field).toMatchObject({ code: 'BAD_USER_INPUT', field });
    }
    const fingerprint = await api.fail(CREATE, { input: input({ tlsFingerprint: 'AB:CD' }) }, admin.token);
    expect(fingerprint.message).toMatch(/^input\.tlsFingerprint: must be a SHA-256 fingerprint/);

    const { createCluster } = await api.ok(CREATE, { input: input() }, admin.token);
    const update = await api.fail(UPDATE, { id: createCluster.id, input: { tlsFingerprint: 'zz' } }, admin.token);
    expect(update.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.tlsFingerprint' });
    // The API URL is required: null is refused, not written.
    const nullUrl = await api.fail(UPDATE, { id: createCluster.id, input: { apiUrl: null } }, admin.token);
    expect(nullUrl.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.apiUrl' });
  });

  it('refuses to delete a cluster machines run on (CONFLICT), and keeps its secret', async () => {
    const { createCluster } = await api.ok(CREATE, { input: input() }, admin.token);
    const owner = await api.user();
    const { project } = await api.org(owner.user, Role.OWNER);
    const template = await api.template();
    const machine = await api.machine(project, owner.user, template);
    await api.db.orm.em.fork().nativeUpdate(Machine, { id: machine.id }, { cluster: createCluster.id });

    expect((await api.fail(DELETE, { id: createCluster.id }, admin.token)).extensions?.code).toBe('CONFLICT');
    expect(await secrets.read(await secretRef(createCluster.id))).not.toBeNull();
  });

  it('puts a node in maintenance and takes it out', async () => {
    const { createCluster } = await api.ok(CREATE, { input: input() }, admin.token);
    const em = api.db.orm.em.fork();
    const node = em.create(Node, {
      cluster: createCluster.id,
      name: 'pve1',
      status: 'online',
      cpuCount: 16,
      memoryBytes: 64 * 2 ** 30,
    });
    em.create(Node, { cluster: createCluster.id, name: 'pve2' });
    await em.flush();

    expect((await api.ok(MAINTENANCE, { id: node.id, on: true }, admin.token)).setNodeMaintenance).toEqual({
      id: node.id,
      name: 'pve1',
      maintenance: true,
    });
    const listed = (await api.ok(LIST, {}, admin.token)).clusters.find((c: Json) => c.id === createCluster.id);
    expect(listed.nodes).toEqual([
      { name: 'pve1', maintenance: true },
      { name: 'pve2', maintenance: false },
    ]);
    await api.ok(MAINTENANCE, { id: node.id, on: false }, admin.token);
    const cleared = (await api.ok(LIST, {}, admin.token)).clusters.find((c: Json) => c.id === createCluster.id);
    expect(cleared.nodes[0]).toEqual({ name: 'pve1', maintenance: false });

    const plain = await api.user();
    expect((await api.fail(MAINTENANCE, { id: node.id, on: true }, plain.token)).extensions?.code).toBe('FORBIDDEN');
    const missing = await api.fail(MAINTENANCE, { id: createCluster.id, on: true }, admin.token);
    expect(missing.extensions).toMatchObject({ code: 'NOT_FOUND', entity: 'Node' });
  });

  it('chooses the provisioning driver per cluster: NATIVE by default, TERRAFORM on request, never null', async () => {
    const DRIVER = `mutation($id: ID!, $input: UpdateClusterInput!) { updateCluster(id: $id, input: $input) { provisioningDriver } }`;
    const plainCreate = `mutation($input: CreateClusterInput!) { createCluster(input: $input) { id provisioningDriver } }`;
    const native = (await api.ok(plainCreate, { input: input() }, admin.token)).createCluster;
    expect(native.provisioningDriver).toBe('NATIVE');
    const tf = (await api.ok(plainCreate, { input: input({ provisioningDriver: 'TERRAFORM' }) }, admin.token))
      .createCluster;
    expect(tf.provisioningDriver).toBe('TERRAFORM');
    const back = await api.ok(DRIVER, { id: tf.id, input: { provisioningDriver: 'NATIVE' } }, admin.token);
    expect(back.updateCluster.provisioningDriver).toBe('NATIVE');
    const nulled = await api.fail(DRIVER, { id: tf.id, input: { provisioningDriver: null } }, admin.token);
    expect(nulled.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.provisioningDriver' });
    const unknown = await api.fail(DRIVER, { id: tf.id, input: { provisioningDriver: 'PULUMI' } }, admin.token);
    expect(unknown.extensions?.code).toBe('BAD_USER_INPUT');
    expect(unknown.message).toMatch(/PULUMI/);
  });
});
