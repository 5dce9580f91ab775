import { and, asc, desc, eq, gte, ilike, isNull, lte, sql, type SQL } from 'drizzle-orm';
import { type Db, type DbOrTx, withPlatform, withTenant } from '@/db/client';
import { auditLog, type AuditRow } from '@/db/schema';
import { entryHash, GENESIS_HASH, redactSecrets, verifyChain, type ChainedFields } from '@/lib/audit/chain';
import { actorId, recordedActorLabel, type RecordedActor, type RequestMeta } from '@/server/context';

export type AuditResult = 'success' | 'denied' | 'error';

export interface AuditInput {
  tenantId: string | null;
  actor: RecordedActor;
  action: string;
  resourceType: string;
  resourceId?: string | null;
  result?: AuditResult;
  meta?: Partial<RequestMeta>;
  changes?: Record<string, unknown>;
}

// Serialises appends per chain so two writers never link to the same previous entry.
const chainLockKey = (tenantId: string | null) => sql`hashtextextended(${`audit:${tenantId ?? 'platform'}`}, 0)`;

/** Appends one entry to the tenant's (or the platform's) hash chain, inside the caller's transaction. */
export async function recordAudit(tx: DbOrTx, input: AuditInput): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(${chainLockKey(input.tenantId)})`);
  const tenantFilter = input.tenantId === null ? isNull(auditLog.tenantId) : eq(auditLog.tenantId, input.tenantId);
  const [last] = await tx.select({ hash: auditLog.hash }).from(auditLog).where(tenantFilter).orderBy(desc(auditLog.id)).limit(1);
  const actor = input.actor;
  const isPrincipal = actor.type === 'user' || actor.type === 'token';
  const fields: ChainedFields = {
    tenantId: input.tenantId,
    // Millisecond precision: the column keeps milliseconds, so the hash must cover exactly what is stored.
    occurredAt: new Date(Math.floor(Date.now())),
    actorType: actor.type,
    actorId: isPrincipal ? actorId(actor) : null,
    actorLabel: recordedActorLabel(actor),
    action: input.action,
    resourceType: input.resourceType,
    resourceId: input.resourceId ?? null,
    result: input.result ?? 'success',
    sourceIp: input.meta?.sourceIp ?? null,
    userAgent: input.meta?.userAgent?.slice(0, 512) ?? null,
    requestId: input.meta?.requestId ?? null,
    changes: redactSecrets(input.changes ?? {}),
  };
  const prevHash = last?.hash ?? GENESIS_HASH;
  await tx.insert(auditLog).values({ ...fields, changes: fields.changes as object, prevHash, hash: entryHash(prevHash, fields) });
}

/** Records a refusal in its own transaction: the refused change itself never ran, so there is nothing to join. */
export async function recordDenied(db: Db, input: Omit<AuditInput, 'result'>): Promise<void> {
  const write = (tx: DbOrTx) => recordAudit(tx, { ...input, result: 'denied' });
  if (input.tenantId === null) await withPlatform(db, write);
  else await withTenant(db, input.tenantId, write);
}

export interface AuditFilter {
  actor?: string;
  action?: string;
  resourceType?: string;
  resourceId?: string;
  result?: AuditResult;
  from?: Date;
  to?: Date;
}

function filterConditions(tenantId: string, f: AuditFilter): SQL[] {
  const conds: SQL[] = [eq(auditLog.tenantId, tenantId)];
  if (f.actor) conds.push(ilike(auditLog.actorLabel, `%${escapeLike(f.actor)}%`));
  if (f.action) conds.push(ilike(auditLog.action, `${escapeLike(f.action)}%`));
  if (f.resourceType) conds.push(eq(auditLog.resourceType, f.resourceType));
  if (f.resourceId) conds.push(eq(auditLog.resourceId, f.resourceId));
  if (f.result) conds.push(eq(auditLog.result, f.result));
  if (f.from) conds.push(gte(auditLog.occurredAt, f.from));
  if (f.to) conds.push(lte(auditLog.occurredAt, f.to));
  return conds;
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

export async function listAudit(db: Db, args: { tenantId: string; filter: AuditFilter; limit: number; beforeId?: number }): Promise<AuditRow[]> {
  return withTenant(db, args.tenantId, (tx) => {
    const conds = filterConditions(args.tenantId, args.filter);
    if (args.beforeId !== undefined) conds.push(sql`${auditLog.id} < ${args.beforeId}`);
    return tx.select().from(auditLog).where(and(...conds)).orderBy(desc(auditLog.id)).limit(args.limit);
  });
}

/** Streams matching entries oldest first, in pages, for CSV and JSON Lines exports. */
export async function* exportAudit(db: Db, args: { tenantId: string; filter: AuditFilter }): AsyncGenerator<AuditRow> {
  let afterId = 0;
  for (;;) {
    const page = await withTenant(db, args.tenantId, (tx) => tx.select().from(auditLog)
      .where(and(...filterConditions(args.tenantId, args.filter), sql`${auditLog.id} > ${afterId}`))
      .orderBy(asc(auditLog.id)).limit(500));
    yield* page;
    if (page.length < 500) return;
    afterId = page[page.length - 1]!.id;
  }
}

export async function verifyAudit(db: Db, args: { tenantId: string }) {
  const rows = await withTenant(db, args.tenantId, (tx) =>
    tx.select().from(auditLog).where(eq(auditLog.tenantId, args.tenantId)).orderBy(asc(auditLog.id)));
  return verifyChain(rows.map((r) => ({ ...r, changes: r.changes })));
}
