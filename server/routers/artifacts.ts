import { Readable } from 'node:stream';
import { z } from 'zod';
import { ARTIFACT_CONTENT_TYPES, ARTIFACT_EXTENSIONS, ARTIFACT_KINDS } from '@/lib/artifacts/kinds';
import type { Actor, Context } from '@/server/context';
import { router, tenantProcedure, type TenantScope } from '@/server/trpc';
import { deleteVersion, diffVersions, getArtifact, getVersion, listArtifacts, storageUsage } from '@/server/services/artifacts';
import { createDownloadLink } from '@/server/services/artifacts-download';
import { collectGarbage } from '@/server/services/artifacts-gc';
import { setStorageQuota } from '@/server/services/artifacts-quota';
import { uploadVersion } from '@/server/services/artifacts-upload';
import { objectStore } from '@/server/storage';

const tag = ['artifacts'];
const base = '/tenants/{tenantId}/artifacts';
const id = (what: string) => z.uuid({ message: `${what} must be a UUID` });

const artifact = z.object({
  id: z.string(), siteId: z.string().nullable(), name: z.string(), kind: z.enum(ARTIFACT_KINDS), description: z.string(),
  createdBy: z.string(), createdAt: z.date(), updatedAt: z.date(),
});
const version = z.object({
  id: z.string(), artifactId: z.string(), number: z.number(), sha256: z.string(), sizeBytes: z.number(), contentType: z.string(),
  filename: z.string(), metadata: z.unknown(),
  source: z.object({ repository: z.string().optional(), commit: z.string().optional(), path: z.string().optional(), buildUrl: z.string().optional(), text: z.string().optional() }), notes: z.string(), uploadedBy: z.string(), createdAt: z.date(),
});
const deployment = z.object({
  id: z.string(), versionId: z.string(), versionNumber: z.number(), artifactId: z.string(), artifactName: z.string(), environmentId: z.string(),
  environmentName: z.string(), siteId: z.string(), status: z.string(), error: z.string().nullable(), deployedBy: z.string(), createdAt: z.date(), finishedAt: z.date().nullable(),
});

type Scoped = { ctx: Context & { scope: TenantScope; actor: Actor } };
const scopeOf = ({ ctx }: Scoped) => ({ tenantId: ctx.scope.tenantId, access: ctx.scope.access });
const who = ({ ctx }: Scoped) => ({ actor: ctx.actor, meta: ctx.meta });

// Open to anyone with standing in the tenant (filteredBySite): the service shows tenant-wide readers the whole
// library and delegated site roles their sites' artifacts, and answers NOT_FOUND for the rest.
const reader = () => tenantProcedure('artifact:read', { filteredBySite: true });
const writer = () => tenantProcedure('artifact:write', { filteredBySite: true });

const sourceReference = z.object({
  repository: z.string().max(500).optional(), commit: z.string().max(100).optional(), path: z.string().max(500).optional(),
  buildUrl: z.url({ message: 'buildUrl must be a URL' }).max(1000).optional(), text: z.string().max(1000).optional(),
}).strict();

