import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { AuditFilterForm } from '@/components/audit/filter-form';
import { PageHeader } from '@/components/ui/page-header';
import { Section } from '@/components/ui/section';
import { buttonClass } from '@/components/ui/styles';
import { serverCaller } from '@/server/caller';
import { explainError } from '../../../_lib/run-action';
import { loadTenant, type TenantParams } from '../../../_lib/tenant';
import { AuditTable } from './audit-table';
import { ChainStatus } from './chain-status';
import { apiFilters, queryString, readFilters } from './filters';

export const metadata: Metadata = { title: 'Audit log' };
const PAGE_SIZE = 50;

export default async function AuditPage({ params, searchParams }: {
  params: TenantParams; searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const tenant = await loadTenant((await params).tenant);
  if (!tenant.can('audit:read')) notFound();
  const query = await searchParams;
  const filters = readFilters(query);
  const beforeId = Number(query.beforeId) > 0 ? Number(query.beforeId) : undefined;
  const caller = await serverCaller();
  const base = `/t/${tenant.slug}/audit`;
  const exportBase = `/api/v1/tenants/${tenant.id}/audit/export`;
  const forApi = apiFilters(filters);
  let entries: Awaited<ReturnType<typeof caller.audit.list>> = [];
  let problem: string | undefined;
  try {
    entries = await caller.audit.list({ tenantId: tenant.id, ...forApi, limit: PAGE_SIZE, beforeId });
  } catch (err) {
    const explained = explainError(err);
    problem = Object.values(explained.fieldErrors ?? {}).flat().join(' ') || explained.message;
  }
  const last = entries.at(-1);
  return (
    <>
      <PageHeader title="Audit log" description="Every change and every refused attempt in this tenant, newest first. Entries are hash-chained and cannot be edited."
        actions={<>
          <a className={buttonClass.secondary} href={`${exportBase}${queryString({ format: 'csv', ...forApi })}`}>Export CSV</a>
          <a className={buttonClass.secondary} href={`${exportBase}${queryString({ format: 'jsonl', ...forApi })}`}>Export JSON Lines</a>
        </>} />
      <ChainStatus tenantId={tenant.id} />
      <Section>
        <AuditFilterForm values={filters} clearHref={base} />
      </Section>
      <Section>
        {problem ? <p role="alert" className="text-sm text-red-800">{problem}</p> : <AuditTable entries={entries} />}
      </Section>
      <nav aria-label="Pages" className="flex justify-between">
        {beforeId ? <a className={buttonClass.secondary} href={`${base}${queryString(filters)}`}>Newest entries</a> : <span />}
        {last && entries.length === PAGE_SIZE && (
          <a className={buttonClass.secondary} href={`${base}${queryString({ ...filters, beforeId: last.id })}`}>Older entries</a>
        )}
      </nav>
    </>
  );
}
