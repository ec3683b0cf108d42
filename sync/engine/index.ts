// The sync engine: the loop that drains the outbox (create-engine.ts) and the types it shares
// with the app that drives it.
export { createSyncEngine } from './create-engine';
export type * from './types';
