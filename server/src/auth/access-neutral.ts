// Which mutations cannot change who may do what. The credential cache (viewer-cache.ts) and the live
// subscriptions' shared permission answers (live-permission.ts) are emptied around every mutation
// through the API so that a change of access holds from the next request on; a burst of provisions
// or power actions emptied them hundreds of times a second for nothing (bench/provision: every
// request after one re-loaded its caller). Listed here are the mutations that only act on machines,
// jobs, snapshots, consoles, alerts and catalogue rows: none of them writes a user, a session, a
// token, a membership, a grant or an organisation's MFA policy. The list is an allow-list on
// purpose: a mutation not named here, including every one added later, still empties the caches.
import type { OperationDefinitionNode } from 'graphql';

const ACCESS_NEUTRAL_MUTATIONS: ReadonlySet<string> = new Set([
  'provisionMachine',
  'createMachine',
  'startMachine',
  'stopMachine',
  'shutdownMachine',
  'rebootMachine',
  'suspendMachine',
  'resumeMachine',
  'resizeMachine',
  'migrateMachine',
  'createSnapshot',
  'deleteSnapshot',
  'rollbackSnapshot',
  'retryJob',
  'cancelJob',
  'openConsole',
  'acknowledgeAlert',
  'silenceAlert',
  'createAlertRule',
  'updateAlertRule',
  'deleteAlertRule',
  'createNotificationChannel',
  'updateNotificationChannel',
  'deleteNotificationChannel',
  'setNodeMaintenance',
]);

/**
 * Whether running `operation` may change a caller's access: any mutation whose root selections are
 * not all plain fields named above (a fragment or directive at the root counts as "may").
 */
export function mayChangeAccess(operation: OperationDefinitionNode | null | undefined): boolean {
  if (!operation || operation.operation !== 'mutation') return false;
  return !operation.selectionSet.selections.every(
    (s) => s.kind === 'Field' && !s.directives?.length && ACCESS_NEUTRAL_MUTATIONS.has(s.name.value),
  );
}
