import { Readable } from 'node:stream';
import { TRPCError } from '@trpc/server';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildProjectExport } from '@/lib/artifacts/fixtures';
import { SITE_ROLE_PERMISSIONS, SITE_ROLES } from '@/lib/access/permissions';
import { addMember } from '../helpers/db';
import { callPath, listProcedures, permissionOf } from './support/procedures';
import { refusal } from './support/refusal';
import { SAMPLE_INPUTS } from './support/sample-inputs';
import { deniedEntries, tenantSnapshot, withoutDenied } from './support/snapshot';
import { buildWorld, idsOf, tokenCaller, type Caller, type World } from './support/world';

// Delegation walks the router: every site procedure, every tenant procedure and every mutation, so a procedure
// added later is covered the day it lands.

const scoped = listProcedures().filter((p) => permissionOf(p));
const siteProcedures = scoped.filter((p) => permissionOf(p)!.scope === 'site');
const tenantProcedures = scoped.filter((p) => permissionOf(p)!.scope === 'tenant');
const mutations = scoped.filter((p) => p.type === 'mutation');
// Open to anyone with standing in the tenant; the service narrows the answer to the caller's sites (tested below for
// the site and artifact lists).
const FILTERED_BY_SITE = tenantProcedures.filter((p) => permissionOf(p)!.filteredBySite).map((p) => p.path);

let w: World;
beforeAll(async () => {
  w = await buildWorld('delegation');
  // One artifact bound to each site, besides the world's tenant-wide one: a site's grant shows its own only.
  for (const [siteId, name] of [[w.siteId, 'main-plant-hmi'], [w.otherSiteId, 'other-plant-hmi']] as const) {
    const body = Readable.from([await buildProjectExport({ title: name, resources: { 'ignition/script-python/site/code.py': `# ${name}` } })]);
    await w.ownerCaller.artifacts.upload({ tenantId: w.tenantId, siteId, name, kind: 'project', body });
  }
});

const inputFor = (path: string, overrides: Partial<ReturnType<typeof idsOf>> = {}) => SAMPLE_INPUTS[path]!({ ...idsOf(w), ...overrides });

/** A call the ladder lets through: it may still fail on its sample input, but not for lack of access. */
async function expectLetThrough(caller: Caller, path: string, input: unknown) {
  const error = await callPath(caller, path, input).then(() => null, (e: unknown) => e);
  if (error instanceof TRPCError) expect({ path, code: error.code }).not.toMatchObject({ code: expect.toBeOneOf(['NOT_FOUND', 'FORBIDDEN']) });
  else if (error) throw error;
}

