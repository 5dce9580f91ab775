import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { ActionForm } from '@/components/forms/action-form';
import { ConfirmAction } from '@/components/forms/confirm-action';
import { SelectField, TextField } from '@/components/forms/field';
import { Hidden } from '@/components/forms/hidden';
import { OneTimeSecret } from '@/components/forms/one-time-secret';
import { SubmitButton } from '@/components/forms/submit-button';
import { Badge } from '@/components/ui/badge';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { Section } from '@/components/ui/section';
import { Table, Td } from '@/components/ui/table';
import { serverCaller } from '@/server/caller';
import { formatDate, formatDateTime } from '../../../_lib/format';
import { roleChoices, roleName } from '../../../_lib/roles';
import { loadTenant, type TenantParams } from '../../../_lib/tenant';
import { createTokenAction, revokeTokenAction } from './actions';

export const metadata: Metadata = { title: 'API tokens' };

const EXPIRY = [
  { value: '30', label: '30 days' }, { value: '90', label: '90 days' }, { value: '365', label: '1 year' }, { value: '', label: 'Never' },
];

function status(t: { revokedAt: Date | null; expiresAt: Date | null }) {
  if (t.revokedAt) return <Badge tone="neutral">revoked</Badge>;
  if (t.expiresAt && t.expiresAt <= new Date()) return <Badge tone="warn">expired</Badge>;
  return <Badge tone="good">active</Badge>;
}

export default async function TokensPage({ params }: { params: TenantParams }) {
  const tenant = await loadTenant((await params).tenant);
  if (!tenant.can('token:manage')) notFound();
  const caller = await serverCaller();
  const [tokens, customRoles] = await Promise.all([caller.tokens.list({ tenantId: tenant.id }), caller.roles.list({ tenantId: tenant.id })]);
  return (
    <>
      <PageHeader title="API tokens" description="Tokens let CI systems and scripts call the REST API with a role, as Authorization: Bearer <token>." />
      <Section>
        {tokens.length === 0 ? <EmptyState title="No API tokens">Create one below for your CI system or scripts.</EmptyState> : (
          <Table label="API tokens" headers={['Name', 'Prefix', 'Role', 'Created', 'Last used', 'Expires', 'Status', '']}>
            {tokens.map((t) => (
              <tr key={t.id}>
                <Td className="font-medium text-slate-900">{t.name}</Td>
                <Td className="font-mono text-xs">{t.prefix}</Td>
                <Td>{roleName(t.role, customRoles)}</Td>
                <Td className="whitespace-nowrap text-slate-500">{formatDate(t.createdAt)}</Td>
                <Td className="whitespace-nowrap text-slate-500">{t.lastUsedAt ? formatDateTime(t.lastUsedAt) : 'Never'}</Td>
                <Td className="whitespace-nowrap text-slate-500">{t.expiresAt ? formatDate(t.expiresAt) : 'Never'}</Td>
                <Td>{status(t)}</Td>
                <Td className="text-right">
                  {!t.revokedAt && (
                    <ConfirmAction action={revokeTokenAction} label={`Revoke ${t.name}`} values={{ tenantId: tenant.id, tokenId: t.id }}
                      button="Revoke" question="Revoke now? Calls using it fail at once." confirmLabel="Revoke token" />
                  )}
                </Td>
              </tr>
            ))}
          </Table>
        )}
      </Section>
      <Section title="Create a token">
        <ActionForm action={createTokenAction} label="Create a token" className="grid max-w-xl gap-4">
          <Hidden values={{ tenantId: tenant.id }} />
          <TextField name="name" label="Name" maxLength={60} required placeholder="For example: GitLab deploy" />
          <SelectField name="role" label="Role" defaultValue="member" choices={roleChoices('tenant', customRoles)} hint="The token can do what this role allows, nothing more." />
          <SelectField name="expiresInDays" label="Expires after" defaultValue="90" choices={EXPIRY} />
          <div><SubmitButton>Create token</SubmitButton></div>
          <OneTimeSecret />
        </ActionForm>
      </Section>
    </>
  );
}
