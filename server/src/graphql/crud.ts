import type { EntityClass, FilterQuery } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Errors } from '../errors/domain-error.js';

/** The row, or NOT_FOUND naming the entity and id. */
export async function findOr404<T extends object>(
  em: EntityManager,
  entity: EntityClass<T>,
  where: FilterQuery<T>,
  id: string,
): Promise<T> {
  const row = await em.findOne(entity, where);
  if (!row) throw Errors.notFound(entity.name, id);
  return row;
}

/** Copies the fields an update input sets (undefined = unchanged, null = cleared). */
export function applyPatch<T extends object>(target: T, patch: object): T {
  for (const [key, value] of Object.entries(patch)) {
    if (value !== undefined) (target as Record<string, unknown>)[key] = value;
  }
  return target;
}
