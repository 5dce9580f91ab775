import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { ActionForm } from '@/components/forms/action-form';
import { Hidden } from '@/components/forms/hidden';
import { SubmitButton } from '@/components/forms/submit-button';
import { RoleFields } from '@/components/roles/role-fields';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { Section } from '@/components/ui/section';
import { linkClass } from '@/components/ui/styles';
import { Table, Td } from '@/components/ui/table';
import { TENANT_ROLE_PERMISSIONS, TENANT_ROLES } from '@/lib/access/permissions';
import { serverCaller } from '@/server/caller';
import { formatDate } from '../../../_lib/format';
import { roleName } from '../../../_lib/roles';
import { loadTenant, type TenantParams } from '../../../_lib/tenant';
import { createRoleAction } from './actions';

export const metadata: Metadata = { title: 'Roles' };

export default async function RolesPage({ params }: { params: TenantParams }) {
  const tenant = await loadTenant((await params).tenant);
  if (!tenant.can('member:read')) notFound();
  const roles = await (await serverCaller()).roles.list({ tenantId: tenant.id });
  const canManage = tenant.can('role:manage');
  return (
    <>
      <PageHeader title="Roles" description="Built-in roles cover most people. Compose a custom role when you need a different set of permissions." />
      <Section title="Custom roles">
        {roles.length === 0 ? (
          <EmptyState title="No custom roles">{canManage ? 'Create one below, then give it to members or tokens.' : 'The built-in roles are in use.'}</EmptyState>
        ) : (
          <Table label="Custom roles" headers={['Name', 'Description', 'Permissions', 'Created']}>
            {roles.map((r) => (
              <tr key={r.id}>
                <Td>{canManage ? <Link className={linkClass} href={`/t/${tenant.slug}/roles/${r.id}`}>{r.name}</Link> : <span className="font-medium">{r.name}</span>}</Td>
                <Td className="text-slate-500">{r.description || '—'}</Td>
                <Td>{r.permissions.length}</Td>
                <Td className="whitespace-nowrap text-slate-500">{formatDate(r.createdAt)}</Td>
              </tr>
            ))}
          </Table>
        )}
      </Section>
      {canManage && (
        <Section title="Create a custom role">
          <ActionForm action={createRoleAction} label="Create a custom role" className="grid gap-4">
            <Hidden values={{ tenantId: tenant.id }} />
            <RoleFields />
            <div><SubmitButton>Create role</SubmitButton></div>
          </ActionForm>
        </Section>
      )}
      <Section title="Built-in roles">
        <Table label="Built-in roles" headers={['Role', 'Permissions']}>
          {TENANT_ROLES.map((r) => (
            <tr key={r}><Td className="font-medium">{roleName(r, [])}</Td><Td className="text-slate-500">{TENANT_ROLE_PERMISSIONS[r].join(', ')}</Td></tr>
          ))}
        </Table>
      </Section>
    </>
  );
}
