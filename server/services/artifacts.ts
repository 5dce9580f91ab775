// The artifact library: reads, diffs, storage use and deletion. Uploads are in artifacts-upload.ts, garbage
// collection in artifacts-gc.ts, downloads in artifacts-download.ts.
import { and, asc, desc, eq, isNull, or, sql } from 'drizzle-orm';
import { anyOf } from '@/db/any-of';
import { type Db, withTenant } from '@/db/client';
import { artifactDeployments, artifactObjects, artifacts, artifactVersions, environments, type Artifact, type ArtifactVersion } from '@/db/schema';
import { grantedSiteIds } from '@/lib/access/permissions';
import type { ArtifactKind } from '@/lib/artifacts/kinds';
import { diffProjects, type ProjectMetadata } from '@/lib/artifacts';
import type { Who } from '@/server/context';
import { AppError, notFound } from '@/server/errors';
import { findArtifact, findVersion, type ArtifactScope } from './artifacts-access';
import { storageLimitBytes } from './artifacts-quota';
import { recordAudit } from './audit';

export interface ArtifactSummary extends Artifact { versionCount: number; latestVersion: ArtifactVersion | null }

export async function listArtifacts(db: Db, scope: ArtifactScope, filter: { kind?: ArtifactKind; siteId?: string } = {}): Promise<ArtifactSummary[]> {
  return withTenant(db, scope.tenantId, async (tx) => {
    const tenantWide = scope.access.tenantPermissions.has('artifact:read');
    const sitesSeen = grantedSiteIds(scope.access, 'artifact:read');
    const visible = tenantWide ? undefined : anyOf(artifacts.siteId, sitesSeen); // none granted: matches nothing
    const rows = await tx.select().from(artifacts).where(and(
      eq(artifacts.tenantId, scope.tenantId), visible,
      filter.kind ? eq(artifacts.kind, filter.kind) : undefined,
      filter.siteId ? or(eq(artifacts.siteId, filter.siteId), isNull(artifacts.siteId)) : undefined,
    )).orderBy(asc(artifacts.name));
    if (rows.length === 0) return [];
    const versions = await tx.select().from(artifactVersions)
      .where(and(eq(artifactVersions.tenantId, scope.tenantId), anyOf(artifactVersions.artifactId, rows.map((r) => r.id))))
      .orderBy(desc(artifactVersions.number));
    return rows.map((artifact) => {
      const own = versions.filter((v) => v.artifactId === artifact.id);
      return { ...artifact, versionCount: own.length, latestVersion: own[0] ?? null };
    });
  });
}

export interface DeploymentView { id: string; versionId: string; versionNumber: number; artifactId: string; artifactName: string; environmentId: string; environmentName: string; siteId: string; status: string; error: string | null; deployedBy: string; createdAt: Date; finishedAt: Date | null }

const deploymentColumns = {
  id: artifactDeployments.id, versionId: artifactDeployments.versionId, versionNumber: artifactVersions.number, artifactId: artifacts.id,
  artifactName: artifacts.name, environmentId: environments.id, environmentName: environments.name, siteId: environments.siteId,
  status: artifactDeployments.status, error: artifactDeployments.error, deployedBy: artifactDeployments.deployedBy,
  createdAt: artifactDeployments.createdAt, finishedAt: artifactDeployments.finishedAt,
};

function deploymentsQuery(tx: Parameters<Parameters<typeof withTenant>[2]>[0], tenantId: string) {
  return tx.select(deploymentColumns).from(artifactDeployments)
    .innerJoin(artifactVersions, and(eq(artifactVersions.tenantId, artifactDeployments.tenantId), eq(artifactVersions.id, artifactDeployments.versionId)))
    .innerJoin(artifacts, and(eq(artifacts.tenantId, artifactVersions.tenantId), eq(artifacts.id, artifactVersions.artifactId)))
    .innerJoin(environments, and(eq(environments.tenantId, artifactDeployments.tenantId), eq(environments.id, artifactDeployments.environmentId)))
    .where(eq(artifactDeployments.tenantId, tenantId)).$dynamic();
}

export async function getArtifact(db: Db, scope: ArtifactScope, artifactId: string) {
  return withTenant(db, scope.tenantId, async (tx) => {
    const artifact = await findArtifact(tx, scope, artifactId);
    const versions = await tx.select().from(artifactVersions)
      .where(and(eq(artifactVersions.tenantId, scope.tenantId), eq(artifactVersions.artifactId, artifact.id))).orderBy(desc(artifactVersions.number));
    const deployments = await deploymentsQuery(tx, scope.tenantId).where(and(eq(artifactDeployments.tenantId, scope.tenantId), eq(artifacts.id, artifact.id)))
      .orderBy(desc(artifactDeployments.createdAt)).limit(200);
    return { artifact, versions, deployments };
  });
}

