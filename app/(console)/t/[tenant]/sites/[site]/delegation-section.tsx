import { ActionForm } from '@/components/forms/action-form';
import { ConfirmAction } from '@/components/forms/confirm-action';
import { SelectField } from '@/components/forms/field';
import { Hidden } from '@/components/forms/hidden';
import { SubmitButton } from '@/components/forms/submit-button';
import { EmptyState } from '@/components/ui/empty-state';
import { Section } from '@/components/ui/section';
import { Table, Td } from '@/components/ui/table';
import { serverCaller } from '@/server/caller';
import { formatDate } from '../../../../_lib/format';
import { roleChoices, roleName } from '../../../../_lib/roles';
import type { TenantView } from '../../../../_lib/tenant';
import { grantSiteAction, revokeGrantAction } from '../actions';

export async function DelegationSection({ tenant, site }: { tenant: TenantView; site: { id: string; name: string } }) {
  const caller = await serverCaller();
  const grants = await caller.delegation.list({ tenantId: tenant.id, siteId: site.id });
  const canManage = tenant.canOnSite('member:manage', site.id);
  const customRoles = tenant.can('member:read') ? await caller.roles.list({ tenantId: tenant.id }) : [];
  const members = canManage ? await caller.members.list({ tenantId: tenant.id }) : [];
  const ids = { tenantId: tenant.id, siteId: site.id };
  return (
    <Section title="People on this site" description="Delegated people work on this site only, with the site role you give them.">
      {grants.length === 0 ? (
        <EmptyState title="Nobody is delegated to this site">{canManage ? 'Use "Delegate this site" below to give a member a site role.' : null}</EmptyState>
      ) : (
        <Table label="Site grants" headers={['Person', 'Site role', 'Since', '']}>
          {grants.map((g) => (
            <tr key={g.userId}>
              <Td><span className="font-medium text-slate-900">{g.name}</span><br /><span className="text-slate-500">{g.email}</span></Td>
              <Td>{roleName(g.role, customRoles)}</Td>
              <Td className="whitespace-nowrap text-slate-500">{formatDate(g.grantedAt)}</Td>
              <Td className="text-right">
                {canManage && (
                  <ConfirmAction action={revokeGrantAction} label={`Remove ${g.email} from the site`} values={{ ...ids, userId: g.userId }}
                    button="Remove access" question={`Remove ${g.name}?`} confirmLabel="Remove" />
                )}
              </Td>
            </tr>
          ))}
        </Table>
      )}
      {canManage && (
        <div className="mt-6 border-t border-slate-200 pt-4">
          <h3 className="mb-3 text-sm font-semibold text-slate-900">Delegate this site</h3>
          {members.length === 0 ? <p className="text-sm text-slate-500">Invite people on the Members page first.</p> : (
            <ActionForm action={grantSiteAction} label="Delegate this site" className="grid max-w-xl gap-4 sm:grid-cols-[1fr_1fr_auto] sm:items-end">
              <Hidden values={ids} />
              <SelectField name="userId" label="Member" choices={members.map((m) => ({ value: m.userId, label: `${m.name} (${m.email})` }))} />
              <SelectField name="role" label="Site role" choices={roleChoices('site', customRoles)} />
              <div><SubmitButton>Delegate</SubmitButton></div>
            </ActionForm>
          )}
        </div>
      )}
    </Section>
  );
}
