/** The ids a procedure can take; every suite builds calls from these. */
export const ID_KEYS = ['tenantId', 'siteId', 'userId', 'roleId', 'tokenId', 'invitationId', 'artifactId', 'versionId'] as const;
export type IdKey = (typeof ID_KEYS)[number];
export type Ids = Record<IdKey, string>;

export const PROBE_ENVIRONMENT = 'probe';
/** A gateway whose image is not on the host: a walk may queue it, and its provision fails at the image step. */
export const PROBE_SPEC = { version: '8.3.4', image: 'switchyard/not-pulled-probe:8.3.4', acceptEula: true, memory: '1GiB' };

/**
 * One valid input for every procedure that works inside a tenant or takes an id, built from a tenant's ids. Suites swap ids in
 * and out of these; a test fails when a procedure that takes an id has no entry here, so new procedures get cases.
 * Role values reference the custom role, so a foreign role id is exercised wherever a role is given.
 */
export const SAMPLE_INPUTS: Record<string, (ids: Ids) => Record<string, unknown>> = {
  'me.access': ({ tenantId }) => ({ tenantId }),

  'sites.list': ({ tenantId }) => ({ tenantId }),
  'sites.get': ({ tenantId, siteId }) => ({ tenantId, siteId }),
  'sites.create': ({ tenantId }) => ({ tenantId, slug: 'probe-site', name: 'Probe site' }),
  'sites.update': ({ tenantId, siteId }) => ({ tenantId, siteId, name: 'Renamed site' }),
  'sites.delete': ({ tenantId, siteId }) => ({ tenantId, siteId }),

  'members.list': ({ tenantId }) => ({ tenantId }),
  'members.changeRole': ({ tenantId, userId, roleId }) => ({ tenantId, userId, role: `custom:${roleId}` }),
  'members.remove': ({ tenantId, userId }) => ({ tenantId, userId }),

  'delegation.list': ({ tenantId, siteId }) => ({ tenantId, siteId }),
  'delegation.grant': ({ tenantId, siteId, userId, roleId }) => ({ tenantId, siteId, userId, role: `custom:${roleId}` }),
  'delegation.revoke': ({ tenantId, siteId, userId }) => ({ tenantId, siteId, userId }),

  'invitations.list': ({ tenantId }) => ({ tenantId }),
  'invitations.create': ({ tenantId, siteId, roleId }) => ({ tenantId, email: 'probe@example.test', role: `custom:${roleId}`, siteId, siteRole: 'viewer' }),
  'invitations.revoke': ({ tenantId, invitationId }) => ({ tenantId, invitationId }),

  'roles.list': ({ tenantId }) => ({ tenantId }),
  'roles.create': ({ tenantId }) => ({ tenantId, name: 'Probe role', permissions: ['site:read'] }),
  'roles.update': ({ tenantId, roleId }) => ({ tenantId, roleId, name: 'Renamed role' }),
  'roles.delete': ({ tenantId, roleId }) => ({ tenantId, roleId }),

  'tokens.list': ({ tenantId }) => ({ tenantId }),
  'tokens.create': ({ tenantId, roleId }) => ({ tenantId, name: 'probe', role: `custom:${roleId}` }),
  'tokens.revoke': ({ tenantId, tokenId }) => ({ tenantId, tokenId }),

  'audit.list': ({ tenantId }) => ({ tenantId }),
  'audit.verify': ({ tenantId }) => ({ tenantId }),

  // Environments are addressed by name within their site. `create` runs first in router walks, so the later
  // procedures find "probe" in the world's site; job 1 is its provision.
  'environments.create': ({ tenantId, siteId }) => ({ tenantId, siteId, name: PROBE_ENVIRONMENT, stage: 'dev', spec: PROBE_SPEC }),
  'environments.list': ({ tenantId, siteId }) => ({ tenantId, siteId }),
  'environments.get': ({ tenantId, siteId }) => ({ tenantId, siteId, environment: PROBE_ENVIRONMENT }),
  'environments.compose': ({ tenantId, siteId }) => ({ tenantId, siteId, environment: PROBE_ENVIRONMENT }),
  'environments.jobs': ({ tenantId, siteId }) => ({ tenantId, siteId, environment: PROBE_ENVIRONMENT }),
  'environments.job': ({ tenantId, siteId }) => ({ tenantId, siteId, environment: PROBE_ENVIRONMENT, number: 1 }),
  'environments.samples': ({ tenantId, siteId }) => ({ tenantId, siteId, environment: PROBE_ENVIRONMENT }),
  'environments.logs': ({ tenantId, siteId }) => ({ tenantId, siteId, environment: PROBE_ENVIRONMENT, lines: 50 }),
  'environments.members': ({ tenantId, siteId }) => ({ tenantId, siteId, environment: PROBE_ENVIRONMENT }),
  'environments.update': ({ tenantId, siteId }) => ({ tenantId, siteId, environment: PROBE_ENVIRONMENT, spec: { ...PROBE_SPEC, memory: '1536MiB' } }),
  'environments.start': ({ tenantId, siteId }) => ({ tenantId, siteId, environment: PROBE_ENVIRONMENT }),
  'environments.stop': ({ tenantId, siteId }) => ({ tenantId, siteId, environment: PROBE_ENVIRONMENT }),
  'environments.restart': ({ tenantId, siteId }) => ({ tenantId, siteId, environment: PROBE_ENVIRONMENT }),
  'environments.backup': ({ tenantId, siteId }) => ({ tenantId, siteId, environment: PROBE_ENVIRONMENT }),
  'environments.quota': ({ tenantId }) => ({ tenantId }),
  'environments.setQuota': ({ tenantId }) => ({ tenantId, maxEnvironments: 10, maxCpus: 16, maxMemoryMib: 32768 }),
  'environments.delete': ({ tenantId, siteId }) => ({ tenantId, siteId, environment: PROBE_ENVIRONMENT, confirm: PROBE_ENVIRONMENT }),

  // The world's artifact is a tenant-wide project whose one version is deployed: deleting it needs force, so walks
  // that are let through get CONFLICT instead of deleting the world. The upload sample has no body (BAD_REQUEST once
  // access is decided); the streaming route supplies one.
  'artifacts.list': ({ tenantId }) => ({ tenantId }),
  'artifacts.get': ({ tenantId, artifactId }) => ({ tenantId, artifactId }),
  'artifacts.version': ({ tenantId, versionId }) => ({ tenantId, versionId }),
  'artifacts.diff': ({ tenantId, artifactId, versionId }) => ({ tenantId, artifactId, fromVersionId: versionId, toVersionId: versionId }),
  'artifacts.downloadLink': ({ tenantId, versionId }) => ({ tenantId, versionId }),
  'artifacts.deleteVersion': ({ tenantId, versionId }) => ({ tenantId, versionId }),
  'artifacts.upload': ({ tenantId, siteId }) => ({ tenantId, siteId, name: 'probe-upload', kind: 'other' }),
  'artifacts.usage': ({ tenantId }) => ({ tenantId }),
  'artifacts.collectGarbage': ({ tenantId }) => ({ tenantId }),
  'artifacts.setStorageQuota': ({ tenantId }) => ({ tenantId, maxStorageMib: 51_200 }),

  // The probe environment has no gateway API token and never runs: a deploy or a schedule let through is refused
  // with PRECONDITION_FAILED once the version (checked first) is found.
  'deployments.deploy': ({ tenantId, siteId, versionId }) => ({ tenantId, siteId, environment: PROBE_ENVIRONMENT, versionId }),
  'deployments.list': ({ tenantId, siteId }) => ({ tenantId, siteId, environment: PROBE_ENVIRONMENT }),
  'deployments.deployable': ({ tenantId, siteId }) => ({ tenantId, siteId }),
  'deployments.backups': ({ tenantId, siteId }) => ({ tenantId, siteId, environment: PROBE_ENVIRONMENT }),
  'deployments.backupSchedule': ({ tenantId, siteId }) => ({ tenantId, siteId, environment: PROBE_ENVIRONMENT }),
  'deployments.setBackupSchedule': ({ tenantId, siteId }) => ({ tenantId, siteId, environment: PROBE_ENVIRONMENT, everyHours: 24, keepLast: 7 }),
};
