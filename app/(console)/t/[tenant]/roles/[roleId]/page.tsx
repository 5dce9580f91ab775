import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { ActionForm } from '@/components/forms/action-form';
import { ConfirmAction } from '@/components/forms/confirm-action';
import { Hidden } from '@/components/forms/hidden';
import { SubmitButton } from '@/components/forms/submit-button';
import { RoleFields } from '@/components/roles/role-fields';
import { PageHeader } from '@/components/ui/page-header';
import { Section } from '@/components/ui/section';
import { serverCaller } from '@/server/caller';
import { loadTenant } from '../../../../_lib/tenant';
import { deleteRoleAction, updateRoleAction } from '../actions';

export const metadata: Metadata = { title: 'Edit role' };

export default async function RolePage({ params }: { params: Promise<{ tenant: string; roleId: string }> }) {
  const { tenant: slug, roleId } = await params;
  const tenant = await loadTenant(slug);
  if (!tenant.can('role:manage')) notFound();
  const role = (await (await serverCaller()).roles.list({ tenantId: tenant.id })).find((r) => r.id === roleId);
  if (!role) notFound();
  const ids = { tenantId: tenant.id, roleId: role.id, tenantSlug: tenant.slug };
  return (
    <>
      <PageHeader title={role.name} description="Changes apply at once to every member and token holding this role." />
      <Section title="Edit role">
        <ActionForm action={updateRoleAction} label="Edit role" resetOnSuccess={false} className="grid gap-4">
          <Hidden values={ids} />
          <RoleFields role={role} />
          <div><SubmitButton>Save changes</SubmitButton></div>
        </ActionForm>
      </Section>
      <Section title="Delete role" description="Only a role nobody holds can be deleted.">
        <ConfirmAction action={deleteRoleAction} label="Delete role" values={ids} inline={false}
          button="Delete role" question={`Delete "${role.name}"?`} confirmLabel="Delete" />
      </Section>
    </>
  );
}
