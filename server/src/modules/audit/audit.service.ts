// The audit log's writer and verifier. Rows form a hash chain: each row's hash is SHA-256 over the
// previous row's hash and the row's canonical content (id included), so editing a row breaks its
// own hash and removing one breaks the next row's link. Appends are serialised with a
// transaction-scoped advisory lock, so concurrent writers keep the chain linear.
//
// What a chain without a key cannot show: someone with write access who recomputes every later
// hash, or who removes the newest rows. `verifyAuditLog` returns the head hash so an operator can
// anchor it elsewhere (a ticket, a log shipper) and compare later.
import { createHash } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { MikroORM } from '@mikro-orm/postgresql';
import { AuditLog } from './audit-log.entity.js';

export const GENESIS_HASH = '0'.repeat(64);
/** Any constant shared by every writer: the key of the advisory lock that serialises appends. */
const AUDIT_LOCK_KEY = 7_305_551_001;

export type AuditResult = 'success' | 'failure' | 'denied';

export interface AuditEntry {
  action: string;
  result: AuditResult;
  actorId?: string | null;
  organizationId?: string | null;
  targetType?: string | null;
  targetId?: string | null;
  ip?: string | null;
  userAgent?: string | null;
  details?: Record<string, unknown>;
}

/** Names whose values never reach the log, at any depth of the details. */
// `code` and `recoveryCode`: second-factor codes (auth/mfa.resolver.ts); a recovery code is a credential.
const SECRET_NAME = /pass(word)?|token|secret|credential|private.?key|authorization|cookie|^code$|recovery.?codes?/i;
export const isSecretName = (name: string): boolean => SECRET_NAME.test(name);
const MAX_STRING = 200;
const MAX_ITEMS = 50;
const MAX_DEPTH = 5;

/**
 * JSON-safe, bounded, secret-free copy of `value`: secrets redacted by name, long strings cut,
 * numbers that jsonb would not give back identically turned into strings.
 */
export function redact(value: unknown, depth = 0): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') {
    const clean = (value as string & { toWellFormed(): string }).toWellFormed().replaceAll('\u0000', '');
    return clean.length > MAX_STRING ? `${clean.slice(0, MAX_STRING)}…` : clean;
  }
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isSafeInteger(value) ? value : String(value);
  if (depth >= MAX_DEPTH) return '[nested]';
  if (Array.isArray(value)) return value.slice(0, MAX_ITEMS).map((v) => redact(v, depth + 1));
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>).slice(0, MAX_ITEMS)) {
      out[k] = SECRET_NAME.test(k) ? '[redacted]' : redact(v, depth + 1);
    }
    return out;
  }
  return String(value);
}

/** JSON with object keys sorted at every level: the form jsonb's key reordering cannot change. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const keys = Object.keys(value as object).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

interface HashedContent {
  id: string;
  at: Date;
  actorId: string | null;
  organizationId: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  result: string;
  ip: string | null;
  userAgent: string | null;
  details: Record<string, unknown>;
}

export function rowHash(prevHash: string, row: HashedContent): string {
  const content = canonicalJson({
    id: String(row.id),
    at: row.at.toISOString(),
    actorId: row.actorId,
    organizationId: row.organizationId,
    action: row.action,
    targetType: row.targetType,
    targetId: row.targetId,
    result: row.result,
    ip: row.ip,
    userAgent: row.userAgent,
    details: row.details,
  });
  return createHash('sha256').update(prevHash).update('\n').update(content).digest('hex');
}

const cut = (s: string | null | undefined, n: number): string | null => (s == null ? null : s.slice(0, n));
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const uuidOrNull = (s: string | null | undefined): string | null => (s && UUID.test(s) ? s.toLowerCase() : null);

/** Appends entries, in order, to the chain. One transaction; waits for concurrent appends. */
export async function appendAudit(em: EntityManager, entries: AuditEntry[]): Promise<AuditLog[]> {
  if (!entries.length) return [];
  return em.fork().transactional(async (tx) => {
    const conn = tx.getConnection();
    const ctx = tx.getTransactionContext();
    // The lock in a statement of its own: under READ COMMITTED a statement's snapshot is taken when
    // it starts, so only a statement begun after the lock is held sees the previous append's row.
    await conn.execute(`select pg_advisory_xact_lock(${AUDIT_LOCK_KEY})`, [], 'all', ctx);
    // The head, and an id per entry reserved under the lock, so id order is chain order.
    const head = await conn.execute<{ hash: string | null; ids: string[] }[]>(
      `select (select hash from audit_log order by id desc limit 1) as hash,
              array(select nextval('audit_log_id_seq')::text from generate_series(1, ${Number(entries.length)})) as ids`,
      [],
      'all',
      ctx,
    );
    let prevHash = head[0]?.hash ?? GENESIS_HASH;
    const ids = head[0]!.ids;
    const rows: AuditLog[] = [];
    for (const [i, entry] of entries.entries()) {
      const id = ids[i]!;
      // Millisecond precision, as the column stores it, so the hash recomputes from the stored row.
      const at = new Date();
      const content: HashedContent = {
        id: String(id),
        at,
        actorId: uuidOrNull(entry.actorId),
        organizationId: uuidOrNull(entry.organizationId),
        action: cut(entry.action, 80) ?? '',
        targetType: cut(entry.targetType, 40),
        targetId: cut(entry.targetId, 80),
        result: entry.result,
        ip: cut(entry.ip, 64),
        userAgent: cut(entry.userAgent, 300),
        details: (redact(entry.details ?? {}) as Record<string, unknown>) ?? {},
      };
      const hash = rowHash(prevHash, content);
      rows.push(tx.create(AuditLog, { ...content, prevHash, hash }));
      prevHash = hash;
    }
    await tx.flush();
    return rows;
  });
}

