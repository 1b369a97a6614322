import type { EntityManager } from '@mikro-orm/postgresql';
import type { EntityClass } from '@mikro-orm/core';
import DataLoader from 'dataloader';

/**
 * Per-request DataLoaders: one SQL query per entity type per tick, however many rows ask for a
 * relation. Created lazily, so a request pays only for the loaders it uses.
 */
export class Loaders {
  private readonly byEntity = new Map<EntityClass<unknown>, DataLoader<string, unknown>>();

  constructor(private readonly em: EntityManager) {}

  load<T extends { id: string }>(entity: EntityClass<T>, id: string): Promise<T> {
    return this.loaderFor(entity).load(id);
  }

  private loaderFor<T extends { id: string }>(entity: EntityClass<T>): DataLoader<string, T> {
    let loader = this.byEntity.get(entity) as DataLoader<string, T> | undefined;
    if (!loader) {
      loader = new DataLoader<string, T>(async (ids) => {
        const rows = await this.em.find(entity, { id: { $in: [...ids] } } as never);
        const byId = new Map(rows.map((r) => [r.id, r]));
        return ids.map((id) => byId.get(id) ?? new Error(`${entity.name} ${id} not found`));
      });
      this.byEntity.set(entity, loader as DataLoader<string, unknown>);
    }
    return loader;
  }
}
