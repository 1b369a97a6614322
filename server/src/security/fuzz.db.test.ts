// Fuzzing the HTTP API with 10,000 operations generated from the schema: wrong types, huge strings,
// deep nesting, alias bombs, unknown fields, invalid variables, syntax garbage and odd bodies, a third
// as a platform admin and the rest anonymous. Every answer must be a well-formed GraphQL response (JSON,
// `errors` with a message and a code, or `data`), never an HTTP 500 or a masked internal error, and
// the server must still answer afterwards.
//
// Runs on PGlite only: the API code under test is the same on both databases, and the PostgreSQL
// half would double the time for nothing new. Seeded, so a failure replays: FUZZ_SEED=<n>.
import { readFileSync } from 'node:fs';
import {
  buildSchema,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  isUnionType,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLOutputType,
  type GraphQLSchema,
} from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseKind } from '../test/database.js';
import { startTestApi, type TestApi } from '../test/api.js';

const TOTAL = Number(process.env.FUZZ_TOTAL ?? 10_000);
const CONCURRENCY = 32;
const SEED = Number(process.env.FUZZ_SEED ?? 20261126);

/** mulberry32: small, fast, seedable. */
function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  return { next, int, pick: <T>(xs: readonly T[]): T => xs[int(xs.length)]!, chance: (p: number) => next() < p };
}
type Rng = ReturnType<typeof rng>;

const NASTY_STRINGS = [
  '',
  ' ',
  "'; drop table users; --",
  '" } } { __schema { types { name } } }',
  '\u0000',
  '\ud800',
  '🙂'.repeat(40),
  '../../../../etc/passwd',
  '<script>alert(1)</script>',
  '${jndi:ldap://x}',
  '00000000-0000-0000-0000-000000000000',
  'not-a-uuid',
  '1e309',
  '-1',
  'NaN',
  '{"a":1}',
];

function randomString(r: Rng): string {
  switch (r.int(5)) {
    case 0:
      return r.pick(NASTY_STRINGS);
    case 1:
      return 'x'.repeat(r.pick([100, 1_000, 10_000, 100_000]));
    case 2:
      return crypto.randomUUID();
    case 3:
      return Array.from({ length: r.int(30) }, () => String.fromCharCode(r.int(0xffff))).join('');
    default:
      return `fuzz-${r.int(1e6)}`;
  }
}

/** A JSON value that may or may not fit `type`. */
function valueFor(type: GraphQLInputType, r: Rng, depth = 0): unknown {
  if (r.chance(0.08)) return hostileValue(r, depth);
  if (isNonNullType(type)) return r.chance(0.05) ? null : valueFor(type.ofType, r, depth);
  if (r.chance(0.05)) return null;
  if (isListType(type)) return Array.from({ length: r.int(4) }, () => valueFor(type.ofType, r, depth + 1));
  if (isEnumType(type)) return r.chance(0.9) ? r.pick(type.getValues()).name : 'NOT_A_VALUE';
  if (isInputObjectType(type)) {
    if (depth > 4) return {};
    const out: Record<string, unknown> = {};
    for (const f of Object.values(type.getFields())) if (r.chance(0.9)) out[f.name] = valueFor(f.type, r, depth + 1);
    if (r.chance(0.1)) out[`unknown${r.int(10)}`] = 1;
    return out;
  }
  switch (isScalarType(type) ? type.name : '') {
    case 'Int':
      return r.pick([0, 1, -1, 20, 100, 2 ** 31, -(2 ** 31) - 1, 2 ** 53, 1.5, r.int(1000)]);
    case 'Float':
      return r.pick([0, -1.5, 1e308, 3.14, r.next()]);
    case 'Boolean':
      return r.chance(0.5);
    case 'DateTimeISO':
      return r.pick([new Date().toISOString(), '2020-13-45T99:99:99Z', '0000-01-01T00:00:00Z', 'yesterday']);
    case 'JSONObject':
      return r.pick([{}, { a: 1 }, { nested: { deep: [1, 2, { x: null }] } }]);
    default:
      return randomString(r);
  }
}

