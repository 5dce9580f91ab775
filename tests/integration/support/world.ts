import { Readable } from 'node:stream';
import { artifactDeployments, backupSchedules } from '@/db/schema';
import { buildProjectExport } from '@/lib/artifacts/fixtures';
import { recordSample } from '@/server/services/environment-samples';
import { authenticateToken } from '@/server/services/tokens';
import { withTenant } from '@/db/client';
import { appDb, addMember, callerFor, makeTenant, ownerDb, unique, type UserActor } from '../../helpers/db';
import { ID_KEYS, PROBE_ENVIRONMENT, PROBE_SPEC, type Ids } from './sample-inputs';

export { ID_KEYS, type Ids } from './sample-inputs';

export type Caller = ReturnType<typeof callerFor>;

/**
 * A tenant with something of every kind: two sites, an environment on the first, a member holding an operator grant on the first, a custom
 * role, an admin API token, a pending invitation, and a deployed project version with a backup schedule.
 */
export interface World extends Ids {
  otherSiteId: string;
  owner: UserActor;
  ownerCaller: Caller;
  member: UserActor;
  tokenSecret: string;
}

export async function buildWorld(label: string): Promise<World> {
  const { tenant, owner, ownerCaller } = await makeTenant(label);
  const tenantId = tenant.id;
  const site = await ownerCaller.sites.create({ tenantId, slug: 'main-plant', name: 'Main plant' });
  const other = await ownerCaller.sites.create({ tenantId, slug: 'other-plant', name: 'Other plant' });
  const role = await ownerCaller.roles.create({ tenantId, name: 'Site reader', permissions: ['site:read', 'environment:read'] });
  const { user: member } = await addMember(ownerCaller, tenantId, 'member', [{ siteId: site.id, role: 'operator' }]);
  const token = await ownerCaller.tokens.create({ tenantId, name: 'ci', role: 'admin' });
  // The environment the sample inputs name, so walks over environment procedures and routes find one.
  const probe = await ownerCaller.environments.create({ tenantId, siteId: site.id, name: PROBE_ENVIRONMENT, stage: 'dev', spec: PROBE_SPEC });
  // Its gateway never runs (the image is not on the host): one stats sample as the sampler would write it.
  await recordSample(appDb().db, { tenantId, environmentId: probe.environment.id, sample: { sampledAt: new Date(), cpuPercent: 1.5, memoryUsedBytes: 2 ** 29, memoryLimitBytes: 2 ** 30 } });
  // An explicit quota, so every tenant table holds a row of this tenant for the isolation checks.
  await ownerCaller.environments.setQuota({ tenantId, maxEnvironments: 20, maxCpus: 40, maxMemoryMib: 81_920 });
  const invitation = await ownerCaller.invitations.create({ tenantId, email: `${unique('invitee')}@example.test`, role: 'member' });
  const upload = await ownerCaller.artifacts.upload({
    tenantId, name: 'probe-project', kind: 'project',
    body: Readable.from([await buildProjectExport({ title: 'Probe', resources: { 'ignition/script-python/probe/code.py': 'pass' } })]),
  });
  // Written as the worker and the scheduler would, so the deployment and schedule tables hold a row of this tenant.
  await withTenant(ownerDb().db, tenantId, async (tx) => {
    await tx.insert(artifactDeployments).values({ tenantId, versionId: upload.version.id, environmentId: probe.environment.id, status: 'succeeded', deployedBy: 'world', finishedAt: new Date() });
    await tx.insert(backupSchedules).values({ tenantId, environmentId: probe.environment.id, everyHours: 24, keepLast: 7, nextRunAt: new Date(Date.now() + 86_400_000), updatedBy: 'world' });
  });
  return {
    tenantId, siteId: site.id, otherSiteId: other.id, userId: member.userId, roleId: role.id, tokenId: token.summary.id,
    invitationId: invitation.invitation.id, artifactId: upload.artifact.id, versionId: upload.version.id, owner, ownerCaller, member, tokenSecret: token.token,
  };
}

export function idsOf(world: World): Ids {
  return Object.fromEntries(ID_KEYS.map((k) => [k, world[k]])) as Ids;
}

/** A caller authenticated the way the REST layer does it: from the token's secret. */
export async function tokenCaller(secret: string): Promise<Caller> {
  const actor = await authenticateToken(appDb().db, secret);
  if (!actor) throw new Error('the test token did not authenticate');
  return callerFor(actor);
}
