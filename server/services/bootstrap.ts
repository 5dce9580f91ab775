import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { tenants, users } from '@/db/schema';
import type { Actor, RequestMeta } from '@/server/context';
import { createSite } from '@/server/services/sites';
import { createTenant } from '@/server/services/tenants';
import { createUser, findUserByEmail } from '@/server/services/users';

const SYSTEM_META: RequestMeta = { requestId: 'bootstrap', sourceIp: null, userAgent: 'switchyard-start' };
export const GENERATED_OPERATOR_EMAIL = 'admin@switchyard.local';

export interface BootstrapResult { email: string; password?: string; created: boolean }

/**
 * Makes sure a first platform operator exists: the configured one, or a generated one whose password is
 * returned exactly once (the caller prints it; it is stored only as a hash).
 */
export async function ensurePlatformOperator(db: Db, configured?: { email: string; password: string }): Promise<BootstrapResult> {
  if (configured) {
    const existing = await findUserByEmail(db, configured.email);
    if (existing) {
      if (!existing.isPlatformAdmin) await db.update(users).set({ isPlatformAdmin: true }).where(eq(users.id, existing.id));
      return { email: existing.email, created: false };
    }
    await createUser(db, { email: configured.email, name: 'Platform operator', password: configured.password, isPlatformAdmin: true });
    return { email: configured.email.toLowerCase(), password: configured.password, created: true };
  }
  const [operator] = await db.select().from(users).where(eq(users.isPlatformAdmin, true)).limit(1);
  if (operator) return { email: operator.email, created: false };
  const password = randomBytes(12).toString('base64url');
  await createUser(db, { email: GENERATED_OPERATOR_EMAIL, name: 'Platform operator', password, isPlatformAdmin: true });
  return { email: GENERATED_OPERATOR_EMAIL, password, created: true };
}

/** On a fresh install, a demo tenant with one site, owned by the first operator, so there is something to look at. */
export async function ensureDemoTenant(db: Db, operatorEmail: string): Promise<{ created: boolean }> {
  const any = await db.select({ id: tenants.id }).from(tenants).limit(1);
  if (any.length > 0) return { created: false };
  const operator = await findUserByEmail(db, operatorEmail);
  if (!operator) return { created: false };
  const actor: Actor = { type: 'user', userId: operator.id, email: operator.email, name: operator.name, isPlatformAdmin: true };
  const tenant = await createTenant(db, { slug: 'demo', name: 'Demo Industries', ownerEmail: operator.email, actor, meta: SYSTEM_META });
  await createSite(db, { tenantId: tenant.id, slug: 'demo-plant', name: 'Demo plant', description: 'A site to try things on', actor, meta: SYSTEM_META });
  return { created: true };
}
