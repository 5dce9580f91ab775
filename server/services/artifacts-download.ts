// Downloads: an authorised caller gets a short-lived link signed by the app (it works from any browser, unlike an
// embedded S3 server's loopback address); the link streams the bytes through the app and expires on its own.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { type Db, withTenant } from '@/db/client';
import type { Who } from '@/server/context';
import { AppError } from '@/server/errors';
import { findVersion, type ArtifactScope } from './artifacts-access';
import { recordAudit } from './audit';
import { purposeKey } from './environments-secrets';

export const DOWNLOAD_LINK_SECONDS = 300;

interface LinkClaims { tenantId: string; versionId: string; expires: number }

const sign = (payload: string) => createHmac('sha256', purposeKey('artifact-download')).update(payload).digest('base64url');

export function signDownload(claims: LinkClaims): string {
  const payload = Buffer.from(JSON.stringify([claims.tenantId, claims.versionId, claims.expires])).toString('base64url');
  return `${payload}.${sign(payload)}`;
}

/** The claims of a valid, unexpired link; a clear refusal otherwise (never which part was wrong beyond that). */
export function verifyDownload(token: string, now = Date.now()): LinkClaims {
  const [payload, signature] = token.split('.');
  const expected = payload ? sign(payload) : '';
  if (!payload || !signature || signature.length !== expected.length || !timingSafeEqual(Buffer.from(signature), Buffer.from(expected))) {
    throw new AppError('NOT_FOUND', 'This download link is not valid. Ask for a new link from the artifact page or the API.');
  }
  const [tenantId, versionId, expires] = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as [string, string, number];
  if (expires * 1000 < now) throw new AppError('NOT_FOUND', 'This download link has expired. Ask for a new link from the artifact page or the API.');
  return { tenantId, versionId, expires };
}

/** Checks access, audits the download and returns a link valid for `seconds`. */
export async function createDownloadLink(db: Db, scope: ArtifactScope, who: Who, args: { versionId: string; seconds?: number }) {
  const seconds = Math.min(Math.max(args.seconds ?? DOWNLOAD_LINK_SECONDS, 1), 3600);
  return withTenant(db, scope.tenantId, async (tx) => {
    const { artifact, version } = await findVersion(tx, scope, args.versionId);
    // Rounded up so a link lasts at least the seconds asked for.
    const expires = Math.ceil(Date.now() / 1000) + seconds;
    await recordAudit(tx, {
      tenantId: scope.tenantId, actor: who.actor, action: 'artifact.download', resourceType: 'artifact_version', resourceId: version.id, meta: who.meta,
      changes: { artifact: artifact.name, number: version.number, sha256: version.sha256, expiresInSeconds: seconds },
    });
    const token = signDownload({ tenantId: scope.tenantId, versionId: version.id, expires });
    return { path: `/api/v1/downloads/${token}`, expiresAt: new Date(expires * 1000), filename: version.filename, sizeBytes: version.sizeBytes };
  });
}
