import { ActionForm } from '@/components/forms/action-form';
import { ConfirmAction } from '@/components/forms/confirm-action';
import { SelectField } from '@/components/forms/field';
import { Hidden } from '@/components/forms/hidden';
import { SubmitButton } from '@/components/forms/submit-button';
import { Section } from '@/components/ui/section';
import { Table, Td } from '@/components/ui/table';
import { formatDate } from '../../../_lib/format';
import { roleChoices, roleName, type CustomRoleInfo } from '../../../_lib/roles';
import type { TenantView } from '../../../_lib/tenant';
import { changeRoleAction, removeMemberAction } from './actions';

interface Member { userId: string; email: string; name: string; role: string | null; joinedAt: Date; sites: { siteId: string; role: string }[] }

export function MembersTable({ tenant, members, customRoles, sites, canManage }: {
  tenant: TenantView; members: Member[]; customRoles: CustomRoleInfo[]; sites: { id: string; name: string }[]; canManage: boolean;
}) {
  const siteName = (id: string) => sites.find((s) => s.id === id)?.name ?? 'a site';
  const choices = [...roleChoices('tenant', customRoles), { value: '', label: 'Site access only' }];
  return (
    <Section>
      <Table label="Members" headers={['Person', 'Role', 'Site grants', 'Joined', ...(canManage ? [''] : [])]}>
        {members.map((m) => (
          <tr key={m.userId}>
            <Td><span className="font-medium text-slate-900">{m.name}</span><br /><span className="text-slate-500">{m.email}</span></Td>
            <Td>
              {canManage ? (
                <ActionForm action={changeRoleAction} label={`Role of ${m.email}`} resetOnSuccess={false} className="flex items-center gap-2">
                  <Hidden values={{ tenantId: tenant.id, userId: m.userId }} />
                  <div className="w-44"><SelectField name="role" label={`Role of ${m.name}`} hideLabel defaultValue={m.role ?? ''} choices={choices} /></div>
                  <SubmitButton variant="secondary">Save</SubmitButton>
                </ActionForm>
              ) : roleName(m.role, customRoles)}
            </Td>
            <Td>
              {m.sites.length === 0 ? <span className="text-slate-400">—</span> : (
                <ul className="space-y-0.5">{m.sites.map((g) => <li key={g.siteId}>{siteName(g.siteId)} <span className="text-slate-500">· {roleName(g.role, customRoles)}</span></li>)}</ul>
              )}
            </Td>
            <Td className="whitespace-nowrap text-slate-500">{formatDate(m.joinedAt)}</Td>
            {canManage && (
              <Td className="text-right">
                <ConfirmAction action={removeMemberAction} label={`Remove ${m.email}`} values={{ tenantId: tenant.id, userId: m.userId }}
                  button="Remove" question={`Remove ${m.name} and all their site grants?`} confirmLabel="Remove member" />
              </Td>
            )}
          </tr>
        ))}
      </Table>
    </Section>
  );
}
