import { initTRPC, TRPCError } from '@trpc/server';
import type { OpenApiMeta } from 'trpc-to-openapi';
import { z } from 'zod';
import { type Db, withTenant, type Tx } from '@/db/client';
import { can, type AccessGrant, type Permission } from '@/lib/access/permissions';
import type { Context } from '@/server/context';
import { AppError } from '@/server/errors';
import { resolveAccess, TOKEN_UNUSABLE } from '@/server/services/access';
import { tokenStillUsable } from '@/server/services/tokens';
import { recordDenied } from '@/server/services/audit';
import { siteVisible } from '@/server/services/sites';
import { openReadCache } from '@/server/read-cache';

// ---------------------------------------------------------------------------------------------------------------
// 1. Meta: every procedure declares what it needs. A test walks the router and fails on any that declares nothing.
// ---------------------------------------------------------------------------------------------------------------
export type Requirement =
  | { kind: 'public' }
  | { kind: 'authenticated' }
  | { kind: 'platform' }
  | { kind: 'permission'; permission: Permission; scope: 'tenant' | 'site'; filteredBySite?: boolean; cacheable?: boolean };

export interface Meta extends OpenApiMeta { requires?: Requirement }

class FieldError extends Error {
  constructor(readonly field: string, message: string) { super(message); }
}

