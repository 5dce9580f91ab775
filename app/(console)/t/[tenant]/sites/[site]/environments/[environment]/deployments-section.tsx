import { DeployForm } from '@/components/deployments/deploy-form';
import { DeploymentsTable } from '@/components/deployments/deployments-table';
import { Section } from '@/components/ui/section';
import { serverCaller } from '@/server/caller';
import { formatDateTime } from '../../../../../../_lib/format';
import { deployAction } from './deployment-actions';
import type { EnvironmentRef } from '../environment-ref';


/** What the gateway runs, and (with artifact:deploy) a form to deploy a project export or restore a backup. */
export async function DeploymentsSection({ environmentRef, tenantSlug, canDeploy, running }: { environmentRef: EnvironmentRef; tenantSlug: string; canDeploy: boolean; running: boolean }) {
  const caller = await serverCaller();
  const [deployments, deployable] = await Promise.all([
    caller.deployments.list(environmentRef),
    canDeploy ? caller.deployments.deployable({ tenantId: environmentRef.tenantId, siteId: environmentRef.siteId }) : Promise.resolve([]),
  ]);
  const rows = deployments.map((d) => ({ ...d, when: formatDateTime(d.finishedAt ?? d.createdAt) }));
  return (
    <Section title="Deployments" description="Project exports imported into this gateway and backups restored onto it, newest first.">
      {canDeploy && (
        <div className="mb-6">
          <DeployForm ids={{ ...environmentRef }} artifacts={deployable} action={deployAction} running={running} />
        </div>
      )}
      <DeploymentsTable rows={rows} artifactHref={(id) => `/t/${tenantSlug}/artifacts/${id}`} />
    </Section>
  );
}
