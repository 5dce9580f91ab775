// Gateway backups in the artifact store: each environment has a backup artifact (kind backup, on its site), filled
// by "back up now", the teardown's final backup and a schedule, and pruned by the schedule's retention. The bytes
// go through the one upload pipeline (uploadVersion); garbage collection frees them after a version is pruned.
import type { Readable } from 'node:stream';
import { and, desc, eq, exists, sql } from 'drizzle-orm';
import { type Db, type Tx, withTenant } from '@/db/client';
import { artifactDeployments, artifacts, artifactVersions, backupSchedules, type BackupSchedule, type Environment } from '@/db/schema';
import { ARTIFACT_CONTENT_TYPES } from '@/lib/artifacts/kinds';
import { actorLabel, type Who } from '@/server/context';
import { AppError } from '@/server/errors';
import type { ObjectStore } from '@/server/storage';
import type { ArtifactScope } from './artifacts-access';
import { uploadVersion, type Uploader } from './artifacts-upload';
import { recordAudit } from './audit';
import { assertLive, findEnvironment } from './environments';
import { logger } from '@/server/logger';

interface Ref { tenantId: string; siteId: string; name: string }

export const RETENTION_ACTOR = { type: 'system', label: 'backup retention' } as const;
export const SCHEDULE_LIMITS = { everyHours: [1, 168], keepLast: [1, 1000], keepDays: [1, 3650] } as const;

/** `<site slug>-<environment>-backups`, from the names frozen at creation (a renamed site keeps its artifact). */
export function backupArtifactName(env: Pick<Environment, 'runtimeSite' | 'name'>): string {
  return `${env.runtimeSite}-${env.name}-backups`;
}

/** What a backup job may do in the store: write the environment's own site's artifacts, nothing else. */
function jobScope(env: Pick<Environment, 'tenantId' | 'siteId'>): ArtifactScope {
  const permissions = new Set(['artifact:read', 'artifact:write'] as const);
  return { tenantId: env.tenantId, access: { tenantPermissions: new Set(), sitePermissions: new Map([[env.siteId, permissions]]) } };
}

export interface StoredBackup { artifactId: string; artifactName: string; versionId: string; number: number; sizeBytes: number; created: boolean; pruned: number[] }

/** Streams a .gwbk into the environment's backup artifact as a new version, then applies the schedule's retention. */
export async function storeBackup(db: Db, store: ObjectStore, env: Environment, who: Uploader, body: Readable, opts: { note?: string } = {}): Promise<StoredBackup> {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const { version, artifact, created } = await uploadVersion(db, store, jobScope(env), who, {
    name: backupArtifactName(env), kind: 'backup', siteId: env.siteId, filename: `${env.name}-${stamp}.gwbk`, contentType: ARTIFACT_CONTENT_TYPES.backup,
    source: { text: `gateway backup of environment "${env.name}"` }, notes: opts.note ?? '',
  }, body);
  // The backup is stored whatever retention does; a failed prune is retried after the next backup.
  const pruned = await applyRetention(db, { tenantId: env.tenantId, environmentId: env.id, artifactId: artifact.id }).catch((err: unknown) => {
    logger.error({ err, environmentId: env.id }, 'backup stored, but applying retention failed');
    return [] as number[];
  });
  return { artifactId: artifact.id, artifactName: artifact.name, versionId: version.id, number: version.number, sizeBytes: version.sizeBytes, created, pruned };
}

/**
 * Deletes the backup versions the environment's schedule no longer keeps: beyond the newest keepLast, or older than
 * keepDays. A version deployed somewhere is never pruned. Audited as the system; returns the pruned numbers.
 */
