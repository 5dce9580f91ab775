import { initTRPC } from '@trpc/server';
import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { isPermission } from '@/lib/access/permissions';
import type { Meta } from '@/server/trpc';
import { listProcedures, permissionOf, type ProcedureInfo } from './support/procedures';
import { ID_KEYS, SAMPLE_INPUTS } from './support/sample-inputs';

// Open to anyone by design: the invitation secret itself is the authorisation. Adding to this list is a decision.
const PUBLIC_ALLOWED = ['invitations.acceptNewAccount', 'invitations.preview'];
const KINDS = ['public', 'authenticated', 'platform', 'permission'];

/** Everything wrong with how the procedures declare their access and their REST shape, one line each. */
function procedureProblems(procedures: ProcedureInfo[]): string[] {
  const problems: string[] = [];
  for (const p of procedures) {
    const requires = p.meta?.requires;
    if (!requires || !KINDS.includes(requires.kind)) {
      problems.push(`${p.path}: declares no meta.requires`);
      continue;
    }
    const perm = permissionOf(p);
    if (perm) {
      if (!isPermission(perm.permission)) problems.push(`${p.path}: unknown permission "${perm.permission}"`);
      if (perm.scope !== 'tenant' && perm.scope !== 'site') problems.push(`${p.path}: unknown scope "${String(perm.scope)}"`);
      const needed = perm.scope === 'site' ? ['tenantId', 'siteId'] : ['tenantId'];
      for (const key of needed) if (!p.inputKeys.includes(key)) problems.push(`${p.path}: ${perm.scope} scope without ${key} in its input`);
      // A kept answer is keyed by caller and tenant only (server/read-cache.ts): any other input would be ignored.
      if (perm.cacheable && (p.type !== 'query' || p.inputKeys.join() !== 'tenantId')) problems.push(`${p.path}: cacheable, but not a query whose only input is tenantId`);
    }
    const openapi = p.meta?.openapi;
    if (openapi) {
      if (!p.hasOutput) problems.push(`${p.path}: has an openapi meta but no output schema`);
      for (const [, param] of openapi.path.matchAll(/\{(\w+)\}/g)) {
        if (!p.inputKeys.includes(param!)) problems.push(`${p.path}: path parameter {${param}} is not in its input`);
      }
    }
  }
  return problems;
}

describe('the procedure ladder', () => {
  const procedures = listProcedures();

  it('finds the routers (a walk over nothing would prove nothing)', () => {
    expect(procedures.length).toBeGreaterThanOrEqual(30);
    expect(procedures.map((p) => p.path)).toEqual(expect.arrayContaining(['sites.create', 'audit.list', 'platform.createTenant']));
  });

  it('every procedure declares a known requirement, permission and scope; every REST one has an output schema', () => {
    expect(procedureProblems(procedures)).toEqual([]);
  });

  it('only the allow-listed procedures are public', () => {
    const open = procedures.filter((p) => p.meta?.requires?.kind === 'public').map((p) => p.path).sort();
    expect(open).toEqual(PUBLIC_ALLOWED);
  });

  it('every tenant, site or id-taking procedure has a sample input for the cross-tenant and delegation walks, and no stale one', () => {
    const takesId = (p: ProcedureInfo) => p.inputKeys.some((k) => (ID_KEYS as readonly string[]).includes(k));
    const needed = procedures.filter((p) => permissionOf(p) || takesId(p)).map((p) => p.path).sort();
    expect(Object.keys(SAMPLE_INPUTS).sort()).toEqual(needed);
  });

  it('the check itself catches a missing requirement, an unknown permission, a missing output, a bad path and a cacheable procedure with more input or a write', () => {
    const t = initTRPC.meta<Meta>().create();
    const input = z.object({ tenantId: z.string() });
    const broken = t.router({
      bare: t.procedure.input(input).query(() => 1),
      typo: t.procedure.meta({ requires: { kind: 'permission', permission: 'site:destroy' as never, scope: 'tenant' } }).input(input).query(() => 1),
      siteless: t.procedure.meta({ requires: { kind: 'permission', permission: 'site:read', scope: 'site' } }).input(input).query(() => 1),
      rest: t.procedure.meta({ requires: { kind: 'public' }, openapi: { method: 'GET', path: '/x/{xId}' } }).input(input).query(() => 1),
      keptFilter: t.procedure.meta({ requires: { kind: 'permission', permission: 'site:read', scope: 'tenant', cacheable: true } })
        .input(input).input(z.object({ search: z.string() })).query(() => 1),
      keptWrite: t.procedure.meta({ requires: { kind: 'permission', permission: 'site:read', scope: 'tenant', cacheable: true } }).input(input).mutation(() => 1),
    });
    expect(procedureProblems(listProcedures(broken))).toEqual([
      'bare: declares no meta.requires',
      'typo: unknown permission "site:destroy"',
      'siteless: site scope without siteId in its input',
      'rest: has an openapi meta but no output schema',
      'rest: path parameter {xId} is not in its input',
      'keptFilter: cacheable, but not a query whose only input is tenantId',
      'keptWrite: cacheable, but not a query whose only input is tenantId',
    ]);
  });
});
