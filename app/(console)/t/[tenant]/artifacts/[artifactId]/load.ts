import { notFound } from 'next/navigation';
import { TRPCError } from '@trpc/server';
import { serverCaller } from '@/server/caller';
import { loadTenant } from '../../../../_lib/tenant';

export type ArtifactParams = Promise<{ tenant: string; artifactId: string }>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The artifact named by the URL with its versions and deployments; a malformed, foreign or hidden id is the console's 404. */
export async function loadArtifact(params: ArtifactParams) {
  const { tenant: slug, artifactId } = await params;
  const tenant = await loadTenant(slug);
  if (!UUID.test(artifactId)) notFound();
  const caller = await serverCaller();
  const data = await caller.artifacts.get({ tenantId: tenant.id, artifactId }).catch((err: unknown) => {
    if (err instanceof TRPCError && err.code === 'NOT_FOUND') notFound();
    throw err;
  });
  const siteId = data.artifact.siteId;
  const siteName = siteId ? (await caller.sites.list({ tenantId: tenant.id })).find((s) => s.id === siteId)?.name ?? null : null;
  return { tenant, data, siteName, caller, base: `/t/${tenant.slug}/artifacts` };
}
