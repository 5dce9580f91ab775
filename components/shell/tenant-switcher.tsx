'use client';

import { usePathname, useRouter } from 'next/navigation';

/** Picks the tenant whose console is shown; the current one comes from the URL (/t/<slug>/...). */
export function TenantSwitcher({ tenants }: { tenants: { slug: string; name: string }[] }) {
  const router = useRouter();
  const current = /^\/t\/([^/]+)/.exec(usePathname())?.[1] ?? '';
  if (tenants.length === 0) return null;
  return (
    <label className="flex items-center gap-2 text-sm text-slate-300">
      <span className="sr-only sm:not-sr-only">Tenant</span>
      <select
        aria-label="Tenant"
        value={current}
        onChange={(e) => router.push(`/t/${e.target.value}`)}
        className="rounded-md border border-slate-600 bg-slate-800 px-2 py-1 text-sm text-white focus:outline-none focus:ring-1 focus:ring-brand-500"
      >
        {current === '' && <option value="">Choose a tenant…</option>}
        {tenants.map((t) => <option key={t.slug} value={t.slug}>{t.name}</option>)}
      </select>
    </label>
  );
}
