// Uploads: the bytes stream to a staging object while they are hashed, are inspected there through ranged reads,
// and only then become a content object and a version row. A refusal or a failure at any step leaves nothing.
import type { Readable } from 'node:stream';
import { and, eq, sql } from 'drizzle-orm';
import { type Db, withTenant } from '@/db/client';
import { artifactObjects, artifacts, artifactVersions, sites, type Artifact, type ArtifactVersion, type SourceReference } from '@/db/schema';
import { ARTIFACT_KINDS, ARTIFACT_SIZE_LIMITS, type ArtifactKind } from '@/lib/artifacts/kinds';
import { ArtifactRejected, inspectArtifact } from '@/lib/artifacts';
import { recordedActorLabel, type RequestMeta, type Who } from '@/server/context';
import { AppError, isUniqueViolation, notFound } from '@/server/errors';
import { formatBytes } from '@/lib/format/bytes';
import { logger } from '@/server/logger';
import {
  contentKey, discardStaged, ObjectTooLargeError, promoteStaged, stageUpload, StorageUnavailableError, UploadAbortedError, type ObjectStore, type StagedUpload,
} from '@/server/storage';
import { canOnArtifact, type ArtifactScope } from './artifacts-access';
import { assertStorageWithin } from './artifacts-quota';
import { recordAudit } from './audit';
import { objectSource } from './artifacts-source';

export interface UploadTarget {
  name: string;
  kind: ArtifactKind;
  siteId: string | null;
  filename: string;
  contentType: string;
  source: SourceReference;
  notes: string;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9 ._-]{0,99}$/;

/** Checks an upload before any byte is read: name, kind, site, permission, and an existing artifact's kind. */
export async function prepareUpload(db: Db, scope: ArtifactScope, target: UploadTarget): Promise<{ artifact: Artifact | null; maxBytes: number }> {
  if (!NAME.test(target.name)) {
    throw new AppError('BAD_REQUEST', 'An artifact name is 1-100 letters, digits, spaces, dots, dashes or underscores, starting with a letter or digit.', 'name');
  }
  if (!(ARTIFACT_KINDS as readonly string[]).includes(target.kind)) {
    throw new AppError('BAD_REQUEST', `Unknown artifact kind "${String(target.kind)}"; use one of ${ARTIFACT_KINDS.join(', ')}.`, 'kind');
  }
  return withTenant(db, scope.tenantId, async (tx) => {
    const [existing] = await tx.select().from(artifacts).where(and(eq(artifacts.tenantId, scope.tenantId), eq(artifacts.name, target.name)));
    const siteId = existing ? existing.siteId : target.siteId;
    if (target.siteId && !existing) {
      const [site] = await tx.select({ id: sites.id }).from(sites).where(and(eq(sites.tenantId, scope.tenantId), eq(sites.id, target.siteId)));
      if (!site || !canOnArtifact(scope.access, 'artifact:read', target.siteId)) throw notFound('site');
    }
    if (existing && !canOnArtifact(scope.access, 'artifact:read', existing.siteId)) {
      throw new AppError('CONFLICT', `The name "${target.name}" is taken in this tenant; choose another.`, 'name');
    }
    if (!canOnArtifact(scope.access, 'artifact:write', siteId)) {
      throw new AppError('FORBIDDEN', `You need the "artifact:write" permission ${siteId ? 'on this site' : 'in this tenant'}.`);
    }
    if (existing && existing.kind !== target.kind) {
      throw new AppError('CONFLICT', `Artifact "${target.name}" holds ${existing.kind} files; upload this ${target.kind} under another name.`, 'kind');
    }
    if (existing && target.siteId && existing.siteId !== target.siteId) {
      throw new AppError('CONFLICT', `Artifact "${target.name}" belongs to ${existing.siteId ? 'another site' : 'the tenant library'}; leave the site out or choose another name.`, 'siteId');
    }
    return { artifact: existing ?? null, maxBytes: ARTIFACT_SIZE_LIMITS[target.kind] };
  });
}

