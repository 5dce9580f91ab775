import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { TRPCError } from '@trpc/server';
import { AutoRefresh } from '@/components/environments/auto-refresh';
import { EnvironmentActions } from '@/components/environments/environment-actions';
import { JobSteps } from '@/components/environments/job-steps';
import { isActiveJob, summarizeSpec } from '@/components/environments/spec';
import { StatusBadge } from '@/components/environments/status-badge';
import { PageHeader } from '@/components/ui/page-header';
import { Section } from '@/components/ui/section';
import { Table, Td } from '@/components/ui/table';
import { linkClass } from '@/components/ui/styles';
import { serverCaller } from '@/server/caller';
import { formatDateTime } from '../../../../../../_lib/format';
import { operateEnvironmentAction, resizeEnvironmentAction, teardownEnvironmentAction } from '../actions';
import { loadSite } from '../load-site';
import { BackupsSection } from './backups-section';
import { ComposeSection } from './compose-section';
import { DeploymentsSection } from './deployments-section';
import { GatewaysSection } from './gateways-section';
import { ObserveSection } from './observe-section';

export const metadata: Metadata = { title: 'Environment' };

// A name that is not in the site answers NOT_FOUND from the API: the console's 404, the same as for a made-up name.
function notFoundOnMissing(err: unknown): never {
  if (err instanceof TRPCError && err.code === 'NOT_FOUND') notFound();
  throw err;
}

function Fact({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div>
      <dt className="text-xs font-semibold uppercase tracking-wide text-slate-500">{label}</dt>
      <dd className="mt-1 text-sm text-slate-900">{children}</dd>
    </div>
  );
}

export default async function EnvironmentPage({ params }: { params: Promise<{ tenant: string; site: string; environment: string }> }) {
  const { tenant, site, sitePath } = await loadSite(params);
  const name = decodeURIComponent((await params).environment);
  const caller = await serverCaller();
  const ref = { tenantId: tenant.id, siteId: site.id, environment: name };
  const [env, jobs] = await Promise.all([caller.environments.get(ref), caller.environments.jobs(ref)]).catch(notFoundOnMissing);
  const spec = summarizeSpec(env.spec);
  const live = !env.removedAt;
  const can = {
    operate: live && tenant.canOnSite('environment:operate', site.id),
    provision: live && tenant.canOnSite('environment:provision', site.id),
    remove: live && tenant.canOnSite('environment:delete', site.id),
  };
  const stack = spec.members.length > 0;
  return (
    <>
      <PageHeader title={env.name} actions={<AutoRefresh active={isActiveJob(env.latestJob)} />}
        description={<>{env.stage} gateway of <Link className={linkClass} href={sitePath}>{site.name}</Link></>} />
      <Section title="Status">
        <dl className="grid gap-4 sm:grid-cols-3">
          <Fact label="Status"><span data-testid="environment-status"><StatusBadge status={env.status} /></span></Fact>
          <Fact label="Desired state">{env.desiredState}</Fact>
          <Fact label="Gateway">Ignition {spec.version} · {spec.edition}{stack && <span data-testid="stack-summary"> · a stack of {spec.members.length}: {spec.members.map((m) => m.name).join(', ')}</span>}</Fact>
          <Fact label="Size">{stack ? 'per gateway, below' : `${spec.memory} · ${spec.cpus} CPU`}</Fact>
          <Fact label="Created">{formatDateTime(env.createdAt)}</Fact>
        </dl>
        {env.lastError && <p className="mt-4 rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">Last error: {env.lastError}</p>}
      </Section>
      {env.latestJob && (
        <Section title={`Latest job: #${env.latestJob.number} ${env.latestJob.kind}`}
          description={<span className="inline-flex items-center gap-2"><StatusBadge status={env.latestJob.status} /> requested {formatDateTime(env.latestJob.createdAt)}</span>}>
          <JobSteps job={env.latestJob} />
        </Section>
      )}
      {live && <GatewaysSection environmentRef={ref} sizes={spec.members} />}
      {live && <ObserveSection environmentRef={ref} running={env.status === 'running'} />}
      {(can.operate || can.provision || can.remove) && (
        <Section title="Actions">
          <EnvironmentActions ids={{ ...ref }} name={env.name} spec={spec} can={can}
            actions={{ operate: operateEnvironmentAction, resize: resizeEnvironmentAction, teardown: teardownEnvironmentAction }} />
        </Section>
      )}
      <DeploymentsSection environmentRef={ref} tenantSlug={tenant.slug} running={env.status === 'running'}
        canDeploy={live && tenant.canOnSite('artifact:deploy', site.id)} />
      {tenant.canOnSite('artifact:read', site.id) && <BackupsSection environmentRef={ref} tenantSlug={tenant.slug} canOperate={can.operate} />}
      <Section title="Job history">
        <Table label="Job history" headers={['Job', 'Kind', 'Status', 'Requested', 'Finished']}>
          {jobs.map((j) => (
            <tr key={j.id}>
              <Td className="font-mono text-xs">#{j.number}</Td>
              <Td>{j.kind}</Td>
              <Td><StatusBadge status={j.status} /></Td>
              <Td className="whitespace-nowrap text-slate-500">{formatDateTime(j.createdAt)}</Td>
              <Td className="whitespace-nowrap text-slate-500">{formatDateTime(j.finishedAt)}</Td>
            </tr>
          ))}
        </Table>
      </Section>
      {live && env.httpPort !== null && <ComposeSection environmentRef={ref} />}
    </>
  );
}
