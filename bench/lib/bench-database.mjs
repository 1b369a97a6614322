// A throwaway PostgreSQL database for one benchmark run: its name and URL, and `admin(sql)` to run
// statements (create, drop) on the server's maintenance database. BENCH_POSTGRES_URL overrides.
import { randomBytes } from 'node:crypto';

export async function benchDatabase() {
  const pg = (await import('pg')).default;
  const adminUrl = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const dbName = `pvepaas_bench_${randomBytes(6).toString('hex')}`;
  const dbUrl = new URL(adminUrl);
  dbUrl.pathname = `/${dbName}`;
  const admin = async (sql) => {
    const c = new pg.Client({ connectionString: adminUrl });
    await c.connect();
    try {
      await c.query(sql);
    } finally {
      await c.end();
    }
  };
  return { pg, adminUrl, dbName, dbUrl, admin };
}
