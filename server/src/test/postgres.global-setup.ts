// Runs once before the PostgreSQL half of the database tests: makes sure a server answers, starting
// the machine's cluster when it is installed but stopped, and says loudly why when it cannot.
import { execFileSync } from 'node:child_process';
import pg from 'pg';
import type { TestProject } from 'vitest/node';

export const adminUrl = () => process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

async function reachable(): Promise<string | null> {
  const client = new pg.Client({ connectionString: adminUrl(), connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('select 1');
    return null;
  } catch (err) {
    return (err as Error).message;
  } finally {
    await client.end().catch(() => undefined);
  }
}

function tryStartLocalCluster(): void {
  try {
    const versions = execFileSync('ls', ['/etc/postgresql'], { encoding: 'utf8' }).trim().split('\n');
    for (const v of versions)
      execFileSync('pg_ctlcluster', ['--skip-systemctl-redirect', v, 'main', 'start'], { stdio: 'ignore' });
  } catch {
    // Not installed here; the banner below explains.
  }
}

export default async function setup(project: TestProject): Promise<void> {
  let problem = await reachable();
  if (problem) {
    tryStartLocalCluster();
    await new Promise((r) => setTimeout(r, 2000));
    problem = await reachable();
  }
  if (problem) {
    const line = '='.repeat(100);
    console.error(
      `\n${line}\nPOSTGRESQL TESTS DID NOT RUN: cannot reach ${adminUrl()} (${problem}).\n` +
        `Start PostgreSQL 15+ there (trust auth for user postgres) or set TEST_POSTGRES_URL. The PGlite half still runs.\n${line}\n`,
    );
  }
  project.provide('postgresUnavailable', problem ?? '');
}

declare module 'vitest' {
  export interface ProvidedContext {
    postgresUnavailable: string;
  }
}
