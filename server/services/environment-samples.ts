// CPU and memory samples of an environment's containers: written by the sampler (server/jobs/sampler), read by the
// console's charts. Kept per environment within a bounded window (SampleRetention).
import { and, asc, desc, eq, lt, lte, sql } from 'drizzle-orm';
import { withTenant, type Db, type Tx } from '@/db/client';
import { environmentSamples } from '@/db/schema';
import { config } from '@/server/config';
import type { StatsSample } from '@/server/runtime';
import { findEnvironment } from './environments';

/** Both limits apply: a sample goes once it is older than maxAgeMs or no longer among the newest maxSamples. */
export interface SampleRetention { maxSamples: number; maxAgeMs: number }
export const DEFAULT_RETENTION: SampleRetention = { maxSamples: 360, maxAgeMs: 60 * 60 * 1000 };

interface Ref { tenantId: string; siteId: string; name: string }

export interface SamplePoint { sampledAt: Date; cpuPercent: number; memoryBytes: number }

export interface SampleSeries {
  /** Oldest first, newest last. */
  samples: SamplePoint[];
  /** The memory limit of the newest sample (null without samples). */
  memoryLimitBytes: number | null;
  intervalSeconds: number;
  retention: SampleRetention;
  /** Why the series is empty, for a person; null when it has samples. */
  note: string | null;
}

/** Records one sample of the environment (summed over its running containers) and prunes its series. */
export async function recordSample(db: Db, args: { tenantId: string; environmentId: string; sample: StatsSample; retention?: SampleRetention }): Promise<void> {
  const { tenantId, environmentId, sample } = args;
  await withTenant(db, tenantId, async (tx) => {
    await tx.insert(environmentSamples).values({
      tenantId, environmentId, sampledAt: sample.sampledAt, cpuPercent: sample.cpuPercent, memoryBytes: sample.memoryUsedBytes, memoryLimitBytes: sample.memoryLimitBytes,
    });
    await pruneSamples(tx, { tenantId, environmentId, retention: args.retention ?? DEFAULT_RETENTION, now: sample.sampledAt });
  });
}

/**
 * Deletes the environment's samples beyond the retention; without environmentId, only the age limit over the
 * whole tenant (series of environments no longer sampled). Answers how many went.
 */
export async function pruneSamples(tx: Tx, args: { tenantId: string; environmentId?: string; retention: SampleRetention; now?: Date }): Promise<number> {
  const { tenantId, environmentId, retention } = args;
  const cutoff = new Date((args.now ?? new Date()).getTime() - retention.maxAgeMs);
  const scope = environmentId ? and(eq(environmentSamples.tenantId, tenantId), eq(environmentSamples.environmentId, environmentId)) : eq(environmentSamples.tenantId, tenantId);
  const old = await tx.delete(environmentSamples).where(and(scope, lt(environmentSamples.sampledAt, cutoff))).returning({ id: environmentSamples.id });
  if (!environmentId) return old.length;
  // Ids grow with insertion, and the sampler inserts an environment's samples one tick after another.
  const [boundary] = await tx.select({ id: environmentSamples.id }).from(environmentSamples).where(scope)
    .orderBy(desc(environmentSamples.id)).offset(retention.maxSamples).limit(1);
  if (!boundary) return old.length;
  const extra = await tx.delete(environmentSamples).where(and(scope, lte(environmentSamples.id, boundary.id))).returning({ id: environmentSamples.id });
  return old.length + extra.length;
}

/** The environment's series, newest last; empty (with a note) when nothing was sampled, never an error. */
export async function environmentSampleSeries(db: Db, ref: Ref, retention: SampleRetention = DEFAULT_RETENTION): Promise<SampleSeries> {
  return withTenant(db, ref.tenantId, async (tx) => {
    const env = await findEnvironment(tx, ref);
    const rows = await tx.select().from(environmentSamples)
      .where(and(eq(environmentSamples.tenantId, ref.tenantId), eq(environmentSamples.environmentId, env.id), sql`${environmentSamples.sampledAt} >= now() - ${`${retention.maxAgeMs} milliseconds`}::interval`))
      .orderBy(asc(environmentSamples.sampledAt), asc(environmentSamples.id));
    const recent = rows.slice(-retention.maxSamples);
    const newest = recent.at(-1);
    const { SWITCHYARD_SAMPLER: on, SWITCHYARD_SAMPLE_SECONDS: intervalSeconds } = config();
    const note = newest ? null
      : env.removedAt ? 'The environment was torn down; it has no samples.'
        : !on ? 'The stats sampler is turned off (SWITCHYARD_SAMPLER=false), so nothing is sampled.'
          : `No samples yet: they are taken every ${intervalSeconds} s while the gateway's container runs.`;
    return {
      samples: recent.map((r) => ({ sampledAt: r.sampledAt, cpuPercent: r.cpuPercent, memoryBytes: r.memoryBytes })),
      memoryLimitBytes: newest?.memoryLimitBytes ?? null, intervalSeconds, retention, note,
    };
  });
}
