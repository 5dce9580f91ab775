import { notFound } from 'next/navigation';
import { serverCaller } from '@/server/caller';
import { loadTenant } from '../../../../../_lib/tenant';

export type SiteParams = Promise<{ tenant: string; site: string }>;

/** The tenant and the site of the URL; a site the person may not see is a 404, like one that does not exist. */
export async function loadSite(params: SiteParams) {
  const { tenant: tenantSlug, site: siteSlug } = await params;
  const tenant = await loadTenant(tenantSlug);
  const site = (await (await serverCaller()).sites.list({ tenantId: tenant.id })).find((s) => s.slug === siteSlug);
  if (!site || !tenant.canOnSite('environment:read', site.id)) notFound();
  const sitePath = `/t/${tenant.slug}/sites/${site.slug}`;
  return { tenant, site, sitePath, environmentsPath: `${sitePath}/environments` };
}
