export { createConsoleBroker } from './broker.js';
export { CONNECT_WINDOW_MS, TICKET_MAX_AGE_S, TICKET_MIN_AGE_S } from './tickets.js';
export type * from './types.js';
