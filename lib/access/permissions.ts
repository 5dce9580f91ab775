// The permission vocabulary and the built-in roles. Framework-free: the server and the console both read it.

export const PERMISSIONS = [
  'site:read', 'site:manage',
  'member:read', 'member:manage',
  'role:manage', 'token:manage',
  'audit:read', 'evidence:export',
  'billing:read', 'billing:manage',
  'environment:read', 'environment:provision', 'environment:operate', 'environment:delete',
  'artifact:read', 'artifact:write', 'artifact:deploy',
  'secret:rotate',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

export const PERMISSION_LABELS: Record<Permission, string> = {
  'site:read': 'See sites', 'site:manage': 'Create, rename and delete sites',
  'member:read': 'See members', 'member:manage': 'Invite and remove members, delegate sites',
  'role:manage': 'Define custom roles', 'token:manage': 'Create and revoke API tokens',
  'audit:read': 'Read the audit trail', 'evidence:export': 'Export evidence packs',
  'billing:read': 'See usage and cost', 'billing:manage': 'Manage billing and quotas',
  'environment:read': 'See gateways', 'environment:provision': 'Provision and change gateways',
  'environment:operate': 'Start, stop, restart and back up gateways', 'environment:delete': 'Tear down gateways',
  'artifact:read': 'Download artifacts', 'artifact:write': 'Upload artifacts', 'artifact:deploy': 'Deploy artifacts',
  'secret:rotate': 'Rotate gateway secrets',
};

export const TENANT_ROLES = ['owner', 'admin', 'member', 'auditor', 'billing'] as const;
export type TenantRole = (typeof TENANT_ROLES)[number];

export const SITE_ROLES = ['operator', 'developer', 'viewer'] as const;
export type SiteRole = (typeof SITE_ROLES)[number];

const READ_ONLY: Permission[] = ['site:read', 'environment:read', 'artifact:read'];

export const TENANT_ROLE_PERMISSIONS: Record<TenantRole, readonly Permission[]> = {
  owner: PERMISSIONS,
  admin: PERMISSIONS.filter((p) => p !== 'billing:manage'),
  member: [...READ_ONLY, 'member:read'],
  auditor: [...READ_ONLY, 'member:read', 'audit:read', 'evidence:export'],
  billing: ['site:read', 'billing:read', 'billing:manage'],
};

export const SITE_ROLE_PERMISSIONS: Record<SiteRole, readonly Permission[]> = {
  operator: [...READ_ONLY, 'environment:provision', 'environment:operate', 'environment:delete',
    'artifact:write', 'artifact:deploy', 'secret:rotate'],
  developer: [...READ_ONLY, 'environment:operate', 'artifact:write', 'artifact:deploy'],
  viewer: READ_ONLY,
};

/** Permissions that make sense on one site; a custom role used as a site grant keeps only these. */
export const SITE_SCOPED_PERMISSIONS: readonly Permission[] = [
  'site:read', 'environment:read', 'environment:provision', 'environment:operate', 'environment:delete',
  'artifact:read', 'artifact:write', 'artifact:deploy', 'secret:rotate',
];

export function isPermission(value: string): value is Permission {
  return (PERMISSIONS as readonly string[]).includes(value);
}
export function isTenantRole(value: string): value is TenantRole {
  return (TENANT_ROLES as readonly string[]).includes(value);
}
export function isSiteRole(value: string): value is SiteRole {
  return (SITE_ROLES as readonly string[]).includes(value);
}

/** What one principal may do: tenant-wide permissions, plus per-site ones from site grants. */
export interface AccessGrant {
  tenantPermissions: ReadonlySet<Permission>;
  sitePermissions: ReadonlyMap<string, ReadonlySet<Permission>>;
  /** When this access ends by itself (a token's expiry); people's access ends only by a change. */
  expiresAt?: Date | null;
}

export function can(access: AccessGrant, permission: Permission, siteId?: string): boolean {
  if (access.tenantPermissions.has(permission)) return true;
  if (siteId === undefined) return false;
  return access.sitePermissions.get(siteId)?.has(permission) ?? false;
}

/** Site ids the principal can see through grants alone (tenant-wide readers see every site). */
export function grantedSiteIds(access: AccessGrant, permission: Permission): string[] {
  return [...access.sitePermissions].filter(([, perms]) => perms.has(permission)).map(([id]) => id);
}
