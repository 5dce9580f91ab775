// Deploying artifact versions to gateways: a request records the deployment and queues an environment job 'deploy'
// in one transaction (the job streams the bytes to the gateway, or places a module: server/jobs/deploy-steps.ts).
// Also what can be deployed to a site, and what an environment runs.
import { and, desc, eq, inArray, isNull, or } from 'drizzle-orm';
import { anyOf } from '@/db/any-of';
import { type Db, type Tx, withTenant } from '@/db/client';
import { artifactDeployments, artifacts, artifactVersions, type Artifact, type ArtifactDeployment, type ArtifactVersion, type Environment } from '@/db/schema';
import type { ModuleMetadata } from '@/lib/artifacts/types';
import { isAtLeast, parseGatewayVersion } from '@/lib/gateway';
import { compareVersions, tryParseIgnitionVersion, versionLine } from '@/lib/version';
import { actorLabel, type Who } from '@/server/context';
import { AppError, notFound } from '@/server/errors';
import { environmentDeployments, type DeploymentView } from './artifacts';
import { recordAudit } from './audit';
import { MODULE_ID } from './environment-modules';
import { assertLive, findEnvironment, startJob } from './environments';

interface Ref { tenantId: string; siteId: string; name: string }

export const DEPLOYABLE_KINDS = ['project', 'backup', 'module'] as const;
/** Ignition's project names: letters, digits, '_' and '-'. */
const PROJECT_NAME = /^[A-Za-z0-9_-]{1,128}$/;

/** Params of a 'deploy' job; moduleId is set for a module (jobs queued before modules were deployable lack it). */
export interface DeployParams { deploymentId: string; versionId: string; projectName: string | null; moduleId?: string | null }

/**
 * A version a site may deploy: the tenant's library, or the site's own artifacts. Anything else is NOT_FOUND.
 * Held (FOR SHARE) to the end of the caller's transaction, so retention cannot delete it under a deploy being recorded;
 * one retention deleted first is simply not found.
 */
async function versionForSite(tx: Tx, ref: { tenantId: string; siteId: string }, versionId: string): Promise<{ artifact: Artifact; version: ArtifactVersion }> {
  const [row] = await tx.select({ version: artifactVersions, artifact: artifacts }).from(artifactVersions)
    .innerJoin(artifacts, and(eq(artifacts.tenantId, artifactVersions.tenantId), eq(artifacts.id, artifactVersions.artifactId)))
    .where(and(eq(artifactVersions.tenantId, ref.tenantId), eq(artifactVersions.id, versionId), or(isNull(artifacts.siteId), eq(artifacts.siteId, ref.siteId))))
    .for('share', { of: artifactVersions });
  if (!row) throw notFound('artifact version');
  return row;
}

function refuseKind(artifact: Artifact): never {
  throw new AppError('BAD_REQUEST', `"${artifact.name}" holds ${artifact.kind} files, which are not deployed to gateways; deploy a project export, a gateway backup or a module.`, 'versionId');
}

function projectNameFor(artifact: Artifact, given: string | undefined): string | null {
  if (artifact.kind !== 'project') {
    const instead = artifact.kind === 'module' ? 'a module is placed in the gateway\'s modules folder under its id' : 'a backup restores the whole gateway';
    if (given) throw new AppError('BAD_REQUEST', `projectName is for project exports; ${instead}. Leave it out.`, 'projectName');
    return null;
  }
  const name = given ?? artifact.name;
  if (!PROJECT_NAME.test(name)) {
    throw new AppError('BAD_REQUEST', given
      ? 'projectName is 1-128 letters, digits, "_" or "-" (Ignition\'s project names).'
      : `The artifact's name "${artifact.name}" is not a valid Ignition project name; give projectName (letters, digits, "_" or "-").`, 'projectName');
  }
  return name;
}

/**
 * The module's id, once it is known the gateway can run it: 8.3 refuses modules built for an older line, and no
 * gateway runs a module that requires a newer Ignition than its own. Refused before anything is recorded.
 */
