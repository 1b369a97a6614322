// Daily partitions of the metric tables: created ahead of the data, dropped whole for retention
// (a DROP TABLE of a day is instant, where DELETE would rewrite and vacuum millions of rows). With
// TimescaleDB the tables are hypertables instead and retention is `drop_chunks`.
import type { MetricsDb } from './db.js';

export const METRIC_TABLES = {
  raw: { table: 'metric_sample', column: 'ts' },
  '1m': { table: 'metric_rollup_1m', column: 'bucket' },
  '1h': { table: 'metric_rollup_1h', column: 'bucket' },
} as const;
export type MetricLevel = keyof typeof METRIC_TABLES;
export const METRIC_LEVELS = Object.keys(METRIC_TABLES) as MetricLevel[];

const DAY_MS = 86_400_000;

export const dayStart = (ms: number): number => Math.floor(ms / DAY_MS) * DAY_MS;
const dayName = (ms: number): string => new Date(ms).toISOString().slice(0, 10).replaceAll('-', '');

export type StorageEngine = 'partitioned' | 'timescaledb';

export async function storageEngine(db: MetricsDb): Promise<StorageEngine> {
  const { rows } = await db.query<{ partitioned: boolean }>(
    `select exists (select 1 from pg_partitioned_table p join pg_class c on c.oid = p.partrelid
       where c.relname = 'metric_sample') as partitioned`,
  );
  return rows[0]?.partitioned ? 'partitioned' : 'timescaledb';
}

/** Partitions that exist, per table, as day starts (ms). */
export async function listPartitions(db: MetricsDb, level: MetricLevel): Promise<number[]> {
  const { table } = METRIC_TABLES[level];
  const { rows } = await db.query<{ name: string }>(
    `select c.relname as name from pg_inherits i
       join pg_class c on c.oid = i.inhrelid
       join pg_class p on p.oid = i.inhparent
      where p.relname = $1`,
    [table],
  );
  return rows
    .map((r) => /_p(\d{4})(\d{2})(\d{2})$/.exec(r.name))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])))
    .sort((a, b) => a - b);
}

/**
 * Makes sure the days covering [fromMs, toMs] have a partition in every table. Idempotent and safe
 * with several workers doing it at once (a partition created by another is fine).
 */
export class PartitionKeeper {
  private readonly known = new Set<string>();
  private engine: StorageEngine | undefined;

  constructor(private readonly db: MetricsDb) {}

  /** Forgets what it created: another process may have dropped those partitions since. */
  forget(): void {
    this.known.clear();
  }

  async engineOf(): Promise<StorageEngine> {
    this.engine ??= await storageEngine(this.db);
    return this.engine;
  }

  async ensure(fromMs: number, toMs: number, levels: readonly MetricLevel[] = METRIC_LEVELS): Promise<void> {
    if ((await this.engineOf()) !== 'partitioned') return;
    for (let day = dayStart(fromMs); day <= toMs; day += DAY_MS) {
      for (const level of levels) {
        const { table } = METRIC_TABLES[level];
        const name = `${table}_p${dayName(day)}`;
        if (this.known.has(name)) continue;
        try {
          await this.db.query(
            `create table if not exists "${name}" partition of "${table}"
               for values from ('${new Date(day).toISOString()}') to ('${new Date(day + DAY_MS).toISOString()}')`,
          );
        } catch (err) {
          // Another worker created it between our check and our create.
          if (!/already exists/.test(String((err as Error).message))) throw err;
        }
        this.known.add(name);
      }
    }
  }

  /**
   * Drops the partitions of `level` whose whole day is older than `retentionMs` before `nowMs`.
   * Returns the days dropped (ms).
   */
  async dropOlderThan(level: MetricLevel, nowMs: number, retentionMs: number): Promise<number[]> {
    const { table } = METRIC_TABLES[level];
    const cutoff = nowMs - retentionMs;
    if ((await this.engineOf()) === 'timescaledb') {
      await this.db.query(`select drop_chunks('${table}', older_than => $1::timestamptz)`, [
        new Date(dayStart(cutoff)).toISOString(),
      ]);
      return [];
    }
    const dropped: number[] = [];
    for (const day of await listPartitions(this.db, level)) {
      if (day + DAY_MS > cutoff) continue;
      const name = `${table}_p${dayName(day)}`;
      await this.db.query(`drop table if exists "${name}"`);
      this.known.delete(name);
      dropped.push(day);
    }
    return dropped;
  }
}