export interface AuditVerification {
  valid: boolean;
  checkedRows: number;
  /** The first row whose hash or link does not hold, or null. */
  firstBrokenId: string | null;
  reason: string | null;
  /** The newest row's hash: anchor it elsewhere to detect later truncation or rewriting. */
  headHash: string;
}

interface StoredRow {
  id: string;
  at_ms: string;
  actor_id: string | null;
  organization_id: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  result: string;
  ip: string | null;
  user_agent: string | null;
  details: Record<string, unknown> | string;
  prev_hash: string;
  hash: string;
}

/** Walks the whole chain in id order, in pages, recomputing every hash. */
export async function verifyAuditLog(orm: MikroORM | EntityManager, pageSize = 1000): Promise<AuditVerification> {
  const conn = ('em' in orm ? orm.em : orm).fork().getConnection();
  let expectedPrev = GENESIS_HASH;
  let checked = 0;
  let after = '0';
  for (;;) {
    const rows = await conn.execute<StoredRow[]>(
      `select id::text as id, (extract(epoch from at) * 1000)::bigint::text as at_ms, actor_id::text as actor_id, organization_id::text as organization_id, action, target_type,
              target_id, result, ip, user_agent, details, prev_hash, hash
         from audit_log where audit_log.id > ? order by audit_log.id limit ?`,
      [after, pageSize],
    );
    for (const row of rows) {
      const broken = (reason: string): AuditVerification => ({
        valid: false,
        checkedRows: checked,
        firstBrokenId: String(row.id),
        reason,
        headHash: expectedPrev,
      });
      if (row.prev_hash !== expectedPrev) {
        return broken(
          expectedPrev === GENESIS_HASH && checked === 0
            ? 'the first row does not start the chain: earlier rows were removed'
            : 'the row does not link to the row before it: a row was removed or its link edited',
        );
      }
      const details =
        typeof row.details === 'string' ? (JSON.parse(row.details) as Record<string, unknown>) : row.details;
      const recomputed = rowHash(row.prev_hash, {
        id: String(row.id),
        at: new Date(Number(row.at_ms)),
        actorId: row.actor_id,
        organizationId: row.organization_id,
        action: row.action,
        targetType: row.target_type,
        targetId: row.target_id,
        result: row.result,
        ip: row.ip,
        userAgent: row.user_agent,
        details,
      });
      if (recomputed !== row.hash) return broken("the row's content does not match its hash: it was edited");
      expectedPrev = row.hash;
      checked++;
      after = String(row.id);
    }
    if (rows.length < pageSize) break;
  }
  return { valid: true, checkedRows: checked, firstBrokenId: null, reason: null, headHash: expectedPrev };
}
