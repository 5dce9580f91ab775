import { ActionForm } from '@/components/forms/action-form';
import { ConfirmAction } from '@/components/forms/confirm-action';
import { TextField } from '@/components/forms/field';
import { Hidden } from '@/components/forms/hidden';
import { OneTimeSecret } from '@/components/forms/one-time-secret';
import { SubmitButton } from '@/components/forms/submit-button';
import { AccessFields } from '@/components/members/access-fields';
import { Badge } from '@/components/ui/badge';
import { EmptyState } from '@/components/ui/empty-state';
import { Section } from '@/components/ui/section';
import { Table, Td } from '@/components/ui/table';
import { formatDate } from '../../../_lib/format';
import { roleChoices, roleName, type CustomRoleInfo } from '../../../_lib/roles';
import type { TenantView } from '../../../_lib/tenant';
import { inviteAction, revokeInvitationAction } from './actions';

interface Common { tenant: TenantView; customRoles: CustomRoleInfo[]; sites: { id: string; name: string }[] }
interface Invitation { id: string; email: string; role: string | null; siteId: string | null; siteRole: string | null; status: string; expiresAt: Date; createdAt: Date }

export function InviteSection({ tenant, customRoles, sites }: Common) {
  return (
    <Section title="Invite someone" description="You get a one-time link to send them; they choose their own password.">
      <ActionForm action={inviteAction} label="Invite someone" className="grid max-w-xl gap-4">
        <Hidden values={{ tenantId: tenant.id }} />
        <TextField name="email" label="Email" type="email" autoComplete="off" placeholder="name@example.com" required />
        <AccessFields tenantRoles={roleChoices('tenant', customRoles)} sites={sites.map((s) => ({ value: s.id, label: s.name }))}
          siteRoles={roleChoices('site', customRoles)} defaultRole="member" />
        <div><SubmitButton>Create invitation</SubmitButton></div>
        <OneTimeSecret />
      </ActionForm>
    </Section>
  );
}

const STATUS_TONE = { pending: 'info', accepted: 'good', revoked: 'neutral', expired: 'warn' } as const;

export function InvitationsSection({ tenant, invitations, customRoles, sites }: Common & { invitations: Invitation[] }) {
  const pending = invitations.filter((i) => i.status === 'pending');
  const siteName = (id: string | null) => sites.find((s) => s.id === id)?.name ?? 'a site';
  return (
    <Section title="Pending invitations">
      {pending.length === 0 ? <EmptyState title="No pending invitations">Invitations you send appear here until they are accepted.</EmptyState> : (
        <Table label="Pending invitations" headers={['Email', 'Access', 'Status', 'Expires', '']}>
          {pending.map((i) => (
            <tr key={i.id}>
              <Td className="font-medium text-slate-900">{i.email}</Td>
              <Td>{i.role ? roleName(i.role, customRoles) : `${siteName(i.siteId)} · ${roleName(i.siteRole, customRoles)}`}</Td>
              <Td><Badge tone={STATUS_TONE[i.status as keyof typeof STATUS_TONE] ?? 'neutral'}>{i.status}</Badge></Td>
              <Td className="whitespace-nowrap text-slate-500">{formatDate(i.expiresAt)}</Td>
              <Td className="text-right">
                <ConfirmAction action={revokeInvitationAction} label={`Withdraw the invitation for ${i.email}`} values={{ tenantId: tenant.id, invitationId: i.id }}
                  button="Revoke" question="Withdraw this invitation?" confirmLabel="Revoke" />
              </Td>
            </tr>
          ))}
        </Table>
      )}
    </Section>
  );
}
