// Who sees which artifact: the tenant's shared library needs the permission tenant-wide; a site's artifact is also
// open to that site's delegated roles. Anything else answers NOT_FOUND, as a foreign id does.
import { and, eq } from 'drizzle-orm';
import type { Tx } from '@/db/client';
import { artifacts, artifactVersions, type Artifact, type ArtifactVersion } from '@/db/schema';
import { can, type AccessGrant, type Permission } from '@/lib/access/permissions';
import { AppError, notFound } from '@/server/errors';

export interface ArtifactScope { tenantId: string; access: AccessGrant }

export function canOnArtifact(access: AccessGrant, permission: Permission, siteId: string | null): boolean {
  return can(access, permission, siteId ?? undefined);
}

/** Visible needs `artifact:read`; then the asked permission, or FORBIDDEN naming it. */
export function assertArtifactPermission(scope: ArtifactScope, artifact: Pick<Artifact, 'siteId'>, permission: Permission): void {
  if (!canOnArtifact(scope.access, 'artifact:read', artifact.siteId)) throw notFound('artifact');
  if (!canOnArtifact(scope.access, permission, artifact.siteId)) {
    throw new AppError('FORBIDDEN', `You need the "${permission}" permission ${artifact.siteId ? 'on this artifact\'s site' : 'in this tenant'}.`);
  }
}

export async function findArtifact(tx: Tx, scope: ArtifactScope, artifactId: string, permission: Permission = 'artifact:read'): Promise<Artifact> {
  const [row] = await tx.select().from(artifacts).where(and(eq(artifacts.tenantId, scope.tenantId), eq(artifacts.id, artifactId)));
  if (!row) throw notFound('artifact');
  assertArtifactPermission(scope, row, permission);
  return row;
}

export async function findVersion(tx: Tx, scope: ArtifactScope, versionId: string, permission: Permission = 'artifact:read'): Promise<{ artifact: Artifact; version: ArtifactVersion }> {
  const [row] = await tx.select({ version: artifactVersions, artifact: artifacts }).from(artifactVersions)
    .innerJoin(artifacts, and(eq(artifacts.tenantId, artifactVersions.tenantId), eq(artifacts.id, artifactVersions.artifactId)))
    .where(and(eq(artifactVersions.tenantId, scope.tenantId), eq(artifactVersions.id, versionId)));
  if (!row) throw notFound('artifact version');
  assertArtifactPermission(scope, row.artifact, permission);
  return row;
}
