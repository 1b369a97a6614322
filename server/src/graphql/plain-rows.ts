// Rows read by hand-written SQL, turned into the objects GraphQL resolves fields from, without the
// ORM: no entity construction, identity map or change tracking. For hot read-only lists, where
// hydrating a page of entities cost more than the rest of the request (bench/graphql-read).
//
// The mapping is derived from the entity's metadata, so a column added to the entity appears in the
// plain records too: scalars under their property names (timestamps as Dates, custom types
// converted as the ORM converts them), and each owned to-one relation as `{ id }`, the shape of an
// unloaded entity reference, so field resolvers that read `record.project.id` work on both.
import { ReferenceKind, type EntityClass, type EntityProperty } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';

/** A to-one relation of a plain record: the related row's id. */
export interface IdRef {
  id: string;
}

export type PlainRow = Record<string, unknown>;
type Mapper = (row: PlainRow) => PlainRow;

const mappers = new WeakMap<EntityClass<unknown>, Mapper>();

/** Maps a `select <alias>.*` row of `entity`'s table to a plain record with the entity's property names. */
export function plainRecordMapper(em: EntityManager, entity: EntityClass<unknown>): Mapper {
  let mapper = mappers.get(entity);
  if (!mapper) {
    mapper = buildMapper(em, entity);
    mappers.set(entity, mapper);
  }
  return mapper;
}

function buildMapper(em: EntityManager, entity: EntityClass<unknown>): Mapper {
  const meta = em.getMetadata().get(entity);
  const platform = em.getPlatform();
  // What the mapping below does not reproduce: fail loudly (in the entity's tests) rather than
  // answer records that differ from entities.
  const unmapped = meta.props.filter(
    (p) => p.kind === ReferenceKind.EMBEDDED || p.embedded || p.lazy || p.formula || p.hasConvertToJSValueSQL,
  );
  if (unmapped.length) {
    throw new Error(
      `plainRecordMapper: ${meta.className}.${unmapped.map((p) => p.name).join(', ')} cannot be mapped from plain rows; read ${meta.className} through the ORM`,
    );
  }
  const columns = meta.props.flatMap((prop) => {
    const convert = converter(prop, platform);
    return convert ? [{ property: prop.name as string, column: prop.fieldNames[0] as string, convert }] : [];
  });
  return (row) => {
    const record: PlainRow = {};
    for (const c of columns) record[c.property] = c.convert(row[c.column]);
    return record;
  };
}

type Platform = ReturnType<EntityManager['getPlatform']>;

/** How one column's value becomes the property's, or null for properties that are not a column. */
function converter(prop: EntityProperty, platform: Platform): ((value: unknown) => unknown) | null {
  if (prop.persist === false || prop.fieldNames?.length !== 1) return null;
  if (prop.kind === ReferenceKind.MANY_TO_ONE || (prop.kind === ReferenceKind.ONE_TO_ONE && prop.owner)) {
    return (value) => (value == null ? null : { id: value as string });
  }
  if (prop.kind !== ReferenceKind.SCALAR) return null;
  // The PostgreSQL driver hands timestamps over as text; the ORM parses them with `new Date`.
  if (prop.runtimeType === 'Date') return (value) => (value == null ? value : new Date(value as string));
  const custom = prop.customType;
  if (custom) return (value) => (value == null ? value : custom.convertToJSValue(value, platform));
  return (value) => value;
}

/** A condition of a WHERE clause: SQL with `?` placeholders, and their values (arrays expand to lists). */
export interface SqlCondition {
  sql: string;
  params: unknown[];
}

export const condition = (sql: string, ...params: unknown[]): SqlCondition => ({ sql, params });

/**
 * Runs `sql` with the values inlined by the ORM's own formatter (as its queries are), on `em`'s
 * connection or transaction, logged like every ORM query.
 */
export function selectRows(em: EntityManager, sql: string, params: unknown[]): Promise<PlainRow[]> {
  return em.execute<PlainRow[]>(sql, params, 'all');
}
