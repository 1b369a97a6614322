import type { EntityClass, EntityMetadata } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import DataLoader from 'dataloader';

/**
 * Per-request DataLoaders: one SQL query per entity type per tick, however many rows ask for a
 * relation. Created lazily, so a request pays only for the loaders it uses.
 *
 * A list that knows its rows need a relation loads it for the whole page up front (`prime`); its
 * rows' field resolvers then get the entities with `get`, without a promise each, so graphql-js
 * completes every row synchronously instead of waiting on one promise per row and field.
 */
export class Loaders {
  private readonly byEntity = new Map<EntityClass<unknown>, DataLoader<string, unknown>>();
  private readonly loaded = new Map<EntityClass<unknown>, Map<string, unknown>>();

  constructor(private readonly em: EntityManager) {}

  load<T extends { id: string }>(entity: EntityClass<T>, id: string): Promise<T> {
    return this.loaderFor(entity).load(id);
  }

  /** The entity, at once if this request has loaded it already, else as load() does. */
  get<T extends { id: string }>(entity: EntityClass<T>, id: string): T | Promise<T> {
    const found = this.loaded.get(entity)?.get(id) as T | undefined;
    return found ?? this.load(entity, id);
  }

  /** Loads `ids` in one batch, so that get() answers them without waiting. Missing rows are left to get(). */
  async prime<T extends { id: string }>(entity: EntityClass<T>, ids: Iterable<string>): Promise<void> {
    await this.loaderFor(entity).loadMany([...new Set(ids)]);
  }

  private loaderFor<T extends { id: string }>(entity: EntityClass<T>): DataLoader<string, T> {
    let loader = this.byEntity.get(entity) as DataLoader<string, T> | undefined;
    if (!loader) {
      const loaded = new Map<string, unknown>();
      this.loaded.set(entity, loaded);
      loader = new DataLoader<string, T>(async (ids) => {
        const rows = await findByIds(this.em, entity, ids);
        const byId = new Map(rows.map((r) => [r.id, r]));
        return ids.map((id) => {
          const row = byId.get(id);
          if (!row) return new Error(`${entity.name} ${id} not found`);
          loaded.set(id, row);
          return row;
        });
      });
      this.byEntity.set(entity, loader as DataLoader<string, unknown>);
    }
    return loader;
  }
}

/**
 * `em.find(entity, { id: { $in: ids } })` for the common case, without building the query through
 * the ORM each time (about half of a one-row find's CPU): the SELECT the ORM would send, made once
 * per entity, and `em.map` to turn rows into managed entities, as find does. Entities whose loading
 * involves more than their columns (formulas, eager relations, SQL conversions, inheritance) go
 * through em.find.
 */
async function findByIds<T extends { id: string }>(
  em: EntityManager,
  entity: EntityClass<T>,
  ids: readonly string[],
): Promise<T[]> {
  const sql = selectByIds(em, entity);
  if (!sql) return em.find(entity, { id: { $in: [...ids] } } as never);
  const rows = await em.execute<Record<string, unknown>[]>(sql, [ids]);
  return rows.map((row) => em.map(entity, row as never));
}

const selects = new WeakMap<EntityClass<unknown>, string | null>();

function selectByIds(em: EntityManager, entity: EntityClass<unknown>): string | null {
  let sql = selects.get(entity);
  if (sql === undefined) {
    sql = buildSelectByIds(em.getMetadata().get(entity), em.getPlatform());
    selects.set(entity, sql);
  }
  return sql;
}

type Platform = ReturnType<EntityManager['getPlatform']>;

function buildSelectByIds(meta: EntityMetadata, platform: Platform): string | null {
  const plain =
    meta.primaryKeys.length === 1 &&
    meta.primaryKeys[0] === 'id' &&
    !meta.virtual &&
    !meta.root.discriminatorColumn &&
    !meta.props.some(
      (p) => p.formula || p.eager || p.hasConvertToJSValueSQL || (p.primary && p.hasConvertToDatabaseValueSQL),
    );
  if (!plain) return null;
  const q = (id: string) => platform.quoteIdentifier(id);
  // As the ORM selects: every column, or, when some are lazy, the columns of the others.
  const columns = meta.props.some((p) => p.lazy)
    ? meta.props
        .filter((p) => platform.shouldHaveColumn(p, [], undefined, false, false))
        .flatMap((p) => p.fieldNames.map((f) => `${q('e0')}.${q(f)}`))
        .join(', ')
    : `${q('e0')}.*`;
  return `select ${columns} from ${q(meta.tableName)} as ${q('e0')} where ${q('e0')}.${q('id')} in (?)`;
}
