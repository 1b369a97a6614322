import 'reflect-metadata';
import { readFile } from 'node:fs/promises';
import { GraphQLNonNull, GraphQLObjectType, lexicographicSortSchema, printSchema } from 'graphql';
import { describe, expect, it } from 'vitest';
import { Machine } from '../modules/machine/machine.entity.js';
import { createInProcessPubSub } from '../realtime/pubsub.js';
import { buildApiSchema } from './schema.js';

describe('decorator metadata under vitest (SWC transform)', () => {
  it('emits design:type for decorated properties', () => {
    expect(Reflect.getMetadata('design:type', Machine.prototype, 'name')).toBe(String);
    expect(Reflect.getMetadata('design:type', Machine.prototype, 'createdAt')).toBe(Date);
  });

  it('lets type-graphql infer field types from it', async () => {
    const schema = await buildApiSchema(createInProcessPubSub());
    const machine = schema.getType('Machine') as GraphQLObjectType;
    const name = machine.getFields().name!.type;
    expect(name).toBeInstanceOf(GraphQLNonNull);
    expect(String(name)).toBe('String!');
    expect(String(machine.getFields().createdAt!.type)).toBe('DateTimeISO!');
  });

  it('matches the committed schema/schema.graphql', async () => {
    const committed = await readFile(new URL('../../../schema/schema.graphql', import.meta.url), 'utf8');
    const built = printSchema(lexicographicSortSchema(await buildApiSchema(createInProcessPubSub())));
    expect(committed).toContain(built);
  });
});
