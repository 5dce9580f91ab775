import Link from 'next/link';
import { EnvironmentsTable } from '@/components/environments/environments-table';
import { EmptyState } from '@/components/ui/empty-state';
import { Section } from '@/components/ui/section';
import { buttonClass } from '@/components/ui/styles';
import { serverCaller } from '@/server/caller';
import type { TenantView } from '../../../../_lib/tenant';

export async function EnvironmentsSection({ tenant, site }: { tenant: TenantView; site: { id: string; slug: string } }) {
  const environments = await (await serverCaller()).environments.list({ tenantId: tenant.id, siteId: site.id });
  const basePath = `/t/${tenant.slug}/sites/${site.slug}/environments`;
  const canProvision = tenant.canOnSite('environment:provision', site.id);
  return (
    <Section title="Environments" description="Ignition gateways of this site, by stage.">
      {environments.length === 0 ? (
        <EmptyState title="No environments yet">{canProvision ? 'Request one to run a gateway for this site.' : 'Someone with provisioning rights on this site can request one.'}</EmptyState>
      ) : <EnvironmentsTable environments={environments} basePath={basePath} />}
      {canProvision && (
        <div className="mt-6 border-t border-slate-200 pt-4">
          <Link href={`${basePath}/new`} className={buttonClass.primary}>Request an environment</Link>
        </div>
      )}
    </Section>
  );
}