export async function applyRetention(db: Db, args: { tenantId: string; environmentId: string; artifactId: string; now?: Date }): Promise<number[]> {
  return withTenant(db, args.tenantId, async (tx) => {
    const [schedule] = await tx.select().from(backupSchedules)
      .where(and(eq(backupSchedules.tenantId, args.tenantId), eq(backupSchedules.environmentId, args.environmentId)));
    if (!schedule || (schedule.keepLast === null && schedule.keepDays === null)) return [];
    const deployed = exists(tx.select({ one: sql`1` }).from(artifactDeployments)
      .where(and(eq(artifactDeployments.tenantId, args.tenantId), eq(artifactDeployments.versionId, artifactVersions.id))));
    const versions = await tx.select({ id: artifactVersions.id, number: artifactVersions.number, sha256: artifactVersions.sha256, createdAt: artifactVersions.createdAt, deployed: sql<boolean>`${deployed}` })
      .from(artifactVersions).where(and(eq(artifactVersions.tenantId, args.tenantId), eq(artifactVersions.artifactId, args.artifactId)))
      .orderBy(desc(artifactVersions.number)).for('update');
    const cutoff = schedule.keepDays === null ? null : (args.now ?? new Date()).getTime() - schedule.keepDays * 86_400_000;
    const doomed = versions.filter((v, index) => !v.deployed
      && ((schedule.keepLast !== null && index >= schedule.keepLast) || (cutoff !== null && v.createdAt.getTime() < cutoff)));
    const [artifact] = await tx.select({ name: artifacts.name }).from(artifacts).where(and(eq(artifacts.tenantId, args.tenantId), eq(artifacts.id, args.artifactId)));
    const rule = [schedule.keepLast !== null ? `keep the last ${schedule.keepLast}` : null, schedule.keepDays !== null ? `keep ${schedule.keepDays} days` : null].filter(Boolean).join(', ');
    for (const v of doomed) {
      await tx.delete(artifactVersions).where(and(eq(artifactVersions.tenantId, args.tenantId), eq(artifactVersions.id, v.id)));
      await recordAudit(tx, {
        tenantId: args.tenantId, actor: RETENTION_ACTOR, action: 'artifact.delete_version', resourceType: 'artifact_version', resourceId: v.id,
        changes: { artifact: artifact?.name, number: v.number, sha256: v.sha256, reason: `retention: ${rule}` },
      });
    }
    return doomed.map((v) => v.number).sort((x, y) => x - y);
  });
}

export interface BackupList { artifactId: string | null; artifactName: string; versions: { id: string; number: number; sizeBytes: number; filename: string; metadata: unknown; uploadedBy: string; createdAt: Date; deployed: boolean }[] }

/** The versions of the environment's backup artifact, newest first (none before its first backup). */
export async function listBackups(db: Db, ref: Ref): Promise<BackupList> {
  return withTenant(db, ref.tenantId, async (tx) => {
    const env = await findEnvironment(tx, ref);
    const name = backupArtifactName(env);
    const [artifact] = await tx.select().from(artifacts)
      .where(and(eq(artifacts.tenantId, ref.tenantId), eq(artifacts.name, name), eq(artifacts.siteId, env.siteId), eq(artifacts.kind, 'backup')));
    if (!artifact) return { artifactId: null, artifactName: name, versions: [] };
    const deployed = exists(tx.select({ one: sql`1` }).from(artifactDeployments)
      .where(and(eq(artifactDeployments.tenantId, ref.tenantId), eq(artifactDeployments.versionId, artifactVersions.id))));
    const versions = await tx.select({
      id: artifactVersions.id, number: artifactVersions.number, sizeBytes: artifactVersions.sizeBytes, filename: artifactVersions.filename,
      metadata: artifactVersions.metadata, uploadedBy: artifactVersions.uploadedBy, createdAt: artifactVersions.createdAt, deployed: sql<boolean>`${deployed}`,
    }).from(artifactVersions).where(and(eq(artifactVersions.tenantId, ref.tenantId), eq(artifactVersions.artifactId, artifact.id)))
      .orderBy(desc(artifactVersions.number)).limit(200);
    return { artifactId: artifact.id, artifactName: name, versions };
  });
}

export async function getBackupSchedule(db: Db, ref: Ref): Promise<BackupSchedule | null> {
  return withTenant(db, ref.tenantId, async (tx) => {
    const env = await findEnvironment(tx, ref);
    return (await scheduleOf(tx, env)) ?? null;
  });
}

