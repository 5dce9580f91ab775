/**
 * Next replaces the global Date with a wrapper that tells its prerenderer when the clock is read (only used with
 * `cacheComponents`, which this app does not enable). In our server process it is pure cost: every `new Date(x)`
 * goes through Reflect.construct, and the REST path makes one per timestamp column of every row (4% of its CPU on
 * a site list). Imported before Next, so the Date kept here is the engine's own.
 */
const engineDate = globalThis.Date;

/** Puts the engine's Date back once Next has loaded. Dates made meanwhile are engine Dates either way. */
export function restoreEngineDate(): void {
  if (globalThis.Date === engineDate) return;
  globalThis.Date = engineDate;
  Object.defineProperty(engineDate.prototype, 'constructor', { value: engineDate, writable: true, configurable: true });
}
