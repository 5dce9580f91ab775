import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { PageHeader } from '@/components/ui/page-header';
import { serverCaller } from '@/server/caller';
import { loadTenant } from '../../../../_lib/tenant';
import { DeleteSiteSection, EditSiteSection } from './edit-sections';
import { DelegationSection } from './delegation-section';
import { EnvironmentsSection } from './environments-section';

export const metadata: Metadata = { title: 'Site' };

export default async function SitePage({ params }: { params: Promise<{ tenant: string; site: string }> }) {
  const { tenant: tenantSlug, site: siteSlug } = await params;
  const tenant = await loadTenant(tenantSlug);
  const caller = await serverCaller();
  // Only visible sites are listed, so a site the person may not see is a 404 like one that does not exist.
  const site = (await caller.sites.list({ tenantId: tenant.id })).find((s) => s.slug === siteSlug);
  if (!site) notFound();
  const canManage = tenant.canOnSite('site:manage', site.id);
  return (
    <>
      <PageHeader title={site.name} description={<>Site <code className="font-mono">{site.slug}</code>{site.description ? ` · ${site.description}` : ''}</>} />
      {tenant.canOnSite('environment:read', site.id) && <EnvironmentsSection tenant={tenant} site={site} />}
      {tenant.canOnSite('member:read', site.id) && <DelegationSection tenant={tenant} site={site} />}
      {canManage && <EditSiteSection tenant={tenant} site={site} />}
      {canManage && <DeleteSiteSection tenant={tenant} site={site} />}
    </>
  );
}