/** Who stores a version: a person or token, or Switchyard itself (a scheduled backup) by a label. */
export type Uploader = Who | { actor: { type: 'system'; label: string }; meta?: Partial<RequestMeta> };

export interface UploadOptions { signal?: AbortSignal; onProgress?: (bytes: number) => void; declaredBytes?: number }

/** The whole upload; returns the new version (or the existing one when the same bytes are uploaded again). */
export async function uploadVersion(db: Db, store: ObjectStore, scope: ArtifactScope, who: Uploader, target: UploadTarget, body: Readable | undefined, options: UploadOptions = {}): Promise<{ version: ArtifactVersion; artifact: Artifact; created: boolean }> {
  const { maxBytes } = await prepareUpload(db, scope, target);
  if (!body) throw new AppError('BAD_REQUEST', 'The upload has no file: send it as the request body (curl -T FILE URL).', 'body');
  if (options.declaredBytes !== undefined && options.declaredBytes > maxBytes) throw tooLarge(target.kind, maxBytes);
  const staged = await stageUpload(store, scope.tenantId, body, { maxBytes, signal: options.signal, onProgress: options.onProgress, contentType: target.contentType })
    .catch((err: unknown) => { throw storageRefusal(err, target.kind, maxBytes); });
  let promoted = false;
  try {
    const metadata = await inspectStaged(store, staged, target);
    const result = await withTenant(db, scope.tenantId, async (tx) => {
      // The object row first: its lock keeps garbage collection away while the bytes move into place.
      const [object] = await tx.insert(artifactObjects).values({ tenantId: scope.tenantId, sha256: staged.sha256, sizeBytes: staged.size })
        .onConflictDoUpdate({ target: [artifactObjects.tenantId, artifactObjects.sha256], set: { referencedAt: sql`now()` } })
        .returning({ inserted: sql<boolean>`(xmax = 0)` });
      if (!object) throw new Error('the content object row was not written');
      // Bytes the tenant already holds cost nothing more; new ones must fit the storage limit.
      if (object.inserted) await assertStorageWithin(tx, scope.tenantId, staged.size, true);
      await promoteStaged(store, scope.tenantId, staged);
      promoted = true;
      const artifact = await ensureArtifact(tx, scope, who, target);
      const [same] = await tx.select().from(artifactVersions)
        .where(and(eq(artifactVersions.tenantId, scope.tenantId), eq(artifactVersions.artifactId, artifact.id), eq(artifactVersions.sha256, staged.sha256)))
        .orderBy(sql`${artifactVersions.number} desc`).limit(1);
      const [latest] = await tx.select({ sha256: artifactVersions.sha256 }).from(artifactVersions)
        .where(and(eq(artifactVersions.tenantId, scope.tenantId), eq(artifactVersions.artifactId, artifact.id)))
        .orderBy(sql`${artifactVersions.number} desc`).limit(1);
      // Uploading the newest version's bytes again (a CI retry) is not a new version.
      if (same && latest?.sha256 === staged.sha256) return { version: same, artifact, created: false };
      const [next] = await tx.execute<{ next: number }>(sql`select coalesce(max(number), 0) + 1 as next from artifact_versions where tenant_id = ${scope.tenantId} and artifact_id = ${artifact.id}`);
      const [version] = await tx.insert(artifactVersions).values({
        tenantId: scope.tenantId, artifactId: artifact.id, number: Number(next!.next), sha256: staged.sha256, sizeBytes: staged.size,
        contentType: target.contentType, filename: target.filename, metadata: metadata as object, source: target.source, notes: target.notes,
        uploadedBy: recordedActorLabel(who.actor),
      }).returning();
      await tx.update(artifacts).set({ updatedAt: new Date() }).where(and(eq(artifacts.tenantId, scope.tenantId), eq(artifacts.id, artifact.id)));
      await recordAudit(tx, {
        tenantId: scope.tenantId, actor: who.actor, action: 'artifact.upload', resourceType: 'artifact_version', resourceId: version!.id, meta: who.meta,
        changes: { artifact: artifact.name, kind: artifact.kind, number: version!.number, sha256: staged.sha256, size: staged.size, filename: target.filename },
      });
      return { version: version!, artifact, created: true };
    });
    return result;
  } catch (err) {
    await cleanUpFailedUpload(db, store, scope.tenantId, staged, promoted);
    throw storageRefusal(err, target.kind, maxBytes);
  } finally {
    await discardStaged(store, scope.tenantId, staged).catch((e: unknown) => logger.warn({ err: e, key: staged.stagingKey }, 'staging object not removed; the staging sweep will'));
  }
}

