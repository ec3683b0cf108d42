// The sync module's entry point for the app: the engine that drains the outbox. The controller
// that adapts it to the shell lives on the shell's side (electron/services/engine-controller.ts).
// Codec and transport are imported from their own folders.
export { createSyncEngine } from './engine';
export type * from './engine/types';
export { createStoreMessageBuilder, MessageBuildError, SYNC_ACTOR } from './engine/store-messages';
export { AttemptWindow, DEFAULT_BACKOFF, backoffCeilingMs, retryDelayMs } from './engine/backoff';
export { decide, registryMessages, type Decision } from './engine/outcome';
