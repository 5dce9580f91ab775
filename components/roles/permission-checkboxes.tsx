'use client';

import { useFormContext } from '@/components/forms/action-form';
import { PERMISSION_LABELS, PERMISSIONS, type Permission } from '@/lib/access/permissions';

const GROUPS: { title: string; prefixes: string[] }[] = [
  { title: 'Sites and gateways', prefixes: ['site', 'environment'] },
  { title: 'Artifacts and secrets', prefixes: ['artifact', 'secret'] },
  { title: 'People and access', prefixes: ['member', 'role', 'token'] },
  { title: 'Audit and billing', prefixes: ['audit', 'evidence', 'billing'] },
];
const inGroup = (p: Permission, prefixes: string[]) => prefixes.includes(p.split(':')[0]!);

/** Every permission, grouped, with the label people read and the name the API uses. */
export function PermissionCheckboxes({ selected = [] }: { selected?: readonly string[] }) {
  const { state, fields } = useFormContext();
  fields.add('permissions');
  const error = state.fieldErrors?.permissions?.[0];
  return (
    <fieldset>
      <legend className="text-sm font-medium text-slate-700">Permissions</legend>
      <div className="mt-2 grid gap-4 sm:grid-cols-2">
        {GROUPS.map((g) => (
          <div key={g.title} className="rounded-md border border-slate-200 p-3">
            <p className="mb-2 text-xs font-semibold uppercase tracking-wide text-slate-500">{g.title}</p>
            {PERMISSIONS.filter((p) => inGroup(p, g.prefixes)).map((p) => (
              <label key={p} className="flex items-start gap-2 py-1 text-sm">
                <input type="checkbox" name="permissions" value={p} defaultChecked={selected.includes(p)} className="mt-0.5 h-4 w-4 rounded border-slate-300 accent-brand-600" />
                <span>{PERMISSION_LABELS[p]} <code className="ml-1 text-xs text-slate-400">{p}</code></span>
              </label>
            ))}
          </div>
        ))}
      </div>
      {error && <p className="mt-1 text-sm text-red-700">{error}</p>}
    </fieldset>
  );
}