function moduleFitting(artifact: Artifact, version: ArtifactVersion, env: Environment): string {
  const meta = version.metadata as Partial<ModuleMetadata>;
  const what = `Module "${meta.name ?? artifact.name}" ${meta.version ?? ''} (version ${version.number} of "${artifact.name}")`.replace('  ', ' ');
  if (typeof meta.id !== 'string' || !MODULE_ID.test(meta.id)) {
    throw new AppError('BAD_REQUEST', `${what} has the id "${String(meta.id)}", which a gateway cannot accept (ids are letters, digits, ".", "_" and "-"); ask its vendor for a proper build.`, 'versionId');
  }
  const gateway = parseGatewayVersion(String((env.spec as { version?: unknown }).version ?? ''));
  if ('error' in gateway) throw new AppError('PRECONDITION_FAILED', `Environment "${env.name}" has no usable Ignition version (${gateway.error}); fix its spec, then deploy.`);
  const required = meta.requiredIgnitionVersion ? tryParseIgnitionVersion(meta.requiredIgnitionVersion) : undefined;
  if (!required) return meta.id;
  if (compareVersions(required, gateway.text) > 0) {
    throw new AppError('BAD_REQUEST', `${what} requires Ignition ${required.raw}; environment "${env.name}" runs ${gateway.text}. Upgrade the gateway (change its version), or deploy the vendor's build for ${versionLine(gateway.text)}.`, 'versionId');
  }
  if (isAtLeast(gateway, '8.3.0') && compareVersions(required, '8.3.0') < 0) {
    throw new AppError('BAD_REQUEST', `${what} is built for Ignition ${versionLine(required)} (requiredIgnitionVersion ${required.raw}); Ignition ${gateway.text} refuses modules built for older lines. Upload the vendor's ${versionLine(gateway.text)} build of the module and deploy that.`, 'versionId');
  }
  return meta.id;
}

/**
 * Records a deployment of `versionId` to the environment and queues its job, audited as artifact.deploy. The version
 * is checked first, so a foreign or unknown id answers NOT_FOUND whatever the environment's state.
 */
export async function requestDeploy(db: Db, args: Ref & Who & { versionId: string; projectName?: string }): Promise<DeploymentView> {
  const { deploymentId, environmentId } = await withTenant(db, args.tenantId, async (tx) => {
    const { artifact, version } = await versionForSite(tx, args, args.versionId);
    if (!(DEPLOYABLE_KINDS as readonly string[]).includes(artifact.kind)) refuseKind(artifact);
    const projectName = projectNameFor(artifact, args.projectName);
    const env = await findEnvironment(tx, args);
    assertLive(env, 'a deploy');
    const moduleId = artifact.kind === 'module' ? moduleFitting(artifact, version, env) : null;
    if (env.status !== 'running') {
      throw new AppError('PRECONDITION_FAILED', `Environment "${env.name}" is ${env.status.replaceAll('_', ' ')}; a deploy needs a running gateway. Start it (or wait for its job), then deploy.`);
    }
    if (!env.apiTokenSealed) {
      throw new AppError('PRECONDITION_FAILED', `Environment "${env.name}" has no gateway API token, which a deploy needs. Create the environment with apiToken set.`);
    }
    const [deployment] = await tx.insert(artifactDeployments).values({
      tenantId: args.tenantId, versionId: version.id, environmentId: env.id, deployedBy: actorLabel(args.actor),
    }).returning() as [ArtifactDeployment];
    const params: DeployParams = { deploymentId: deployment.id, versionId: version.id, projectName, moduleId };
    const { job } = await startJob(tx, env, 'deploy', { actor: args.actor, params: { ...params } });
    await tx.update(artifactDeployments).set({ jobId: job.id }).where(and(eq(artifactDeployments.tenantId, args.tenantId), eq(artifactDeployments.id, deployment.id)));
    await recordAudit(tx, {
      tenantId: args.tenantId, actor: args.actor, meta: args.meta, action: 'artifact.deploy', resourceType: 'artifact_version', resourceId: version.id,
      changes: { artifact: artifact.name, kind: artifact.kind, number: version.number, environment: env.name, environmentId: env.id, job: job.number, deploymentId: deployment.id, ...(projectName ? { projectName } : {}), ...(moduleId ? { moduleId } : {}) },
    });
    return { deploymentId: deployment.id, environmentId: env.id };
  });
  const view = (await environmentDeployments(db, { tenantId: args.tenantId, environmentId })).find((d) => d.id === deploymentId);
  if (!view) throw notFound('deployment');
  return view;
}

