import type { AlertSeverity } from '@/gql/graphql';

/**
 * The badge colour of each severity. Its own module so that the alerts list and the dashboard's firing
 * alerts card do not import the rules editor (with its forms, pickers and dialogs) to get it.
 */
export const SEVERITY_COLOR: Record<AlertSeverity, string> = { INFO: 'blue', WARNING: 'yellow', CRITICAL: 'red' };