async function scheduleOf(tx: Tx, env: Environment) {
  const [row] = await tx.select().from(backupSchedules).where(and(eq(backupSchedules.tenantId, env.tenantId), eq(backupSchedules.environmentId, env.id)));
  return row;
}

export interface ScheduleInput { everyHours?: number; keepLast?: number | null; keepDays?: number | null; remove?: boolean }

function checkSchedule(input: ScheduleInput): { everyHours: number; keepLast: number | null; keepDays: number | null } {
  const inRange = (field: keyof typeof SCHEDULE_LIMITS, value: number | null | undefined) => {
    const [low, high] = SCHEDULE_LIMITS[field];
    if (value !== null && value !== undefined && (!Number.isInteger(value) || value < low || value > high)) {
      throw new AppError('BAD_REQUEST', `${field} is a whole number from ${low} to ${high}.`, field);
    }
  };
  if (input.everyHours === undefined) throw new AppError('BAD_REQUEST', 'everyHours is how often to back up (1 to 168 hours); or send remove: true.', 'everyHours');
  inRange('everyHours', input.everyHours);
  inRange('keepLast', input.keepLast);
  inRange('keepDays', input.keepDays);
  if ((input.keepLast ?? null) === null && (input.keepDays ?? null) === null) {
    throw new AppError('BAD_REQUEST', 'Say how long backups are kept: keepLast (the newest N), keepDays (N days), or both.', 'keepLast');
  }
  return { everyHours: input.everyHours, keepLast: input.keepLast ?? null, keepDays: input.keepDays ?? null };
}

/** Creates, changes or removes the environment's schedule; the first run is one period from now (or kept when only retention changes). */
export async function setBackupSchedule(db: Db, args: Ref & Who & ScheduleInput): Promise<BackupSchedule | null> {
  const wanted = args.remove ? null : checkSchedule(args);
  return withTenant(db, args.tenantId, async (tx) => {
    const env = await findEnvironment(tx, args);
    assertLive(env, 'a backup schedule');
    const current = await scheduleOf(tx, env);
    const where = and(eq(backupSchedules.tenantId, env.tenantId), eq(backupSchedules.environmentId, env.id));
    let row: BackupSchedule | null = null;
    if (!wanted) {
      if (!current) return null;
      await tx.delete(backupSchedules).where(where);
    } else {
      if (!env.apiTokenSealed) throw new AppError('PRECONDITION_FAILED', `Environment "${env.name}" has no gateway API token, which backups need. Create the environment with apiToken set.`);
      const nextRunAt = current && current.everyHours === wanted.everyHours ? current.nextRunAt : new Date(Date.now() + wanted.everyHours * 3_600_000);
      const values = { ...wanted, nextRunAt, updatedBy: actorLabel(args.actor), updatedAt: new Date() };
      [row] = await tx.insert(backupSchedules).values({ tenantId: env.tenantId, environmentId: env.id, ...values })
        .onConflictDoUpdate({ target: [backupSchedules.tenantId, backupSchedules.environmentId], set: values }).returning() as [BackupSchedule];
    }
    await recordAudit(tx, { tenantId: env.tenantId, actor: args.actor, meta: args.meta, action: wanted ? 'environment.backup_schedule.set' : 'environment.backup_schedule.remove',
      resourceType: 'environment', resourceId: env.id, changes: { name: env.name, ...(wanted ?? {}), ...(current ? { previous: { everyHours: current.everyHours, keepLast: current.keepLast, keepDays: current.keepDays } } : {}) } });
    return row;
  });
}

/** The schedule goes with the environment's gateway; its backups stay in the store. */
export async function dropBackupSchedule(tx: Tx, env: Pick<Environment, 'tenantId' | 'id'>): Promise<void> {
  await tx.delete(backupSchedules).where(and(eq(backupSchedules.tenantId, env.tenantId), eq(backupSchedules.environmentId, env.id)));
}