function hostileValue(r: Rng, depth: number): unknown {
  switch (r.int(6)) {
    case 0:
      return randomString(r);
    case 1:
      return r.pick([0, -1, 1e300, 2 ** 60, 0.000001]);
    case 2:
      return r.chance(0.5);
    case 3:
      return depth > 3 ? [] : [hostileValue(r, depth + 1)];
    case 4:
      return depth > 3 ? {} : { a: hostileValue(r, depth + 1), __proto__x: 1, constructor: 'x' };
    default:
      return null;
  }
}

/** A GraphQL literal for a JSON value (enums as bare names when `enumLike`). */
function literal(value: unknown, type?: GraphQLInputType): string {
  const named = type ? getNamedType(type) : undefined;
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string')
    return named && isEnumType(named) && /^[A-Za-z_]\w*$/.test(value) ? value : JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[${value.map((v) => literal(v, named)).join(', ')}]`;
  const fields = named && isInputObjectType(named) ? named.getFields() : {};
  return `{ ${Object.entries(value as Record<string, unknown>)
    .filter(([k]) => /^[A-Za-z_]\w*$/.test(k))
    .map(([k, v]) => `${k}: ${literal(v, fields[k]?.type)}`)
    .join(', ')} }`;
}

function printType(type: GraphQLInputType): string {
  return String(type);
}

interface Built {
  body: string;
  contentType?: string;
}

class Generator {
  private vars: Record<string, unknown> = {};
  private varDefs: string[] = [];
  constructor(
    private readonly schema: GraphQLSchema,
    private readonly r: Rng,
  ) {}

  private args(args: readonly GraphQLArgument[]): string {
    const r = this.r;
    const parts: string[] = [];
    for (const a of args) {
      if (!isNonNullType(a.type) && r.chance(0.5)) continue;
      const value = valueFor(a.type, r);
      if (r.chance(0.5)) {
        const name = `v${this.varDefs.length}`;
        // Sometimes declare the wrong type, or forget to send the value.
        const declared = r.chance(0.1)
          ? r.pick(['Int', 'String!', '[ID!]!', 'Boolean', 'NoSuchType'])
          : printType(a.type);
        this.varDefs.push(`$${name}: ${declared}`);
        if (!r.chance(0.05)) this.vars[name] = value;
        parts.push(`${a.name}: $${name}`);
      } else parts.push(`${a.name}: ${literal(value, a.type)}`);
    }
    if (r.chance(0.05)) parts.push(`bogus${r.int(5)}: 1`);
    return parts.length ? `(${parts.join(', ')})` : '';
  }

  private selection(type: GraphQLOutputType, depth: number, maxDepth: number): string {
    const r = this.r;
    const named = getNamedType(type);
    if (isUnionType(named) || isInterfaceType(named)) return '{ __typename }';
    if (!isObjectType(named)) return '';
    const fields = Object.values(named.getFields()) as GraphQLField<unknown, unknown>[];
    const picked: string[] = [];
    const n = 1 + r.int(Math.min(4, fields.length));
    for (let i = 0; i < n; i++) {
      const f = r.pick(fields);
      const inner = getNamedType(f.type);
      const leaf = !isObjectType(inner) && !isInterfaceType(inner) && !isUnionType(inner);
      if (!leaf && depth >= maxDepth) {
        picked.push('__typename');
        continue;
      }
      const alias = r.chance(0.1) ? `a${i}_${r.int(100)}: ` : '';
      picked.push(
        `${alias}${f.name}${this.args(f.args)}${leaf ? '' : ' ' + this.selection(f.type, depth + 1, maxDepth)}`,
      );
    }
    if (r.chance(0.05)) picked.push(r.pick(['nope', 'passwordHash', 'tokenSecret', '__schema { types { name } }']));
    return `{ ${picked.join(' ')} }`;
  }

  /** One operation against a random root field. */
  private operation(): { query: string; variables: Record<string, unknown> } {
    const r = this.r;
    this.vars = {};
    this.varDefs = [];
    const kind = r.chance(0.6) ? 'query' : 'mutation';
    const root = kind === 'query' ? this.schema.getQueryType()! : this.schema.getMutationType()!;
    const field = r.pick(Object.values(root.getFields()).filter((f) => !SKIP_FIELDS.has(f.name)));
    const maxDepth = r.pick([1, 2, 3, 4, 6, 12]);
    const inner = getNamedType(field.type);
    const leaf = !isObjectType(inner) && !isInterfaceType(inner) && !isUnionType(inner);
    const sel = `${field.name}${this.args(field.args)}${leaf ? '' : ' ' + this.selection(field.type, 1, maxDepth)}`;
    const defs = this.varDefs.length ? `(${this.varDefs.join(', ')})` : '';
    return { query: `${kind} Fuzz${defs} { ${sel} }`, variables: this.vars };
  }

  next(): Built {
    const r = this.r;
    const json = (o: unknown): Built => ({ body: JSON.stringify(o) });
    switch (r.int(20)) {
      case 0: {
        // Alias bomb.
        const f = r.pick(['viewer { id }', '__typename', 'organizations { totalCount }', 'clusters { id name }']);
        return json({ query: `{ ${Array.from({ length: 10 + r.int(300) }, (_, i) => `x${i}: ${f}`).join(' ')} }` });
      }
      case 1: {
        // Deep nesting, valid and not.
        let inner = 'id';
        const levels = 2 + r.int(40);
        for (let i = 0; i < levels; i++)
          inner = r.chance(0.8) ? `members { organization { ${inner} } }` : `a { ${inner} }`;
        return json({ query: `{ organizations(first: 5) { edges { node { ${inner} } } } }` });
      }
      case 2: {
        // Syntax garbage: a real operation cut, shuffled or salted.
        const { query } = this.operation();
        const cut = query.slice(0, r.int(query.length));
        const salted = query.replace(/[{}():,]/g, (c) =>
          r.chance(0.1) ? r.pick(['{', '}', '(', ')', '', '$', '@', '"', '...']) : c,
        );
        return json({
          query: r.pick([cut, salted, query.split('').reverse().join(''), '{'.repeat(5_000), '"'.repeat(3)]),
        });
      }
      case 3:
        // Odd bodies: wrong shapes and types, batches, non-JSON.
        return r.pick<Built>([
          json({ query: 42 }),
          json({ query: null }),
          json({}),
          json([{ query: '{ viewer { id } }' }, { query: '{ viewer { id } }' }]),
          json({ query: '{ viewer { id } }', variables: 'nope' }),
          json({ query: '{ viewer { id } }', variables: [1, 2] }),
          json({ query: '{ viewer { id } }', operationName: 7 }),
          json({ query: 'query A { viewer { id } } query B { viewer { id } }' }),
          json({ query: 'query A { viewer { id } } query B { viewer { id } }', operationName: 'C' }),
          json({ query: '{ viewer { id } }', extensions: { persistedQuery: { version: 1, sha256Hash: 'abc' } } }),
          { body: '{"query": "{ viewer { id } }"', contentType: 'application/json' },
          { body: 'query=%7B+viewer+%7B+id+%7D+%7D', contentType: 'application/x-www-form-urlencoded' },
          { body: '{ viewer { id } }', contentType: 'text/plain' },
          { body: '{ viewer { id } }', contentType: 'application/graphql' },
          json({ query: 'fragment A on Query { ...B } fragment B on Query { ...A } { ...A }' }),
          json({ query: `{ ${'__typename @skip(if: false) '.repeat(100)} }` }),
          json({ query: `{ viewer { id } } # ${'c'.repeat(20_000)}` }),
          json({ query: 'subscription { jobProgress(jobId: "x") { seq } }' }),
        ]);
      default: {
        const op = this.operation();
        return json({
          query: op.query,
          variables: op.variables,
          operationName: r.chance(0.9) ? 'Fuzz' : r.pick(['Other', '']),
        });
      }
    }
  }
}

