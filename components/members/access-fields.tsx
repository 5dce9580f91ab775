'use client';

import { useState } from 'react';
import { SelectField, type Choice } from '@/components/forms/field';

/** A tenant role, or "site access only" with the site and the role on it. */
export function AccessFields({ tenantRoles, sites, siteRoles, defaultRole }: { tenantRoles: Choice[]; sites: Choice[]; siteRoles: Choice[]; defaultRole: string }) {
  const [role, setRole] = useState(defaultRole);
  const siteOnly = role === '';
  return (
    <>
      <SelectField name="role" label="Access" defaultValue={role} onChange={setRole}
        choices={[...tenantRoles, { value: '', label: 'Site access only' }]}
        hint={siteOnly ? 'They will see only the site you pick.' : 'A tenant role applies to every site.'} />
      {siteOnly && (sites.length === 0
        ? <p className="text-sm text-amber-800">Create a site first: site access needs a site.</p>
        : (
          <>
            <SelectField name="siteId" label="Site" choices={sites} />
            <SelectField name="siteRole" label="Site role" choices={siteRoles} />
          </>
        ))}
    </>
  );
}
