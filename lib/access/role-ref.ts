import { isSiteRole, isTenantRole, SITE_ROLES, TENANT_ROLES } from './permissions';

// A role as people and the API name it: a built-in role ("admin", "operator"), or a custom role as "custom:<id>".
export interface RoleRef { role: string | null; customRoleId: string | null }

const CUSTOM = /^custom:([0-9a-f-]{36})$/i;

export function parseRoleRef(value: string, kind: 'tenant' | 'site'): RoleRef | { error: string } {
  const custom = CUSTOM.exec(value);
  if (custom) return { role: null, customRoleId: custom[1]!.toLowerCase() };
  if (kind === 'tenant' && isTenantRole(value)) return { role: value, customRoleId: null };
  if (kind === 'site' && isSiteRole(value)) return { role: value, customRoleId: null };
  const allowed = (kind === 'tenant' ? TENANT_ROLES : SITE_ROLES).join(', ');
  return { error: `"${value}" is not a ${kind} role. Use one of ${allowed}, or custom:<role id>.` };
}

export function formatRoleRef(ref: RoleRef): string | null {
  return ref.customRoleId ? `custom:${ref.customRoleId}` : ref.role;
}
