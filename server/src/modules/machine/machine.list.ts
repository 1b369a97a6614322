// The `machines` list, the web UI's busiest read, in hand-written SQL with plain records instead of
// entities: hydrating a page of 101 Machine entities and building its query through the ORM cost
// more CPU than the rest of the request (bench/graphql-read). The filter, the tenant scoping, the
// sort and the cursors are those the ORM version had; machine.db.test.ts checks them over HTTP.
import type { EntityManager } from '@mikro-orm/postgresql';
import type { GraphQLResolveInfo } from 'graphql';
import { Privilege } from '../../auth/privileges.js';
import type { Viewer } from '../../auth/viewer.js';
import { paginateSql, type Connection, type PageArgs } from '../../graphql/connection.js';
import type { Loaders } from '../../graphql/loaders.js';
import { condition, plainRecordMapper, type IdRef, type SqlCondition } from '../../graphql/plain-rows.js';
import { selectsPath } from '../../graphql/selection.js';
import { Project } from '../project/project.entity.js';
import { User } from '../user/user.entity.js';
import type { MachineKind } from '../template/template.entity.js';
import { Machine, type MachineStatus } from './machine.entity.js';
import { MachineSortField, type MachineFilter, type MachineOrder } from './machine.input.js';

/**
 * What GraphQL resolves a Machine from: an entity, or a plain record of the list (relations as
 * `{ id }`). Field resolvers of Machine take this, so they serve both.
 */
export interface MachineRecord {
  id: string;
  createdAt: Date;
  updatedAt: Date;
  kind: MachineKind;
  name: string;
  vmid?: number | null;
  status: MachineStatus;
  cores: number;
  memoryMiB: number;
  diskGiB: number;
  tags: string[];
  ipAddresses: string[];
  project: IdRef;
  owner: IdRef;
  cluster?: IdRef | null;
  node?: IdRef | null;
  template: IdRef;
  network?: IdRef | null;
  storage?: IdRef | null;
}

// A compile-time check that an entity is a record: the list and the single reads share resolvers.
const entityIsARecord = (m: Machine): MachineRecord => m;
void entityIsARecord;

const SORT_COLUMNS: Record<MachineSortField, string> = {
  [MachineSortField.CREATED_AT]: 'created_at',
  [MachineSortField.NAME]: 'name',
  [MachineSortField.STATUS]: 'status',
  [MachineSortField.CORES]: 'cores',
  [MachineSortField.MEMORY]: 'memory_mib',
};

const PROJECT_JOIN = 'inner join "project" as "p" on "p"."id" = "m"."project_id"';

/** Machines of the projects where the viewer holds Machine.Audit (null: all, for platform admins). */
function visibleTo(viewer: Viewer): SqlCondition | null {
  const v = viewer.visibility(Privilege.MachineAudit);
  if (v.all) return null;
  const anyOf: SqlCondition[] = [];
  if (v.organizationIds.length) anyOf.push(condition('"p"."organization_id" in (?)', v.organizationIds));
  if (v.projectIds.length) anyOf.push(condition('"m"."project_id" in (?)', v.projectIds));
  if (!anyOf.length) return condition('false');
  return condition(`(${anyOf.map((c) => c.sql).join(' or ')})`, ...anyOf.flatMap((c) => c.params));
}

function filterConditions(filter: MachineFilter | undefined): SqlCondition[] {
  const where: SqlCondition[] = [];
  if (filter?.projectId) where.push(condition('"m"."project_id" = ?', filter.projectId));
  if (filter?.status?.length) where.push(condition('"m"."status" in (?)', filter.status));
  if (filter?.kind) where.push(condition('"m"."kind" = ?', filter.kind));
  if (filter?.nameContains) {
    where.push(condition('"m"."name" ilike ?', `%${filter.nameContains.replace(/[%_\\]/g, '\\$&')}%`));
  }
  if (filter?.tag) where.push(condition('"m"."tags" @> array[?]::text[]', filter.tag));
  return where;
}

/** One page of the machines `viewer` may see, matching `filter`, in `order`; two SQL queries. */
export function listMachines(
  em: EntityManager,
  viewer: Viewer,
  filter: MachineFilter | undefined,
  order: MachineOrder,
  page: PageArgs,
): Promise<Connection<MachineRecord>> {
  const visible = visibleTo(viewer);
  const needsProject = visible?.sql.includes('"p".') ?? false;
  const toRecord = plainRecordMapper(em, Machine);
  return paginateSql<MachineRecord>(
    em,
    {
      table: 'machine',
      alias: 'm',
      joins: needsProject ? PROJECT_JOIN : undefined,
      where: [...(visible ? [visible] : []), ...filterConditions(filter)],
      sort: { column: SORT_COLUMNS[order.field], direction: order.direction, field: order.field },
      toRecord: (row) => toRecord(row) as unknown as MachineRecord,
    },
    page,
  );
}

/**
 * The page's projects and owners, one query each, when the operation asks for them: loaded before
 * graphql-js walks the rows, their field resolvers answer at once (Loaders.get) instead of with a
 * promise per row.
 */
export async function loadPageRelations(
  loaders: Loaders,
  info: GraphQLResolveInfo,
  page: Connection<MachineRecord>,
): Promise<void> {
  const nodes = page.edges.map((e) => e.node);
  await Promise.all([
    selectsPath(info, ['edges', 'node', 'project']) &&
      loaders.prime(
        Project,
        nodes.map((m) => m.project.id),
      ),
    selectsPath(info, ['edges', 'node', 'owner']) &&
      loaders.prime(
        User,
        nodes.map((m) => m.owner.id),
      ),
  ]);
}
