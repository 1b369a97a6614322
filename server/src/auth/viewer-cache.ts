// A short cache of verified credentials (bench/auth): the viewer a bearer token or session cookie
// resolved to, for a couple of seconds, so a client's burst of requests checks its token and loads
// its user and memberships once instead of on every request (two queries and a signature check, ~20×
// the cost of the cheapest query).
//
// What a cached entry can miss, and for how long:
// - Any mutation through this process empties the cache, before it runs and again after (a
//   generation counter keeps a lookup that raced with the mutation from being stored), so a change
//   made here (revoked token, new membership, role change, sign-out, enrolled second factor) holds
//   from the next request on.
// - Changes made elsewhere (another API instance, the database by hand, a refresh-token family
//   revoked by reuse detection) reach this process within TTL_MS at most. API tokens' `lastUsedAt`
//   is written on a miss, so at most once per TTL_MS per token.
import type { ApolloServerPlugin } from '@apollo/server';
import type { EntityData } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Context } from '../graphql/context.js';
import { ApiToken } from '../modules/api-token/api-token.entity.js';
import { User } from '../modules/user/user.entity.js';
import type { Credentials } from './authenticate.js';
import { API_TOKEN_PREFIX, hashApiToken } from './session.js';
import { LazyUser, type UserFacts, type Viewer } from './viewer.js';

const TTL_MS = 2_000;
const MAX_ENTRIES = 10_000;

interface Entry {
  viewer: Viewer;
  user: Record<string, unknown>;
  facts: UserFacts;
  expiresAt: number;
  /** The user entity handed to queries, made on first use (readOnlyUser). */
  readOnly?: User;
}

/**
 * The user entity for a mutation or subscription: a fresh instance in the request's identity map, so
 * that what a resolver changes on it stays in that request and is flushed with it (no query, nothing
 * shared between requests). Without
 * the validation of values already loaded and the cascade over relations (a user has none) it costs
 * a third of a default merge.
 */
function mergedUser(hit: Entry, em: EntityManager): User {
  return em.merge(User, { ...hit.user } as EntityData<User>, { validate: false, cascade: false });
}

/**
 * The user entity for a query, which only reads it: one instance per cache entry, made once in an
 * EntityManager of its own (not the request's entity, which a mutation could change while it is
 * shared). Materialising the user in every request's EntityManager was most of what authentication
 * added to `viewer { id email }` (bench/auth).
 */
function readOnlyUser(hit: Entry, em: EntityManager): User {
  return (hit.readOnly ??= em.fork({ clear: true }).merge(User, { ...hit.user } as EntityData<User>));
}

/** When a JWT's `exp` comes before the cache's own expiry: the entry must not outlive the token. */
function jwtExpiryMs(raw: string): number {
  const payload = raw.split('.')[1];
  if (!payload) return Infinity;
  try {
    const exp = (JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { exp?: unknown }).exp;
    return typeof exp === 'number' ? exp * 1000 : Infinity;
  } catch {
    return Infinity;
  }
}

export class ViewerCache {
  private readonly entries = new Map<string, Entry>();
  private generation = 0;
  /** Cached callers of requests whose operation is not known yet; the plugin marks queries read-only. */
  private readonly operations = new WeakMap<Viewer, { readOnly: boolean }>();

  constructor(private readonly ttlMs = TTL_MS) {}

  /** `load` (authenticate) on a miss; on a hit, the cached caller with its user merged into `em`. */
  async authenticate(
    em: EntityManager,
    creds: Credentials,
    load: (em: EntityManager, creds: Credentials) => Promise<Viewer | null>,
  ): Promise<Viewer | null> {
    const raw = creds.bearer ?? creds.cookie;
    if (!raw || this.ttlMs <= 0) return load(em, creds);
    const now = Date.now();
    const hit = this.entries.get(raw);
    if (hit && hit.expiresAt > now) {
      // The checks read the cached facts. The entity, if a resolver asks for it: in a query, the
      // entry's read-only copy; otherwise a fresh instance in this request's identity map (see below).
      const operation = { readOnly: false };
      const viewer = hit.viewer.withUser(
        new LazyUser(hit.facts, () => (operation.readOnly ? readOnlyUser(hit, em) : mergedUser(hit, em))),
      );
      this.operations.set(viewer, operation);
      return viewer;
    }
    if (hit) this.entries.delete(raw);
    const generation = this.generation;
    const viewer = await load(em, creds);
    if (viewer && generation === this.generation) {
      const expiresAt = Math.min(
        now + this.ttlMs,
        raw.startsWith(API_TOKEN_PREFIX) ? apiTokenExpiryMs(em, raw) : jwtExpiryMs(raw),
      );
      if (expiresAt <= now) return viewer;
      if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value as string);
      this.entries.set(raw, {
        viewer: viewer.withUser(viewer.user),
        user: snapshot(em, viewer.user),
        facts: {
          id: viewer.user.id,
          isPlatformAdmin: viewer.user.isPlatformAdmin,
          totpEnabledAt: viewer.user.totpEnabledAt ?? null,
        },
        expiresAt,
      });
    }
    return viewer;
  }

  clear(): void {
    this.generation++;
    this.entries.clear();
  }

  /**
   * Empties the cache around every mutation (see the top of this file), and lets a query's resolvers
   * share the entry's read-only user entity. Runs before any resolver: a plugin that reads the user
   * earlier gets a merged instance, as WebSocket operations (no Apollo plugins there) always do.
   */
  plugin(): ApolloServerPlugin<Context> {
    return {
      requestDidStart: async () => ({
        didResolveOperation: async (rc) => {
          const kind = rc.operation?.operation;
          if (kind === 'mutation') this.clear();
          else if (kind === 'query' && rc.contextValue.viewer) {
            const operation = this.operations.get(rc.contextValue.viewer);
            if (operation) operation.readOnly = true;
          }
        },
        willSendResponse: async (rc) => {
          if (rc.operation?.operation === 'mutation') this.clear();
        },
      }),
    };
  }
}

/** The API token's expiry, from the row authenticate just loaded into `em` (no query); 0 (do not cache) if absent. */
function apiTokenExpiryMs(em: EntityManager, raw: string): number {
  const hash = hashApiToken(raw);
  for (const entity of em.getUnitOfWork().getIdentityMap().values()) {
    if (entity instanceof ApiToken && entity.tokenHash === hash) return entity.expiresAt?.getTime() ?? Infinity;
  }
  return 0;
}

/** The user's loaded scalar columns, to merge into another request's EntityManager. */
function snapshot(em: EntityManager, user: User): Record<string, unknown> {
  const meta = em.getMetadata().get(User.name);
  const out: Record<string, unknown> = {};
  for (const prop of meta.props) {
    if (prop.kind !== 'scalar' || prop.lazy || prop.persist === false) continue;
    const value = (user as unknown as Record<string, unknown>)[prop.name];
    if (value !== undefined) out[prop.name] = value instanceof Date ? new Date(value) : value;
  }
  return out;
}