export async function getVersion(db: Db, scope: ArtifactScope, versionId: string) {
  return withTenant(db, scope.tenantId, async (tx) => {
    const { artifact, version } = await findVersion(tx, scope, versionId);
    const deployments = await deploymentsQuery(tx, scope.tenantId).where(and(eq(artifactDeployments.tenantId, scope.tenantId), eq(artifactDeployments.versionId, version.id)))
      .orderBy(desc(artifactDeployments.createdAt));
    return { artifact, version, deployments };
  });
}

/** What an environment runs: its deployments, newest first. */
export async function environmentDeployments(db: Db, args: { tenantId: string; environmentId: string }): Promise<DeploymentView[]> {
  return withTenant(db, args.tenantId, (tx) => deploymentsQuery(tx, args.tenantId)
    .where(and(eq(artifactDeployments.tenantId, args.tenantId), eq(artifactDeployments.environmentId, args.environmentId)))
    .orderBy(desc(artifactDeployments.createdAt)).limit(100));
}

export async function diffVersions(db: Db, scope: ArtifactScope, args: { artifactId: string; fromVersionId: string; toVersionId: string }) {
  return withTenant(db, scope.tenantId, async (tx) => {
    await findArtifact(tx, scope, args.artifactId);
    const from = await findVersion(tx, scope, args.fromVersionId);
    const to = await findVersion(tx, scope, args.toVersionId);
    // A version of another artifact is, for this artifact, no version at all.
    if (from.artifact.id !== args.artifactId || to.artifact.id !== args.artifactId) throw notFound('version of this artifact');
    if (from.artifact.kind !== 'project') throw new AppError('BAD_REQUEST', `Only project exports have a resource diff; "${from.artifact.name}" holds ${from.artifact.kind} files.`, 'fromVersionId');
    const diff = diffProjects(from.version.metadata as ProjectMetadata, to.version.metadata as ProjectMetadata);
    return { artifact: from.artifact, from: from.version, to: to.version, diff };
  });
}

/** Bytes held for the tenant: each distinct content counted once. */
export async function storageUsage(db: Db, args: { tenantId: string }): Promise<{ bytes: number; objects: number; versions: number; limitBytes: number }> {
  return withTenant(db, args.tenantId, async (tx) => {
    const [objects] = await tx.select({ bytes: sql<string>`coalesce(sum(${artifactObjects.sizeBytes}), 0)`, count: sql<number>`count(*)::int` })
      .from(artifactObjects).where(eq(artifactObjects.tenantId, args.tenantId));
    const [versions] = await tx.select({ count: sql<number>`count(*)::int` }).from(artifactVersions).where(eq(artifactVersions.tenantId, args.tenantId));
    return { bytes: Number(objects?.bytes ?? 0), objects: objects?.count ?? 0, versions: versions?.count ?? 0, limitBytes: await storageLimitBytes(tx, args.tenantId) };
  });
}

/**
 * Deletes one version. A version that was deployed somewhere needs `force` and a reason, both audited; its
 * deployment history goes with it. The bytes go later, with garbage collection, once nothing refers to them.
 */
export async function deleteVersion(db: Db, scope: ArtifactScope, who: Who, args: { versionId: string; force?: boolean; reason?: string }): Promise<void> {
  await withTenant(db, scope.tenantId, async (tx) => {
    const { artifact, version } = await findVersion(tx, scope, args.versionId, 'artifact:write');
    const deployments = await deploymentsQuery(tx, scope.tenantId).where(and(eq(artifactDeployments.tenantId, scope.tenantId), eq(artifactDeployments.versionId, version.id)));
    const reason = args.reason?.trim() ?? '';
    if (deployments.length > 0) {
      const places = [...new Set(deployments.map((d) => d.environmentName))].join(', ');
      if (!args.force) throw new AppError('CONFLICT', `Version ${version.number} of "${artifact.name}" is deployed (${places}); delete it with force and a reason.`, 'force');
      if (reason.length < 3) throw new AppError('BAD_REQUEST', 'Deleting a deployed version needs a reason (at least 3 characters).', 'reason');
      await tx.delete(artifactDeployments).where(and(eq(artifactDeployments.tenantId, scope.tenantId), eq(artifactDeployments.versionId, version.id)));
    }
    await tx.delete(artifactVersions).where(and(eq(artifactVersions.tenantId, scope.tenantId), eq(artifactVersions.id, version.id)));
    await recordAudit(tx, {
      tenantId: scope.tenantId, actor: who.actor, action: 'artifact.delete_version', resourceType: 'artifact_version', resourceId: version.id, meta: who.meta,
      changes: { artifact: artifact.name, number: version.number, sha256: version.sha256, forced: deployments.length > 0, ...(reason ? { reason } : {}), deployedTo: deployments.map((d) => d.environmentName) },
    });
  });
}