// ---------------------------------------------------------------------------------------------------------------
// 2. Init: one error shape for every API answer (tRPC and REST): code, message, request id, field errors.
// ---------------------------------------------------------------------------------------------------------------
const t = initTRPC.context<Context>().meta<Meta>().create({
  errorFormatter({ shape, error, ctx }) {
    const cause = error.cause;
    const fieldErrors = cause instanceof z.ZodError ? z.flattenError(cause).fieldErrors
      : cause instanceof FieldError ? { [cause.field]: [cause.message] } : undefined;
    const internal = error.code === 'INTERNAL_SERVER_ERROR';
    return {
      ...shape,
      // Internal errors never leak their text (it may hold SQL or secrets); the request id finds the log line.
      message: internal ? 'Something went wrong on our side. Quote the request id when reporting it.' : shape.message,
      data: { code: shape.data.code, httpStatus: shape.data.httpStatus, path: shape.data.path,
        requestId: ctx?.meta.requestId, fieldErrors },
    };
  },
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

// Domain errors thrown by services become the matching API error, with the offending field named.
const base = t.procedure.use(async ({ next }) => {
  const result = await next();
  if (!result.ok && result.error.cause instanceof AppError) {
    const { code, message, field } = result.error.cause;
    throw new TRPCError({ code, message, cause: field ? new FieldError(field, message) : undefined });
  }
  return result;
});

// ---------------------------------------------------------------------------------------------------------------
// 3. Public: anyone. Authenticated: a signed-in person or a valid token (UNAUTHORIZED otherwise).
// ---------------------------------------------------------------------------------------------------------------
export const publicProcedure = base.meta({ requires: { kind: 'public' } });

const authed = base.use(({ ctx, next }) => {
  if (!ctx.actor) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Sign in, or send an API token as "Authorization: Bearer <token>".' });
  // tRPC merges what is passed into the context it has: only what changes, as it is copied on every request.
  return next({ ctx: { actor: ctx.actor } });
});
// Tenant procedures re-read a token's row in their own transaction; everything else checks it here.
const authedFresh = authed.use(async ({ ctx, next }) => {
  if (ctx.actor.type === 'token' && !(await tokenStillUsable(ctx.db, ctx.actor))) throw new TRPCError({ code: 'UNAUTHORIZED', message: TOKEN_UNUSABLE });
  return next();
});
export const authedProcedure = authedFresh.meta({ requires: { kind: 'authenticated' } });

// ---------------------------------------------------------------------------------------------------------------
// 4. Platform: platform operators only (FORBIDDEN otherwise). They manage tenants, never read tenant data.
// ---------------------------------------------------------------------------------------------------------------
export const platformProcedure = authedFresh.meta({ requires: { kind: 'platform' } }).use(async ({ ctx, next, path }) => {
  if (ctx.actor.type !== 'user' || !ctx.actor.isPlatformAdmin) {
    await recordDenied(ctx.db, { tenantId: null, actor: ctx.actor, action: path, resourceType: 'platform', meta: ctx.meta });
    throw new TRPCError({ code: 'FORBIDDEN', message: 'Only platform operators may do this.' });
  }
  return next();
});

// ---------------------------------------------------------------------------------------------------------------
// 5. Tenant and site permissions. No standing in the tenant, or a site the caller cannot see: NOT_FOUND (never
//    confirm that another tenant's ids exist). Visible but not allowed: FORBIDDEN, and the refusal is audited.
// ---------------------------------------------------------------------------------------------------------------
const uuid = (what: string) => z.uuid({ message: `${what} must be a UUID` });
export const tenantInput = z.object({ tenantId: uuid('tenantId') });
export const siteInput = tenantInput.extend({ siteId: uuid('siteId') });

export interface TenantScope { tenantId: string; access: AccessGrant; siteId?: string }

type Denial = Omit<Parameters<typeof recordDenied>[1], 'changes'>;

/** A refusal from inside the service (an escalation, an owner-only change) is audited like one at the door. */
async function auditServiceRefusal(db: Context['db'], result: { ok: boolean; error?: { cause?: unknown } }, denial: Denial) {
  const cause = result.ok ? undefined : result.error?.cause;
  if (cause instanceof AppError && cause.code === 'FORBIDDEN') await recordDenied(db, { ...denial, changes: { reason: cause.message } });
}

type AccessCheck = (tx: Tx) => Promise<AccessGrant | null>;

/**
 * Resolves access, then runs the procedure. A query runs inside the same tenant transaction as the access check
 * (one BEGIN/COMMIT per read: reads are the hot path); a mutation, or a read that waits, gets its own transactions
 * from its service, so the access transaction never holds locks or a connection across the change or the wait.
 */
async function withAccess<T>(ctx: Context, oneTransaction: boolean, tenantId: string, check: AccessCheck, run: (db: Db, access: AccessGrant | null) => Promise<T>): Promise<T> {
  if (!oneTransaction) return run(ctx.db, await withTenant(ctx.db, tenantId, check));
  // A tenant-bound transaction stands in for the pool: services' own withTenant calls join it (see db/client.ts).
  return withTenant(ctx.db, tenantId, async (tx) => run(tx as unknown as Db, await check(tx)));
}

/**
 * `filteredBySite`: anyone with standing in the tenant may call it; the service narrows the answer to the sites
 * where the permission is held (a delegated operator lists their own sites, or none).
 * `cacheable`: a successful answer is kept per caller and tenant, and given again while the tenant's cache version
 * stands (server/read-cache.ts): one statement instead of the access transaction and the read. Only for queries that
 * read nothing but sites, memberships, site grants, custom roles and API tokens, whose writes move that version.
 */
export function tenantProcedure(permission: Permission, opts: { filteredBySite?: boolean; cacheable?: boolean } = {}) {
  const flags = { ...(opts.filteredBySite ? { filteredBySite: true } : {}), ...(opts.cacheable ? { cacheable: true } : {}) };
  return authed.meta({ requires: { kind: 'permission', permission, scope: 'tenant', ...flags } }).input(tenantInput)
    .use(async ({ ctx, input, next, path, type }) => {
      const denial = { tenantId: input.tenantId, actor: ctx.actor, action: path, resourceType: 'tenant', resourceId: input.tenantId, meta: ctx.meta };
      const check = (tx: Tx) => resolveAccess(tx, input.tenantId, ctx.actor);
      let granted: AccessGrant | undefined;
      const answer = () => withAccess(ctx, type === 'query', input.tenantId, check, async (db, access) => {
        if (!access) throw new TRPCError({ code: 'NOT_FOUND', message: 'No such tenant, or you are not a member of it.' });
        if (!can(access, permission) && opts.filteredBySite !== true) {
          await recordDenied(ctx.db, denial);
          throw new TRPCError({ code: 'FORBIDDEN', message: `You need the "${permission}" permission in this tenant.` });
        }
        granted = access;
        const scope: TenantScope = { tenantId: input.tenantId, access };
        return next({ ctx: { db, scope } });
      });
      // Only a query whose whole input is the tenant id (the router walk checks): the key holds nothing else.
      const cache = opts.cacheable && type === 'query' ? await openReadCache(ctx.db, path, ctx.actor, input.tenantId) : null;
      const kept = cache?.kept();
      if (kept) return kept as Awaited<ReturnType<typeof answer>>;
      const result = await answer();
      if (result.ok && granted) cache?.keep(result, granted.expiresAt);
      await auditServiceRefusal(ctx.db, result, denial);
      return result;
    });
}

/**
 * `waits`: a read that may wait (a long poll), so it must not hold a transaction and a connection open meanwhile.
 * Such a read calls `ctx.stillAllowed()` before each later look, so a grant removed during the wait ends it at once.
 */
export function siteProcedure(permission: Permission, opts: { waits?: boolean } = {}) {
  return authed.meta({ requires: { kind: 'permission', permission, scope: 'site' } }).input(siteInput)
    .use(async ({ ctx, input, next, path, type }) => {
      const denial = { tenantId: input.tenantId, actor: ctx.actor, action: path, resourceType: 'site', resourceId: input.siteId, meta: ctx.meta };
      const check = async (tx: Tx) => {
        const access = await resolveAccess(tx, input.tenantId, ctx.actor);
        return access && (await siteVisible(tx, { tenantId: input.tenantId, siteId: input.siteId, access })) ? access : null;
      };
      const result = await withAccess(ctx, type === 'query' && opts.waits !== true, input.tenantId, check, async (db, access) => {
        if (!access) throw new TRPCError({ code: 'NOT_FOUND', message: 'No such site, or you have no access to it.' });
        if (!can(access, permission, input.siteId)) {
          await recordDenied(ctx.db, denial);
          throw new TRPCError({ code: 'FORBIDDEN', message: `You need the "${permission}" permission on this site.` });
        }
        const scope: TenantScope = { tenantId: input.tenantId, access, siteId: input.siteId };
        const stillAllowed = async () => {
          const now = await withTenant(ctx.db, input.tenantId, check);
          if (!now || !can(now, permission, input.siteId)) throw new TRPCError({ code: 'NOT_FOUND', message: 'No such site, or you have no access to it any more.' });
        };
        return next({ ctx: { db, scope, stillAllowed } });
      });
      await auditServiceRefusal(ctx.db, result, denial);
      return result;
    });
}
