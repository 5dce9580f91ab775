import { SITE_ROLES, TENANT_ROLES } from '@/lib/access/permissions';
import type { Choice } from '@/components/forms/field';

export interface CustomRoleInfo { id: string; name: string }

const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** A role value as people read it: "Admin", "Operator", or the custom role's name. */
export function roleName(value: string | null, custom: CustomRoleInfo[]): string {
  if (!value) return 'Site access only';
  if (value.startsWith('custom:')) return custom.find((r) => `custom:${r.id}` === value)?.name ?? 'Custom role';
  return capital(value);
}

/** Roles offered in a picker: the built-in ones of that kind, then the tenant's custom roles. */
export function roleChoices(kind: 'tenant' | 'site', custom: CustomRoleInfo[]): Choice[] {
  const builtIn = kind === 'tenant' ? TENANT_ROLES : SITE_ROLES;
  return [
    ...builtIn.map((r) => ({ value: r, label: capital(r) })),
    ...custom.map((r) => ({ value: `custom:${r.id}`, label: `${r.name} (custom)` })),
  ];
}
