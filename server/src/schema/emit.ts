// Writes schema/schema.graphql from the resolver classes (`npm run gen:schema`). The file is
// committed; `npm run check:schema` regenerates it and fails on any difference.
import 'reflect-metadata';
import { writeFile } from 'node:fs/promises';
import { lexicographicSortSchema, printSchema } from 'graphql';
import { buildApiSchema } from '../graphql/schema.js';
import { createInProcessPubSub } from '../realtime/pubsub.js';

const target = process.argv[2] ?? new URL('../../../schema/schema.graphql', import.meta.url).pathname;
const schema = lexicographicSortSchema(await buildApiSchema(createInProcessPubSub()));
await writeFile(
  target,
  `# Generated from the server's type-graphql classes by \`npm run gen:schema\`. Do not edit.\n\n${printSchema(schema)}\n`,
);
