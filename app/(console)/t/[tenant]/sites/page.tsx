import type { Metadata } from 'next';
import Link from 'next/link';
import { ActionForm } from '@/components/forms/action-form';
import { TextField } from '@/components/forms/field';
import { Hidden } from '@/components/forms/hidden';
import { SubmitButton } from '@/components/forms/submit-button';
import { NameAndSlugFields } from '@/components/sites/name-and-slug';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { Section } from '@/components/ui/section';
import { linkClass } from '@/components/ui/styles';
import { Table, Td } from '@/components/ui/table';
import { serverCaller } from '@/server/caller';
import { formatDate } from '../../../_lib/format';
import { loadTenant, type TenantParams } from '../../../_lib/tenant';
import { createSiteAction } from './actions';

export const metadata: Metadata = { title: 'Sites' };

export default async function SitesPage({ params }: { params: TenantParams }) {
  const tenant = await loadTenant((await params).tenant);
  const sites = await (await serverCaller()).sites.list({ tenantId: tenant.id });
  const canManage = tenant.can('site:manage');
  return (
    <>
      <PageHeader title="Sites" description={tenant.can('site:read')
        ? 'Plants and locations. Each site holds its own gateways and can be delegated to operators.'
        : 'The sites delegated to you.'} />
      <Section>
        {sites.length === 0 ? (
          <EmptyState title="No sites yet">
            {canManage ? 'Create the first one below: one site per plant or location.' : 'No site is shared with you. Ask a tenant admin to delegate one.'}
          </EmptyState>
        ) : (
          <Table label="Sites" headers={['Name', 'Slug', 'Description', 'Created']}>
            {sites.map((s) => (
              <tr key={s.id}>
                <Td><Link className={linkClass} href={`/t/${tenant.slug}/sites/${s.slug}`}>{s.name}</Link></Td>
                <Td className="font-mono text-xs">{s.slug}</Td>
                <Td className="text-slate-500">{s.description || '—'}</Td>
                <Td className="whitespace-nowrap text-slate-500">{formatDate(s.createdAt)}</Td>
              </tr>
            ))}
          </Table>
        )}
      </Section>
      {canManage && (
        <Section title="Create a site" description="The slug names the site in addresses and container names.">
          <ActionForm action={createSiteAction} label="Create a site" className="grid max-w-xl gap-4">
            <Hidden values={{ tenantId: tenant.id }} />
            <NameAndSlugFields nameHint="For example: Riverside bottling plant" />
            <TextField name="description" label="Description (optional)" maxLength={500} />
            <div><SubmitButton>Create site</SubmitButton></div>
          </ActionForm>
        </Section>
      )}
    </>
  );
}
