// The gateway's life: COMMISSIONING until the EULA and an admin password are given, then STARTING, then
// RUNNING after a delay. State changes are logged; persistent facts come from the store.
import { info } from './log.mjs';

/**
 * @param {{ store, version: string, edition: string, maxHeapMb: number, startupDelayMs: number,
 *   defaultName: string }} options
 */
export function createGateway({ store, version, edition, maxHeapMb, startupDelayMs, defaultName }) {
  let state = 'COMMISSIONING';
  let timer;

  function setState(next, why) {
    if (next === state) return;
    info('gateway', `state ${state} -> ${next}${why ? ` (${why})` : ''}`);
    state = next;
  }

  return {
    store,
    version,
    edition,
    maxHeapMb,
    get state() {
      return state;
    },
    get gatewayName() {
      return store.readState().gatewayName ?? defaultName;
    },
    /** STARTING now, RUNNING once the configured delay has passed (also used to restart after a restore). */
    start(why) {
      clearTimeout(timer);
      setState('STARTING', why);
      timer = setTimeout(() => setState('RUNNING', `started in ${startupDelayMs}ms`), startupDelayMs);
    },
    stop() {
      clearTimeout(timer);
      setState('STOPPING', 'shutdown requested');
    },
  };
}
