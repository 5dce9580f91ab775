import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { ActionForm } from '@/components/forms/action-form';
import { TextField } from '@/components/forms/field';
import { SubmitButton } from '@/components/forms/submit-button';
import { NameAndSlugFields } from '@/components/sites/name-and-slug';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { Section } from '@/components/ui/section';
import { linkClass } from '@/components/ui/styles';
import { Table, Td } from '@/components/ui/table';
import { currentActor, serverCaller } from '@/server/caller';
import { formatDate } from '../_lib/format';
import { createTenantAction } from './actions';

export const metadata: Metadata = { title: 'Platform' };

export default async function PlatformPage() {
  const actor = await currentActor();
  if (actor?.type !== 'user' || !actor.isPlatformAdmin) notFound();
  const caller = await serverCaller();
  const [tenants, mine] = await Promise.all([caller.platform.listTenants({}), caller.me.tenants({})]);
  const memberOf = new Set(mine.map((t) => t.id));
  return (
    <main className="mx-auto max-w-5xl px-4 py-8 sm:px-6">
      <PageHeader title="Platform" description="Tenants on this Switchyard. Platform operators create tenants; they see a tenant's data only as one of its members." />
      <Section title="Tenants">
        {tenants.length === 0 ? <EmptyState title="No tenants yet">Create the first one below for a company or business unit.</EmptyState> : (
          <Table label="Tenants" headers={['Name', 'Slug', 'Created']}>
            {tenants.map((t) => (
              <tr key={t.id}>
                <Td>{memberOf.has(t.id) ? <Link className={linkClass} href={`/t/${t.slug}`}>{t.name}</Link> : <span className="font-medium">{t.name}</span>}</Td>
                <Td className="font-mono text-xs">{t.slug}</Td>
                <Td className="whitespace-nowrap text-slate-500">{formatDate(t.createdAt)}</Td>
              </tr>
            ))}
          </Table>
        )}
      </Section>
      <Section title="Create a tenant" description="The owner needs a Switchyard account. For someone new, make yourself the owner, then invite them from the tenant's Members page.">
        <ActionForm action={createTenantAction} label="Create a tenant" className="grid max-w-xl gap-4">
          <NameAndSlugFields nameHint="The company or business unit, for example: Acme Beverages" />
          <TextField name="ownerEmail" label="Owner's email" type="email" defaultValue={actor.email} required />
          <div><SubmitButton>Create tenant</SubmitButton></div>
        </ActionForm>
      </Section>
    </main>
  );
}