describe.each(SITE_ROLES)('a user granted one site as %s', (role) => {
  let caller: Caller;
  let userId: string;
  beforeAll(async () => {
    const added = await addMember(w.ownerCaller, w.tenantId, null, [{ siteId: w.siteId, role }]);
    caller = added.caller;
    userId = added.user.userId;
  });

  it('sees that site and no other', async () => {
    expect((await caller.sites.list({ tenantId: w.tenantId })).map((s) => s.id)).toEqual([w.siteId]);
    await expect(caller.sites.get({ tenantId: w.tenantId, siteId: w.siteId })).resolves.toMatchObject({ id: w.siteId });
    expect(await refusal(caller.sites.get({ tenantId: w.tenantId, siteId: w.otherSiteId }))).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('lists the artifacts bound to that site and no others', async () => {
    expect((await caller.artifacts.list({ tenantId: w.tenantId })).map((a) => a.name)).toEqual(['main-plant-hmi']);
    expect((await w.ownerCaller.artifacts.list({ tenantId: w.tenantId })).map((a) => a.name)).toEqual(['main-plant-hmi', 'other-plant-hmi', 'probe-project']);
  });

  it('every site procedure: the other site is NOT_FOUND; its own site is allowed exactly where the role says', async () => {
    const held = SITE_ROLE_PERMISSIONS[role];
    for (const p of siteProcedures) {
      const before = await tenantSnapshot(w.tenantId);
      expect({ path: p.path, ...await refusal(callPath(caller, p.path, inputFor(p.path, { siteId: w.otherSiteId })), p.path) })
        .toMatchObject({ path: p.path, code: 'NOT_FOUND' });
      expect(await tenantSnapshot(w.tenantId)).toEqual(before);

      const permission = permissionOf(p)!.permission;
      if (held.includes(permission)) {
        await expectLetThrough(caller, p.path, inputFor(p.path));
        continue;
      }
      const refused = await refusal(callPath(caller, p.path, inputFor(p.path)), p.path);
      expect({ path: p.path, ...refused }).toMatchObject({ path: p.path, code: 'FORBIDDEN', message: expect.stringContaining(permission) });
      const after = await tenantSnapshot(w.tenantId);
      expect(withoutDenied(after)).toEqual(withoutDenied(before));
      expect(deniedEntries(after).at(-1)).toMatchObject({ action: p.path, actor_id: userId, resource_id: w.siteId });
    }
  });

  it('every tenant-wide procedure is refused, except those narrowed to their sites', async () => {
    expect(FILTERED_BY_SITE).toContain('sites.list');
    for (const p of tenantProcedures.filter((x) => !FILTERED_BY_SITE.includes(x.path))) {
      expect({ path: p.path, ...await refusal(callPath(caller, p.path, inputFor(p.path)), p.path) }).toMatchObject({ path: p.path, code: 'FORBIDDEN' });
    }
  });

  it('loses the site the moment the grant is removed', async () => {
    await w.ownerCaller.delegation.revoke({ tenantId: w.tenantId, siteId: w.siteId, userId });
    expect(await caller.sites.list({ tenantId: w.tenantId })).toEqual([]);
    expect(await caller.artifacts.list({ tenantId: w.tenantId })).toEqual([]);
    expect(await refusal(caller.sites.get({ tenantId: w.tenantId, siteId: w.siteId }))).toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('a custom role used as a site grant', () => {
  it('keeps only its site permissions: it can read the site but not delegate it', async () => {
    const wide = await w.ownerCaller.roles.create({ tenantId: w.tenantId, name: 'Wide', permissions: ['site:read', 'member:manage', 'member:read'] });
    const { caller } = await addMember(w.ownerCaller, w.tenantId, null, [{ siteId: w.siteId, role: `custom:${wide.id}` }]);
    await expect(caller.sites.get({ tenantId: w.tenantId, siteId: w.siteId })).resolves.toMatchObject({ id: w.siteId });
    expect(await refusal(caller.delegation.list({ tenantId: w.tenantId, siteId: w.siteId }))).toMatchObject({ code: 'FORBIDDEN' });
    expect(await refusal(caller.delegation.grant({ tenantId: w.tenantId, siteId: w.siteId, userId: w.userId, role: 'viewer' }))).toMatchObject({ code: 'FORBIDDEN' });
  });
});

describe('an auditor', () => {
  const auditors: Record<string, Caller> = {};
  beforeAll(async () => {
    auditors.session = (await addMember(w.ownerCaller, w.tenantId, 'auditor')).caller;
    const { token } = await w.ownerCaller.tokens.create({ tenantId: w.tenantId, name: 'auditor-token', role: 'auditor' });
    auditors.token = await tokenCaller(token);
  });

  it.each(['session', 'token'])('reads and verifies the audit trail with a %s', async (kind) => {
    const auditor = auditors[kind]!;
    const entries = await auditor.audit.list({ tenantId: w.tenantId, action: 'site.create' });
    expect(entries.map((e) => e.resourceId)).toEqual(expect.arrayContaining([w.siteId, w.otherSiteId]));
    expect(await auditor.audit.verify({ tenantId: w.tenantId })).toMatchObject({ ok: true });
    expect((await auditor.sites.list({ tenantId: w.tenantId })).length).toBeGreaterThanOrEqual(2);
  });

  it.each(['session', 'token'])('cannot change anything with a %s: every mutation is refused and audited as denied', async (kind) => {
    const auditor = auditors[kind]!;
    expect(mutations.length).toBeGreaterThanOrEqual(14);
    const before = await tenantSnapshot(w.tenantId);
    for (const p of mutations) {
      expect({ path: p.path, ...await refusal(callPath(auditor, p.path, inputFor(p.path)), p.path) }).toMatchObject({ path: p.path, code: 'FORBIDDEN' });
    }
    const after = await tenantSnapshot(w.tenantId);
    expect(withoutDenied(after)).toEqual(withoutDenied(before));
    const fresh = deniedEntries(after).slice(deniedEntries(before).length);
    expect(fresh.map((e) => e.action)).toEqual(mutations.map((p) => p.path));
    expect(new Set(fresh.map((e) => e.actor_type))).toEqual(new Set([kind === 'session' ? 'user' : 'token']));
  });
});