export async function deploymentOf(db: Db, tenantId: string, deploymentId: string): Promise<ArtifactDeployment> {
  const [row] = await withTenant(db, tenantId, (tx) => tx.select().from(artifactDeployments)
    .where(and(eq(artifactDeployments.tenantId, tenantId), eq(artifactDeployments.id, deploymentId))));
  if (!row) throw notFound('deployment');
  return row;
}

/** The version a deploy job streams (checked for the site when it was requested). */
export async function deployedVersion(db: Db, tenantId: string, versionId: string): Promise<{ artifact: Artifact; version: ArtifactVersion }> {
  const [row] = await withTenant(db, tenantId, (tx) => tx.select({ version: artifactVersions, artifact: artifacts }).from(artifactVersions)
    .innerJoin(artifacts, and(eq(artifacts.tenantId, artifactVersions.tenantId), eq(artifacts.id, artifactVersions.artifactId)))
    .where(and(eq(artifactVersions.tenantId, tenantId), eq(artifactVersions.id, versionId))));
  if (!row) throw new Error('the version was deleted after the deploy was requested; nothing was sent to the gateway');
  return row;
}

/** The job's progress on the deployment row: running, then succeeded or failed with the reason in words. */
export async function markDeployment(db: Db, tenantId: string, deploymentId: string, change: { status: ArtifactDeployment['status']; error?: string | null }): Promise<void> {
  const finished = change.status === 'succeeded' || change.status === 'failed';
  await withTenant(db, tenantId, (tx) => tx.update(artifactDeployments)
    .set({ status: change.status, error: change.error ?? null, ...(finished ? { finishedAt: new Date() } : {}) })
    .where(and(eq(artifactDeployments.tenantId, tenantId), eq(artifactDeployments.id, deploymentId))));
}

/** What the environment runs and ran: its deployments, newest first. */
export async function listDeployments(db: Db, ref: Ref): Promise<DeploymentView[]> {
  const env = await withTenant(db, ref.tenantId, (tx) => findEnvironment(tx, ref));
  return environmentDeployments(db, { tenantId: ref.tenantId, environmentId: env.id });
}

export interface DeployableArtifact { id: string; name: string; kind: string; siteId: string | null; versions: { id: string; number: number; filename: string; sizeBytes: number; createdAt: Date }[] }

/** Project, backup and module artifacts the site may deploy, each with its newest versions. */
export async function listDeployable(db: Db, args: { tenantId: string; siteId: string; versionsEach?: number }): Promise<DeployableArtifact[]> {
  return withTenant(db, args.tenantId, async (tx) => {
    const rows = await tx.select().from(artifacts).where(and(eq(artifacts.tenantId, args.tenantId), inArray(artifacts.kind, [...DEPLOYABLE_KINDS]),
      or(isNull(artifacts.siteId), eq(artifacts.siteId, args.siteId)))).orderBy(artifacts.kind, artifacts.name);
    if (rows.length === 0) return [];
    const versions = await tx.select().from(artifactVersions)
      .where(and(eq(artifactVersions.tenantId, args.tenantId), anyOf(artifactVersions.artifactId, rows.map((r) => r.id))))
      .orderBy(desc(artifactVersions.number));
    const each = args.versionsEach ?? 20;
    return rows.map((a) => ({
      id: a.id, name: a.name, kind: a.kind, siteId: a.siteId,
      versions: versions.filter((v) => v.artifactId === a.id).slice(0, each)
        .map((v) => ({ id: v.id, number: v.number, filename: v.filename, sizeBytes: v.sizeBytes, createdAt: v.createdAt })),
    })).filter((a) => a.versions.length > 0);
  });
}
