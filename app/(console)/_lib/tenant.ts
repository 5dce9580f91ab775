import { notFound } from 'next/navigation';
import { cache } from 'react';
import { isPermission, type Permission } from '@/lib/access/permissions';
import { serverCaller } from '@/server/caller';

export interface TenantView {
  id: string; slug: string; name: string; role: string | null;
  /** Tenant-wide permission. */
  can: (permission: Permission) => boolean;
  /** Permission on one site: tenant-wide, or through a grant on that site. */
  canOnSite: (permission: Permission, siteId: string) => boolean;
}

function toSet(list: string[]): Set<Permission> {
  return new Set(list.filter(isPermission));
}

/**
 * The tenant named by the URL's slug, with what the caller may do in it. A slug the caller has no standing in
 * answers 404, exactly like one that does not exist.
 */
export const loadTenant = cache(async (slug: string): Promise<TenantView> => {
  const caller = await serverCaller();
  const tenant = (await caller.me.tenants({})).find((t) => t.slug === slug);
  if (!tenant) notFound();
  const access = await caller.me.access({ tenantId: tenant.id });
  const tenantWide = toSet(access.tenantPermissions);
  const bySite = new Map(access.sites.map((s) => [s.siteId, toSet(s.permissions)]));
  return {
    id: tenant.id, slug: tenant.slug, name: tenant.name, role: tenant.role,
    can: (p) => tenantWide.has(p),
    canOnSite: (p, siteId) => tenantWide.has(p) || (bySite.get(siteId)?.has(p) ?? false),
  };
});

export type TenantParams = Promise<{ tenant: string }>;
