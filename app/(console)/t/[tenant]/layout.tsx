import type { NavItem } from '@/components/shell/side-nav';
import { SideNav } from '@/components/shell/side-nav';
import { loadTenant, type TenantParams } from '../../_lib/tenant';

export default async function TenantLayout({ children, params }: { children: React.ReactNode; params: TenantParams }) {
  const tenant = await loadTenant((await params).tenant);
  const base = `/t/${tenant.slug}`;
  const items: (NavItem & { show: boolean })[] = [
    { href: base, label: 'Overview', show: true },
    { href: `${base}/sites`, label: 'Sites', show: true },
    // Site-only people (no tenant-wide site:read) see their sites' artifacts through their grants.
    { href: `${base}/artifacts`, label: 'Artifacts', show: tenant.can('artifact:read') || !tenant.can('site:read') },
    { href: `${base}/members`, label: 'Members', show: tenant.can('member:read') },
    { href: `${base}/roles`, label: 'Roles', show: tenant.can('member:read') },
    { href: `${base}/tokens`, label: 'API tokens', show: tenant.can('token:manage') },
    { href: `${base}/audit`, label: 'Audit log', show: tenant.can('audit:read') },
  ];
  return (
    <div className="mx-auto flex max-w-7xl gap-8 px-4 py-8 sm:px-6">
      <aside className="w-48 shrink-0">
        <p className="mb-3 truncate px-3 text-xs font-semibold uppercase tracking-wide text-slate-500" title={tenant.name}>{tenant.name}</p>
        <SideNav items={items.filter((i) => i.show).map(({ href, label }) => ({ href, label }))} />
      </aside>
      <main className="min-w-0 flex-1">{children}</main>
    </div>
  );
}
