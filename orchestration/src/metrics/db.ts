// The one thing the metrics code needs from a database: parameterised SQL. The server passes its
// ORM's pool (`sqlClientFromOrm`), a benchmark a bare `pg` client; both PostgreSQL and PGlite.
export interface MetricsDb {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<{ rows: T[] }>;
}

/** What the collector logs through (pino's shape). */
export interface MetricsLog {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
  debug(obj: object, msg?: string): void;
}