/** Fields whose resolvers reach outside the process (Proxmox, DNS, argon2 at 19 MiB each). */
const SKIP_FIELDS = new Set(['createCluster', 'signIn', 'openConsole']);

interface Finding {
  status: number;
  request: string;
  response: string;
}

describe.skipIf(testDatabaseKind() !== 'pglite')('fuzzing the HTTP API', () => {
  let api: TestApi;
  let adminToken: string;
  beforeAll(async () => {
    api = await startTestApi({
      env: {
        RATE_LIMIT_API_PER_MINUTE: '1000000000',
        RATE_LIMIT_SIGNIN_PER_ACCOUNT: '1000000',
        RATE_LIMIT_SIGNIN_PER_IP: '1000000',
      },
    });
    const admin = await api.user({ admin: true });
    adminToken = admin.token;
    await api.org(admin.user, 'OWNER' as never);
    await api.template();
  });
  afterAll(() => api?.close());

  // Generous: 10,000 requests take ~1 min alone, several times that beside other suites on 2 cores.
  it(`answers ${TOTAL} hostile operations with well-formed GraphQL errors`, { timeout: 400_000 }, async () => {
    const schema = buildSchema(readFileSync(new URL('../../../schema/schema.graphql', import.meta.url), 'utf8'));
    const gen = new Generator(schema, rng(SEED));
    const requests = Array.from({ length: TOTAL }, (_, i) => ({ ...gen.next(), asAdmin: i % 3 === 0 }));
    const findings: Finding[] = [];
    const codes = new Map<string, number>();
    const started = Date.now();
    let next = 0;
    let done = 0;
    const slowest = { ms: 0, request: '' };
    const worker = async () => {
      for (let i = next++; i < requests.length; i = next++) {
        const req = requests[i]!;
        const t0 = Date.now();
        const res = await fetch(`${api.url}/graphql`, {
          method: 'POST',
          signal: AbortSignal.timeout(20_000),
          headers: {
            'content-type': req.contentType ?? 'application/json',
            // Apollo's CSRF prevention wants this header on non-JSON bodies; a browser form would lack it.
            ...(i % 7 === 0 ? {} : { 'apollo-require-preflight': 'true' }),
            ...(req.asAdmin ? { authorization: `Bearer ${adminToken}` } : {}),
          },
          body: req.body,
        });
        const text = await res.text();
        const ms = Date.now() - t0;
        if (ms > slowest.ms) Object.assign(slowest, { ms, request: req.body.slice(0, 300) });
        if (++done % 1000 === 0)
          console.log(`fuzz: ${done} done after ${((Date.now() - started) / 1000).toFixed(1)} s`);
        const finding = (why: string) =>
          findings.push({
            status: res.status,
            request: req.body.slice(0, 500),
            response: `${why}: ${text.slice(0, 500)}`,
          });
        if (res.status >= 500) {
          finding('status');
          continue;
        }
        let body: { data?: unknown; errors?: { message?: unknown; extensions?: { code?: unknown } }[] };
        try {
          body = JSON.parse(text) as typeof body;
        } catch {
          finding('not JSON');
          continue;
        }
        if (!body || typeof body !== 'object' || (!('data' in body) && !Array.isArray(body.errors))) {
          finding('neither data nor errors');
          continue;
        }
        for (const e of body.errors ?? []) {
          const code = e.extensions?.code;
          if (typeof e.message !== 'string' || typeof code !== 'string') finding('error without message or code');
          else if (code === 'INTERNAL_SERVER_ERROR') finding('internal error');
          codes.set(String(code), (codes.get(String(code)) ?? 0) + 1);
        }
        if (!body.errors?.length) codes.set('(data)', (codes.get('(data)') ?? 0) + 1);
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    const seconds = (Date.now() - started) / 1000;
    console.log(`fuzz: slowest ${slowest.ms} ms: ${slowest.request}`);
    console.log(
      `fuzz: ${TOTAL} requests in ${seconds.toFixed(1)} s (seed ${SEED});`,
      Object.fromEntries([...codes].sort((a, b) => b[1] - a[1])),
    );
    const distinct = [...new Map(findings.map((f) => [f.response.slice(0, 40) + f.request.slice(0, 40), f])).values()];
    expect(distinct.slice(0, 10), `${findings.length} bad answers`).toEqual([]);

    // Still alive and still right.
    expect((await fetch(`${api.url}/healthz`)).status).toBe(200);
    expect((await api.ok('{ viewer { isPlatformAdmin } }', {}, adminToken)).viewer).toEqual({ isPlatformAdmin: true });
  });
});
