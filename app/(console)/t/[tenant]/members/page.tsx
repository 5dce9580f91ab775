import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { PageHeader } from '@/components/ui/page-header';
import { serverCaller } from '@/server/caller';
import { loadTenant, type TenantParams } from '../../../_lib/tenant';
import { InvitationsSection, InviteSection } from './invitation-sections';
import { MembersTable } from './members-table';

export const metadata: Metadata = { title: 'Members' };

export default async function MembersPage({ params }: { params: TenantParams }) {
  const tenant = await loadTenant((await params).tenant);
  if (!tenant.can('member:read')) notFound();
  const caller = await serverCaller();
  const [members, customRoles, sites] = await Promise.all([
    caller.members.list({ tenantId: tenant.id }),
    caller.roles.list({ tenantId: tenant.id }),
    caller.sites.list({ tenantId: tenant.id }),
  ]);
  const canManage = tenant.can('member:manage');
  const invitations = canManage ? await caller.invitations.list({ tenantId: tenant.id }) : [];
  return (
    <>
      <PageHeader title="Members" description="People in this tenant, their role, and the sites delegated to them." />
      <MembersTable tenant={tenant} members={members} customRoles={customRoles} sites={sites} canManage={canManage} />
      {canManage && <InviteSection tenant={tenant} customRoles={customRoles} sites={sites} />}
      {canManage && <InvitationsSection tenant={tenant} invitations={invitations} customRoles={customRoles} sites={sites} />}
    </>
  );
}
