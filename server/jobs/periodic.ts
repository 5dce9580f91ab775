// A background pass run every few seconds: passes never overlap (a manual tick waits for the running one), a failed
// pass is logged and the next one still comes, and stop waits for the pass in flight.
import { logger } from '@/server/logger';

export interface Periodic<T> { tick(): Promise<T>; stop(): Promise<void> }

export function startPeriodic<T>(options: { name: string; intervalSeconds: number; pass: () => Promise<T>; runAtStart?: boolean }): Periodic<T> {
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let chain: Promise<unknown> = Promise.resolve();
  const tick = (): Promise<T> => {
    const next = chain.then(options.pass);
    chain = next.catch(() => undefined);
    return next;
  };
  const runThenSchedule = () => {
    tick().catch((err: unknown) => logger.error({ err }, `${options.name}: a pass failed; the next one tries again`)).finally(schedule);
  };
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(runThenSchedule, options.intervalSeconds * 1000);
    timer.unref();
  };
  if (options.runAtStart) runThenSchedule();
  else schedule();
  return {
    tick,
    stop: async () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      await chain;
    },
  };
}
