/** The reconciler: desired environments against the Docker engine, with drift, orphans and repairs reported. */
export { Reconciler, type ReconcilerOptions } from './reconciler';
export { WATCHED_ACTIONS } from './events';
export type * from './types';
