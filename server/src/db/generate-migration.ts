// Development tool: prints the SQL that brings a database with the committed migrations up to the
// entities (`npx tsx`-free: run through vitest's transform with `npm run db:diff -w server`).
import { openOrm } from './orm.js';
import { startEmbeddedPostgres } from './embedded-postgres.js';

const pg = await startEmbeddedPostgres();
const orm = await openOrm({ url: pg.url, poolSize: 1 });
const sql = await orm.schema.getUpdateSchemaSQL({ wrap: false, safe: false });
process.stdout.write(sql + '\n');
await orm.close();
await pg.close();
