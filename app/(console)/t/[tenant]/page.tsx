import type { Metadata } from 'next';
import Link from 'next/link';
import { SiteEnvironmentCounts } from '@/components/environments/site-counts';
import { PageHeader } from '@/components/ui/page-header';
import { Section } from '@/components/ui/section';
import { linkClass } from '@/components/ui/styles';
import { formatBytes } from '@/lib/format/bytes';
import { serverCaller } from '@/server/caller';
import { roleName } from '../../_lib/roles';
import { loadTenant, type TenantParams } from '../../_lib/tenant';

export const metadata: Metadata = { title: 'Overview' };

function Stat({ label, value, href }: { label: string; value: React.ReactNode; href: string }) {
  return (
    <Link href={href} className="rounded-lg border border-slate-200 bg-white p-5 shadow-sm hover:border-brand-500">
      <p className="text-sm text-slate-500">{label}</p>
      <p className="mt-1 text-3xl font-semibold text-slate-900">{value}</p>
    </Link>
  );
}

export default async function Overview({ params }: { params: TenantParams }) {
  const tenant = await loadTenant((await params).tenant);
  const caller = await serverCaller();
  const base = `/t/${tenant.slug}`;
  const sites = await caller.sites.list({ tenantId: tenant.id });
  const members = tenant.can('member:read') ? await caller.members.list({ tenantId: tenant.id }) : null;
  const storage = tenant.can('artifact:read') ? await caller.artifacts.usage({ tenantId: tenant.id }) : null;
  const readable = sites.filter((s) => tenant.canOnSite('environment:read', s.id));
  const environments = await Promise.all(readable.map(async (s) => ({
    name: s.name, href: `${base}/sites/${s.slug}`, environments: await caller.environments.list({ tenantId: tenant.id, siteId: s.id }),
  })));
  return (
    <>
      <PageHeader title={tenant.name} description={`Your role here: ${tenant.role === 'custom' ? 'a custom role' : roleName(tenant.role, [])}.`} />
      <div className="mb-6 grid gap-4 sm:grid-cols-3">
        <Stat label={tenant.can('site:read') ? 'Sites' : 'Sites delegated to you'} value={sites.length} href={`${base}/sites`} />
        {members && <Stat label="Members" value={members.length} href={`${base}/members`} />}
        {storage && <Stat label="Artifact storage used" value={formatBytes(storage.bytes)} href={`${base}/artifacts`} />}
      </div>
      {environments.length > 0 && (
        <Section title="Environments" description="Gateways per site, by status and stage.">
          <SiteEnvironmentCounts sites={environments} />
        </Section>
      )}
      <Section title="Next steps">
        <ul className="list-inside list-disc space-y-1 text-sm text-slate-700">
          {sites.length === 0 && tenant.can('site:manage') && <li><Link className={linkClass} href={`${base}/sites`}>Create your first site</Link> for a plant or location.</li>}
          {sites.length === 0 && !tenant.can('site:manage') && <li>No site is shared with you yet. Ask a tenant admin to delegate one.</li>}
          {sites.length > 0 && <li>Open a <Link className={linkClass} href={`${base}/sites`}>site</Link> to see who works on it.</li>}
          {tenant.can('member:manage') && <li><Link className={linkClass} href={`${base}/members`}>Invite people</Link> and delegate sites to operators.</li>}
          {tenant.can('audit:read') && <li>Review what happened in the <Link className={linkClass} href={`${base}/audit`}>audit log</Link>.</li>}
        </ul>
      </Section>
    </>
  );
}