const tooLarge = (kind: string, maxBytes: number) =>
  new AppError('PAYLOAD_TOO_LARGE', `A ${kind} file may be at most ${formatBytes(maxBytes)}; this one is larger.`, 'file');

/** Storage failures in words for the uploader; anything else passes through. */
function storageRefusal(err: unknown, kind: string, maxBytes: number): unknown {
  if (err instanceof ObjectTooLargeError) return tooLarge(kind, maxBytes);
  if (err instanceof UploadAbortedError) return new AppError('BAD_REQUEST', 'The upload was cancelled before it finished; nothing was stored.');
  if (err instanceof StorageUnavailableError) return new AppError('PRECONDITION_FAILED', `${err.message}. Nothing was stored; upload again when object storage is back.`);
  return err;
}

async function inspectStaged(store: ObjectStore, staged: StagedUpload, target: UploadTarget): Promise<unknown> {
  try {
    return await inspectArtifact(target.kind, objectSource(store, staged.stagingKey, staged.size), { label: target.filename });
  } catch (err) {
    if (err instanceof ArtifactRejected) throw new AppError('BAD_REQUEST', err.message, 'file');
    throw err;
  }
}

async function ensureArtifact(tx: Parameters<Parameters<typeof withTenant>[2]>[0], scope: ArtifactScope, who: Uploader, target: UploadTarget): Promise<Artifact> {
  const [existing] = await tx.select().from(artifacts).where(and(eq(artifacts.tenantId, scope.tenantId), eq(artifacts.name, target.name)));
  if (existing) return existing;
  try {
    const [created] = await tx.insert(artifacts).values({ tenantId: scope.tenantId, siteId: target.siteId, name: target.name, kind: target.kind, createdBy: recordedActorLabel(who.actor) }).returning();
    await recordAudit(tx, { tenantId: scope.tenantId, actor: who.actor, action: 'artifact.create', resourceType: 'artifact', resourceId: created!.id, meta: who.meta, changes: { name: target.name, kind: target.kind, siteId: target.siteId } });
    return created!;
  } catch (err) {
    if (isUniqueViolation(err, 'artifacts_tenant_name_idx')) throw new AppError('CONFLICT', `Artifact "${target.name}" was created by someone else just now; upload again.`, 'name');
    throw err;
  }
}

/** After a failed commit the content object stays only if some other version already holds it. */
async function cleanUpFailedUpload(db: Db, store: ObjectStore, tenantId: string, staged: StagedUpload, promoted: boolean): Promise<void> {
  if (!promoted) return;
  try {
    const held = await withTenant(db, tenantId, async (tx) => {
      const [row] = await tx.select({ sha256: artifactObjects.sha256 }).from(artifactObjects)
        .where(and(eq(artifactObjects.tenantId, tenantId), eq(artifactObjects.sha256, staged.sha256)));
      return Boolean(row);
    });
    if (!held) await store.remove(contentKey(tenantId, staged.sha256));
  } catch (err) {
    // Garbage collection removes content objects that no row describes.
    logger.warn({ err, tenantId, sha256: staged.sha256 }, 'content object of a failed upload not removed; garbage collection will');
  }
}
