// The backup scheduler: every interval, the due schedules of all tenants (due_backup_schedules, a narrow census the
// app role may run) each queue a backup job, audited as the system, and move on by whole periods. Several app
// replicas may run it: a schedule row is locked while it is handled and skipped by the others.
import { and, eq, lte, sql } from 'drizzle-orm';
import { type Db, withTenant } from '@/db/client';
import { backupSchedules, environments } from '@/db/schema';
import { logger } from '@/server/logger';
import { AppError } from '@/server/errors';
import { requestJob } from '@/server/services/environments';
import { startPeriodic } from './periodic';

export const SCHEDULER_ACTOR = { type: 'system', label: 'backup scheduler' } as const;

export type ScheduleOutcome = { environmentId: string; tenantId: string } & (
  | { outcome: 'queued'; jobNumber: number }
  | { outcome: 'skipped'; reason: string }
  | { outcome: 'removed'; reason: string }
  | { outcome: 'taken' }
);

/** The next run after `at`, a whole number of periods after the last planned one (a late tick does not shift the cadence). */
export function nextRunAfter(planned: Date, everyHours: number, at: Date): Date {
  const period = everyHours * 3_600_000;
  const periods = Math.max(1, Math.floor((at.getTime() - planned.getTime()) / period) + 1);
  return new Date(planned.getTime() + periods * period);
}

async function handleOne(db: Db, tenantId: string, environmentId: string, at: Date): Promise<ScheduleOutcome> {
  const ids = { tenantId, environmentId };
  return withTenant(db, tenantId, async (tx) => {
    const where = and(eq(backupSchedules.tenantId, tenantId), eq(backupSchedules.environmentId, environmentId));
    const [schedule] = await tx.select().from(backupSchedules).where(and(where, lte(backupSchedules.nextRunAt, at))).for('update', { skipLocked: true });
    if (!schedule) return { ...ids, outcome: 'taken' as const };
    const [env] = await tx.select().from(environments).where(and(eq(environments.tenantId, tenantId), eq(environments.id, environmentId)));
    if (!env || env.removedAt) {
      await tx.delete(backupSchedules).where(where);
      return { ...ids, outcome: 'removed' as const, reason: 'the environment was torn down' };
    }
    await tx.update(backupSchedules).set({ nextRunAt: nextRunAfter(schedule.nextRunAt, schedule.everyHours, at) }).where(where);
    if (env.status !== 'running') return { ...ids, outcome: 'skipped' as const, reason: `the gateway is ${env.status.replaceAll('_', ' ')}, not running` };
    if (!env.apiTokenSealed) return { ...ids, outcome: 'skipped' as const, reason: 'no gateway API token is stored' };
    try {
      const view = await requestJob(tx, env, 'backup', { actor: SCHEDULER_ACTOR, action: 'backup', params: { scheduled: true }, changes: { scheduled: true } });
      return { ...ids, outcome: 'queued' as const, jobNumber: view.latestJob!.number };
    } catch (err) {
      // Another job is active (enqueueJob's savepoint keeps this transaction usable): this run is skipped.
      if (err instanceof AppError && err.code === 'CONFLICT') return { ...ids, outcome: 'skipped' as const, reason: err.message };
      throw err;
    }
  });
}

export interface PassOptions {
  at?: Date;
  /** Only these tenants' schedules (default: all), for suites sharing a database. */
  onlyTenants?: readonly string[];
}

/** One pass: every schedule due at `at`. A failure with one schedule is logged and the others still run. */
export async function runDueBackups(db: Db, options: PassOptions = {}): Promise<ScheduleOutcome[]> {
  const at = options.at ?? new Date();
  const due = await db.execute<{ tenant_id: string; environment_id: string }>(sql`select tenant_id, environment_id from due_backup_schedules(${at.toISOString()}::timestamptz)`);
  const outcomes: ScheduleOutcome[] = [];
  for (const row of due) {
    if (options.onlyTenants && !options.onlyTenants.includes(row.tenant_id)) continue;
    try {
      const outcome = await handleOne(db, row.tenant_id, row.environment_id, at);
      outcomes.push(outcome);
      if (outcome.outcome === 'skipped' || outcome.outcome === 'removed') logger.info(outcome, `backup scheduler: ${outcome.outcome} (${outcome.reason})`);
    } catch (err) {
      logger.warn({ err, tenantId: row.tenant_id, environmentId: row.environment_id }, 'backup scheduler: queuing a scheduled backup failed; the next pass tries again');
    }
  }
  return outcomes;
}

export interface BackupScheduler { tick(): Promise<ScheduleOutcome[]>; stop(): Promise<void> }

/** Runs a pass every `intervalSeconds` until stopped (see periodic.ts). */
export function startBackupScheduler(options: { db: Db; intervalSeconds: number; onlyTenants?: readonly string[] }): BackupScheduler {
  return startPeriodic({ name: 'backup scheduler', intervalSeconds: options.intervalSeconds, pass: () => runDueBackups(options.db, { onlyTenants: options.onlyTenants }) });
}
