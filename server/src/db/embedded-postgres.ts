// The embedded database: real PostgreSQL compiled to WASM (PGlite), served on a loopback socket so
// that `pg`, MikroORM and pg-boss use it exactly as they use a PostgreSQL server. PGlite runs one
// query at a time: the socket server queues queries from its few connections (the ORM's and the job
// queue's), and a query on one connection waits while a transaction is open on another, so code
// must never await the other connection inside a transaction (see ARCHITECTURE.md).
import { mkdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

export interface EmbeddedPostgres {
  /** postgres://... URL for `pg`-compatible clients. */
  url: string;
  close(): Promise<void>;
}

/** Starts PGlite on 127.0.0.1 with a free port. `dataDir` keeps the data across restarts; omit it for memory. */
export async function startEmbeddedPostgres(dataDir?: string): Promise<EmbeddedPostgres> {
  if (dataDir) await mkdir(dataDir, { recursive: true });
  const db = dataDir ? new PGlite(dataDir) : new PGlite();
  await db.waitReady;
  const port = await freePort();
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port, maxConnections: 4 });
  await server.start();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    async close() {
      await server.stop();
      await db.close();
    },
  };
}

async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      srv.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
