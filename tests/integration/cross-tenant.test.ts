import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { withTenant } from '@/db/client';
import { appDb, callerFor, makeUser } from '../helpers/db';
import { callPath, listProcedures } from './support/procedures';
import { refusal, type Refusal } from './support/refusal';
import { SAMPLE_INPUTS } from './support/sample-inputs';
import { TENANT_TABLES, tenantSnapshot, withoutDenied } from './support/snapshot';
import { buildWorld, ID_KEYS, idsOf, tokenCaller, type Caller, type Ids, type World } from './support/world';

// Tenant B's owner (and B's admin token) aim every procedure that takes an id at tenant A: with all of A's ids,
// and with B's own input carrying exactly one of A's ids. Each must be refused exactly as a made-up id would be
// (no answer may confirm that A's id exists), and neither tenant's rows may change.

interface Variant { label: string; input: Record<string, unknown>; control: Record<string, unknown> }

// Messages may echo the id given back ("no custom role <id>"); which id it was is not the point, so ids are masked.
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
const masked = (r: Refusal | undefined) => JSON.parse(JSON.stringify(r).replace(UUID, '<id>')) as Refusal;

const randomIds = (): Ids => Object.fromEntries(ID_KEYS.map((k) => [k, randomUUID()])) as Ids;

function variantsFor(path: string, a: Ids, b: Ids): Variant[] {
  const build = SAMPLE_INPUTS[path];
  if (!build) throw new Error(`${path} takes an id but has no case in tests/integration/support/sample-inputs.ts: add one`);
  const variants: Variant[] = [{ label: "all of A's ids", input: build(a), control: build(randomIds()) }];
  const own = JSON.stringify(build(b));
  for (const key of ID_KEYS.filter((k) => k !== 'tenantId')) {
    const mixed = build({ ...b, [key]: a[key] });
    if (JSON.stringify(mixed) === own) continue; // this procedure does not use that id
    variants.push({ label: `B's tenant with A's ${key}`, input: mixed, control: build({ ...b, [key]: randomUUID() }) });
  }
  return variants;
}

const idTaking = listProcedures().filter((p) => p.inputKeys.some((k) => (ID_KEYS as readonly string[]).includes(k)));

let a: World;
let b: World;
const attackers: Record<string, Caller> = {};

beforeAll(async () => {
  [a, b] = await Promise.all([buildWorld('cross-a'), buildWorld('cross-b')]);
  attackers["B's owner"] = b.ownerCaller;
  attackers["B's admin token"] = await tokenCaller(b.tokenSecret);
  // Platform operators create tenants; they do not read or change tenant data.
  attackers['a platform operator'] = callerFor(await makeUser({ isPlatformAdmin: true }));
});

describe('cross-tenant access', () => {
  it('every procedure that takes an id has a case', () => {
    expect(idTaking.length).toBeGreaterThanOrEqual(20);
    const missing = idTaking.map((p) => p.path).filter((path) => !SAMPLE_INPUTS[path]);
    expect(missing).toEqual([]);
  });

  describe.each(["B's owner", "B's admin token", 'a platform operator'])('%s using A\'s ids', (who) => {
    it.each(idTaking.map((p) => p.path))('%s is refused, reveals nothing and changes nothing', async (path) => {
      const caller = attackers[who]!;
      const [beforeA, beforeB] = await Promise.all([tenantSnapshot(a.tenantId), tenantSnapshot(b.tenantId)]);
      const variants = variantsFor(path, idsOf(a), idsOf(b));
      const outcomes: Record<string, Refusal> = {};
      const controls: Record<string, Refusal> = {};
      for (const v of variants) {
        outcomes[v.label] = await refusal(callPath(caller, path, v.input), path);
        controls[v.label] = await refusal(callPath(caller, path, v.control), path);
      }
      for (const v of variants) {
        const expected = who === "B's admin token" ? ['NOT_FOUND', 'FORBIDDEN'] : ['NOT_FOUND'];
        expect({ variant: v.label, code: outcomes[v.label]!.code }).toEqual({ variant: v.label, code: expect.toBeOneOf(expected) });
        expect({ variant: v.label, ...masked(outcomes[v.label]) }).toEqual({ variant: v.label, ...masked(controls[v.label]) });
      }
      expect(await tenantSnapshot(a.tenantId)).toEqual(beforeA);
      expect(withoutDenied(await tenantSnapshot(b.tenantId))).toEqual(withoutDenied(beforeB));
    });
  });

  it("B's owner putting A's siteId under B's tenantId gets NOT_FOUND, for reads and writes alike", async () => {
    const before = await tenantSnapshot(a.tenantId);
    for (const attempt of [
      () => b.ownerCaller.sites.get({ tenantId: b.tenantId, siteId: a.siteId }),
      () => b.ownerCaller.sites.update({ tenantId: b.tenantId, siteId: a.siteId, name: 'Hijacked' }),
      () => b.ownerCaller.sites.delete({ tenantId: b.tenantId, siteId: a.siteId }),
      () => b.ownerCaller.delegation.grant({ tenantId: b.tenantId, siteId: a.siteId, userId: b.userId, role: 'operator' }),
    ]) {
      expect(await refusal(attempt())).toMatchObject({ code: 'NOT_FOUND', message: expect.stringMatching(/no such site/i) });
    }
    expect(await tenantSnapshot(a.tenantId)).toEqual(before);
  });

  it('as the app role with B set, no table shows a row of A, even with no WHERE clause; with no tenant set, none at all', async () => {
    await withTenant(appDb().db, b.tenantId, async (tx) => {
      for (const table of TENANT_TABLES) {
        const rows = await tx.execute(sql`select tenant_id from ${sql.identifier(table)}`);
        expect({ table, foreign: rows.filter((r) => r.tenant_id !== b.tenantId).length, own: rows.length > 0 }).toEqual({ table, foreign: 0, own: true });
      }
    });
    for (const table of TENANT_TABLES) {
      const [row] = await appDb().db.execute(sql`select count(*)::int as n from ${sql.identifier(table)}`);
      expect({ table, n: row!.n }).toEqual({ table, n: 0 });
    }
  });

  it("both tenants' audit chains still verify after every attempt", async () => {
    expect(await a.ownerCaller.audit.verify({ tenantId: a.tenantId })).toMatchObject({ ok: true });
    expect(await b.ownerCaller.audit.verify({ tenantId: b.tenantId })).toMatchObject({ ok: true });
  });

  it('the same ids work for their own tenant (the refusals above are about tenancy, not broken inputs)', async () => {
    await expect(a.ownerCaller.sites.get({ tenantId: a.tenantId, siteId: a.siteId })).resolves.toMatchObject({ id: a.siteId });
    await expect(a.ownerCaller.delegation.list({ tenantId: a.tenantId, siteId: a.siteId })).resolves.toEqual([expect.objectContaining({ userId: a.userId })]);
    const renamed = await a.ownerCaller.roles.update({ tenantId: a.tenantId, roleId: a.roleId, name: 'Site reader (A)' });
    expect(renamed.name).toBe('Site reader (A)');
  });
});
