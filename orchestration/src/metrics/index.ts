// The metrics package: the collector and what the server reads back.
export * from './sample.js';
export * from './db.js';
export * from './rates.js';
export * from './resources.js';
export * from './partitions.js';
export * from './store.js';
export * from './ceph.js';
export * from './backfill.js';
export * from './collector.js';
