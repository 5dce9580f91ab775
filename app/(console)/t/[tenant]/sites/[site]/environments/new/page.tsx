import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { RequestEnvironmentForm } from '@/components/environments/request-form';
import { PageHeader } from '@/components/ui/page-header';
import { Section } from '@/components/ui/section';
import { linkClass } from '@/components/ui/styles';
import { requestEnvironmentAction } from '../actions';
import { loadSite, type SiteParams } from '../load-site';

export const metadata: Metadata = { title: 'Request an environment' };

export default async function NewEnvironmentPage({ params }: { params: SiteParams }) {
  const { tenant, site, sitePath, environmentsPath } = await loadSite(params);
  if (!tenant.canOnSite('environment:provision', site.id)) notFound();
  return (
    <>
      <PageHeader title="Request an environment"
        description={<>A new Ignition gateway for <Link className={linkClass} href={sitePath}>{site.name}</Link>. Switchyard checks your quota, allocates a port and provisions it.</>} />
      <Section>
        <RequestEnvironmentForm action={requestEnvironmentAction} ids={{ tenantId: tenant.id, siteId: site.id }} environmentsPath={environmentsPath} />
      </Section>
    </>
  );
}
