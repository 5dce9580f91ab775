// The 'deploy' job: streams an artifact version from the store to the gateway's API (a project import, or a backup
// restore followed by the restart it causes), or places a module (deploy-module.ts), recording each step and the
// deployment's outcome.
import { formatBytes } from '@/lib/format/bytes';
import { logger } from '@/server/logger';
import { deployedVersion, markDeployment, type DeployParams } from '@/server/services/artifacts-deploy';
import { contentKey, objectStore } from '@/server/storage';
import { deployModule, revertModule } from './deploy-module';
import { gatewayState, postStream, waitRestarted } from './gateway-api';
import { gatewayOf, previousStatus, type EnvChanges, type Run } from './job-run';

const RESTORE_TIMEOUT_MS = 300_000;
/** After a failure: how long a gateway that is restarting may take to answer RUNNING before it counts as unhealthy (at most the health timeout). */
const SETTLE_MS = 30_000;

const paramsOf = (run: Run) => run.params as unknown as DeployParams;

export async function deploy(run: Run): Promise<EnvChanges> {
  const { db } = run.deps;
  const { tenantId } = run.env;
  const params = paramsOf(run);
  const gateway = await gatewayOf(run, 'a deploy');
  await markDeployment(db, tenantId, params.deploymentId, { status: 'running' });
  const store = run.deps.store ?? objectStore();
  if (params.moduleId) {
    const placed = await deployModule(run, gateway, store);
    await run.log.run('record', () => markDeployment(db, tenantId, params.deploymentId, { status: 'succeeded' }), () => `deployment of "${placed.artifactName}" version ${placed.versionNumber} recorded`);
    return { status: previousStatus(run) };
  }
  const { artifact, version, body } = await run.log.run('download', async () => {
    const found = await deployedVersion(db, tenantId, params.versionId);
    return { ...found, body: await store.getStream(contentKey(tenantId, found.version.sha256)) };
  }, ({ artifact, version }) => `streaming ${version.filename} (${formatBytes(version.sizeBytes)}), version ${version.number} of "${artifact.name}", from the artifact store`);
  if (artifact.kind === 'project') {
    const name = params.projectName ?? artifact.name;
    await run.log.run('import', () => postStream(gateway, `projects/import/${encodeURIComponent(name)}?overwrite=true`, 'the project import', body, version.sizeBytes),
      (r) => `imported as project "${name}"${(r as { overwritten?: boolean }).overwritten ? ', replacing the one there' : ''}`);
    await run.log.run('wait healthy', async () => {
      const state = await gatewayState(gateway.port);
      if (state !== 'RUNNING') throw new Error(`the gateway reports ${state ?? 'nothing'} after the import, not RUNNING`);
      return state;
    }, (state) => state);
  } else {
    await run.log.run('restore', () => postStream(gateway, 'backup', 'the restore', body, version.sizeBytes), () => `restored version ${version.number} of "${artifact.name}"; the gateway restarts`);
    await run.log.run('wait healthy', () => waitRestarted(gateway.port, { timeoutMs: run.deps.healthTimeoutMs ?? RESTORE_TIMEOUT_MS }), (state) => state);
  }
  await run.log.run('record', () => markDeployment(db, tenantId, params.deploymentId, { status: 'succeeded' }), () => `deployment of "${artifact.name}" version ${version.number} recorded`);
  return { status: previousStatus(run) };
}

/**
 * A failed deploy: the deployment says why. A module deploy puts the previous modules back (re-creating the gateway
 * if it had changed). The environment keeps its status unless the gateway is unhealthy afterwards (given a short
 * while to finish a restart).
 */
export async function deployFailed(run: Run, message: string): Promise<EnvChanges['status']> {
  const params = paramsOf(run);
  // Not being able to say so must not stop the gateway from being put back.
  await markDeployment(run.deps.db, run.env.tenantId, params.deploymentId, { status: 'failed', error: message })
    .catch((err: unknown) => logger.error({ err, deploymentId: params.deploymentId }, 'could not mark the deployment failed'));
  // Once the gateway listed the new module healthy it stays: a later failure (clean-up, the record) is no reason to remove it.
  const moduleInPlace = run.log.steps.some((s) => s.name === 'module healthy' && s.status === 'done');
  if (params.moduleId && !moduleInPlace) {
    const reverted = await revertModule(run).catch(() => false);
    if (reverted !== undefined) return reverted ? previousStatus(run) : 'failed';
  }
  let port: number;
  try {
    port = (await gatewayOf(run, 'a health check')).port;
  } catch {
    return 'failed';
  }
  const deadline = Date.now() + Math.min(SETTLE_MS, run.deps.healthTimeoutMs ?? SETTLE_MS);
  for (;;) {
    const state = await gatewayState(port);
    if (state === 'RUNNING') return previousStatus(run);
    if (Date.now() > deadline) return 'failed';
    await new Promise((r) => setTimeout(r, 500));
  }
}
