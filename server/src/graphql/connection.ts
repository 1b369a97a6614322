// Relay connections with keyset pagination: the cursor holds the sort key and the id of the last
// row, so inserting rows while a client pages never duplicates or skips a row that was there.
import type { EntityClass, FilterQuery } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Max, Min } from 'class-validator';
import { ArgsType, Field, Int, ObjectType, type ClassType } from 'type-graphql';
import { Errors } from '../errors/domain-error.js';
import { selectRows, type PlainRow, type SqlCondition } from './plain-rows.js';

@ObjectType({ simpleResolvers: true })
export class PageInfo {
  @Field()
  hasNextPage!: boolean;

  @Field(() => String, { nullable: true })
  endCursor!: string | null;
}

@ArgsType()
export class PageArgs {
  @Field(() => Int, { defaultValue: 20, description: 'Page size, 1 to 100.' })
  @Min(1)
  @Max(100)
  first: number = 20;

  @Field(() => String, { nullable: true, description: 'The endCursor of the previous page.' })
  after?: string | null;
}

export interface Edge<T> {
  cursor: string;
  node: T;
}
export interface Connection<T> {
  edges: Edge<T>[];
  pageInfo: PageInfo;
  totalCount: number;
}

/** Declares `<Name>Connection` and `<Name>Edge` GraphQL types for a node type. */
export function ConnectionType<T extends object>(nodeType: ClassType<T>, name: string) {
  @ObjectType(`${name}Edge`, { simpleResolvers: true })
  class EdgeType {
    @Field()
    cursor!: string;

    @Field(() => nodeType)
    node!: T;
  }

  @ObjectType(`${name}Connection`, { simpleResolvers: true })
  class ConnectionClass {
    @Field(() => [EdgeType])
    edges!: EdgeType[];

    @Field(() => PageInfo)
    pageInfo!: PageInfo;

    @Field(() => Int, { description: 'Rows matching the filter, on all pages.' })
    totalCount!: number;
  }
  return ConnectionClass;
}

export interface SortKey<T> {
  /** Entity property the rows are ordered by (the id breaks ties). */
  field: keyof T & string;
  direction: 'ASC' | 'DESC';
}

type CursorValue = string | number | boolean | null;

function encodeCursor(value: unknown, id: string): string {
  const v: CursorValue | { d: string } = value instanceof Date ? { d: value.toISOString() } : (value as CursorValue);
  return Buffer.from(JSON.stringify([v, id])).toString('base64url');
}

function decodeCursor(cursor: string): [unknown, string] {
  try {
    const [v, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [unknown, unknown];
    if (typeof id !== 'string') throw new Error('bad id');
    const value = v && typeof v === 'object' && 'd' in v ? new Date(String((v as { d: string }).d)) : v;
    return [value, id];
  } catch {
    throw Errors.invalid('after', 'is not a cursor this API returned; pass pageInfo.endCursor of the previous page');
  }
}

/** One page of `entity` rows matching `where`, ordered by `sort` then id. Two SQL queries. */
export async function paginate<T extends { id: string }>(
  em: EntityManager,
  entity: EntityClass<T>,
  where: FilterQuery<T>,
  sort: SortKey<T>,
  args: PageArgs,
): Promise<Connection<T>> {
  const op = sort.direction === 'ASC' ? '$gt' : '$lt';
  let pageWhere = where;
  if (args.after) {
    const [value, id] = decodeCursor(args.after);
    const keyset = { $or: [{ [sort.field]: { [op]: value } }, { [sort.field]: value, id: { [op]: id } }] };
    pageWhere = { $and: [where, keyset] } as FilterQuery<T>;
  }
  const [rows, totalCount] = await Promise.all([
    em.find(entity, pageWhere, {
      orderBy: { [sort.field]: sort.direction, id: sort.direction } as never,
      limit: args.first + 1,
    }),
    em.count(entity, where),
  ]);
  const page = rows.slice(0, args.first);
  const edges = page.map((node) => ({ node, cursor: encodeCursor(node[sort.field], node.id) }));
  return {
    edges,
    totalCount,
    pageInfo: { hasNextPage: rows.length > args.first, endCursor: edges.at(-1)?.cursor ?? null },
  };
}

/** A list read by hand-written SQL: what paginateSql needs to know about the table and the sort. */
export interface SqlList<R> {
  /** The table and its alias in the SQL, e.g. `machine` and `m`. */
  table: string;
  alias: string;
  /** Joins after the table, e.g. `inner join "project" as "p" on "p"."id" = "m"."project_id"`. */
  joins?: string;
  /** Conditions every row on every page meets (the page's keyset is added to them). */
  where: SqlCondition[];
  /** The sort column (the id column breaks ties), and the record property a cursor takes it from. */
  sort: { column: string; direction: 'ASC' | 'DESC'; field: keyof R & string };
  /** Turns a `select <table>.*` row into the record GraphQL resolves. */
  toRecord: (row: PlainRow) => R;
}

/**
 * paginate() in hand-written SQL, for hot lists: the same keyset and cursors, the page and the
 * count as two queries in parallel, rows as plain records (see plain-rows.ts) rather than entities.
 */
export async function paginateSql<R extends { id: string }>(
  em: EntityManager,
  list: SqlList<R>,
  args: PageArgs,
): Promise<Connection<R>> {
  const { direction, field } = list.sort;
  const column = `"${list.alias}"."${list.sort.column}"`;
  const idColumn = `"${list.alias}"."id"`;
  const from = `"${list.table}" as "${list.alias}"${list.joins ? ` ${list.joins}` : ''}`;
  const dir = direction === 'DESC' ? 'desc' : 'asc';
  const where = [...list.where];
  if (args.after) {
    const [value, id] = decodeCursor(args.after);
    const op = dir === 'asc' ? '>' : '<';
    where.push({
      sql: `(${column} ${op} ? or (${column} = ? and ${idColumn} ${op} ?))`,
      params: [value, value, id],
    });
  }
  const clause = (conditions: SqlCondition[]) =>
    conditions.length ? ` where ${conditions.map((c) => c.sql).join(' and ')}` : '';
  const params = (conditions: SqlCondition[]) => conditions.flatMap((c) => c.params);
  const [rows, count] = await Promise.all([
    selectRows(
      em,
      `select "${list.alias}".* from ${from}${clause(where)} order by ${column} ${dir}, ${idColumn} ${dir} limit ?`,
      [...params(where), args.first + 1],
    ),
    selectRows(em, `select count(*) as "count" from ${from}${clause(list.where)}`, params(list.where)),
  ]);
  const page = rows.slice(0, args.first).map(list.toRecord);
  const edges = page.map((node) => ({ node, cursor: encodeCursor(node[field], node.id) }));
  return {
    edges,
    totalCount: Number(count[0]?.count ?? 0),
    pageInfo: { hasNextPage: rows.length > args.first, endCursor: edges.at(-1)?.cursor ?? null },
  };
}