export const artifactsRouter = router({
  // Called by the streaming route (server/http/artifact-upload-route.ts) with the request body; not a REST route itself.
  upload: writer()
    .input(z.object({
      name: z.string().trim().min(1, 'name is the artifact to add a version to (created on first upload)'),
      kind: z.enum(ARTIFACT_KINDS, { message: `kind is one of ${ARTIFACT_KINDS.join(', ')}` }),
      siteId: id('siteId').optional(), filename: z.string().trim().min(1).max(255).optional(),
      notes: z.string().max(2000).optional(), source: sourceReference.optional(), declaredBytes: z.number().int().min(0).optional(),
      // Optional here so access is decided (and refusals audited) before a missing body is pointed out.
      body: z.custom<Readable>((v) => v instanceof Readable, 'body is the file, sent as the request body').optional(),
      signal: z.custom<AbortSignal>((v) => v instanceof AbortSignal).optional(),
    }))
    .output(z.object({ artifact, version, created: z.boolean() }))
    .mutation((opts) => {
      const { input } = opts;
      return uploadVersion(opts.ctx.db, objectStore(), scopeOf(opts), who(opts), {
        name: input.name, kind: input.kind, siteId: input.siteId ?? null, filename: input.filename ?? `${input.name}${ARTIFACT_EXTENSIONS[input.kind][0] ?? ''}`,
        contentType: ARTIFACT_CONTENT_TYPES[input.kind],
        source: input.source ?? {}, notes: input.notes ?? '',
      }, input.body, { signal: input.signal, declaredBytes: input.declaredBytes });
    }),

  list: reader()
    .meta({ openapi: { method: 'GET', path: base, tags: tag, summary: 'Artifacts you can see, each with its latest version' } })
    .input(z.object({ kind: z.enum(ARTIFACT_KINDS).optional(), siteId: id('siteId').optional() }))
    .output(z.array(artifact.extend({ versionCount: z.number(), latestVersion: version.nullable() })))
    .query((opts) => listArtifacts(opts.ctx.db, scopeOf(opts), { kind: opts.input.kind, siteId: opts.input.siteId })),

  get: reader()
    .meta({ openapi: { method: 'GET', path: `${base}/{artifactId}`, tags: tag, summary: 'One artifact: its versions and where they are deployed' } })
    .input(z.object({ artifactId: id('artifactId') }))
    .output(z.object({ artifact, versions: z.array(version), deployments: z.array(deployment) }))
    .query((opts) => getArtifact(opts.ctx.db, scopeOf(opts), opts.input.artifactId)),

  version: reader()
    .meta({ openapi: { method: 'GET', path: `${base}/versions/{versionId}`, tags: tag, summary: 'One version: parsed metadata, source and deployments' } })
    .input(z.object({ versionId: id('versionId') }))
    .output(z.object({ artifact, version, deployments: z.array(deployment) }))
    .query((opts) => getVersion(opts.ctx.db, scopeOf(opts), opts.input.versionId)),

  diff: reader()
    .meta({ openapi: { method: 'GET', path: `${base}/{artifactId}/diff`, tags: tag, summary: 'Resources added, removed and changed between two versions of a project' } })
    .input(z.object({ artifactId: id('artifactId'), fromVersionId: id('fromVersionId'), toVersionId: id('toVersionId') }))
    .output(z.object({
      artifact, from: version, to: version,
      diff: z.object({ added: z.array(z.string()), removed: z.array(z.string()), changed: z.array(z.string()), unchanged: z.number(), fields: z.array(z.object({ field: z.string(), from: z.unknown(), to: z.unknown() })) }),
    }))
    .query((opts) => diffVersions(opts.ctx.db, scopeOf(opts), opts.input)),

  downloadLink: reader()
    .meta({ openapi: { method: 'GET', path: `${base}/versions/{versionId}/download-link`, tags: tag, summary: 'A short-lived link to download a version (each link is audited)' } })
    .input(z.object({ versionId: id('versionId'), seconds: z.coerce.number().int().min(1).max(3600).optional() }))
    .output(z.object({ path: z.string(), expiresAt: z.date(), filename: z.string(), sizeBytes: z.number() }))
    .query((opts) => createDownloadLink(opts.ctx.db, scopeOf(opts), who(opts), opts.input)),

  deleteVersion: writer()
    .meta({ openapi: { method: 'DELETE', path: `${base}/versions/{versionId}`, tags: tag, summary: 'Delete a version; a deployed one needs force and a reason' } })
    .input(z.object({ versionId: id('versionId'), force: z.boolean().optional(), reason: z.string().max(500).optional() }))
    .output(z.object({ deleted: z.literal(true) }))
    .mutation(async (opts) => { await deleteVersion(opts.ctx.db, scopeOf(opts), who(opts), opts.input); return { deleted: true as const }; }),

  usage: tenantProcedure('artifact:read')
    .meta({ openapi: { method: 'GET', path: '/tenants/{tenantId}/storage', tags: tag, summary: 'Storage held by the tenant (each distinct content counted once)' } })
    .output(z.object({ bytes: z.number(), objects: z.number(), versions: z.number(), limitBytes: z.number() }))
    .query((opts) => storageUsage(opts.ctx.db, { tenantId: opts.ctx.scope.tenantId })),

  setStorageQuota: tenantProcedure('billing:manage')
    .meta({ openapi: { method: 'PUT', path: '/tenants/{tenantId}/storage/quota', tags: tag, summary: 'Set the tenant\'s artifact storage limit (MiB of distinct content)' } })
    .input(z.object({ maxStorageMib: z.number().int().min(0, 'maxStorageMib is 0 or more').max(100 * 1024 * 1024) }))
    .output(z.object({ limitBytes: z.number(), usedBytes: z.number() }))
    .mutation((opts) => setStorageQuota(opts.ctx.db, { tenantId: opts.ctx.scope.tenantId, maxStorageMib: opts.input.maxStorageMib, ...who(opts) })),

  collectGarbage: tenantProcedure('artifact:write')
    .meta({ openapi: { method: 'POST', path: '/tenants/{tenantId}/storage/collect-garbage', tags: tag, summary: 'Remove stored bytes that no version refers to (older than the grace period)' } })
    .output(z.object({ removedObjects: z.number(), removedBytes: z.number(), strayObjects: z.number(), stagingObjects: z.number() }))
    .mutation((opts) => collectGarbage(opts.ctx.db, objectStore(), { tenantId: opts.ctx.scope.tenantId })),
});
