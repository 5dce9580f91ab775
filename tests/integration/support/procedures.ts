import type { AnyRouter } from '@trpc/server';
import { appRouter } from '@/server/routers';
import type { Meta, Requirement } from '@/server/trpc';

// Reads the router's own definitions, so every suite that walks procedures sees a new one the day it lands.

export interface ProcedureInfo {
  path: string;
  type: 'query' | 'mutation' | 'subscription';
  meta: Meta | undefined;
  /** Top-level keys of the merged input objects (tenantId, siteId, ...). */
  inputKeys: string[];
  hasOutput: boolean;
}

interface ProcedureDef { type: ProcedureInfo['type']; meta?: Meta; inputs: unknown[]; output?: unknown }

function objectKeys(parser: unknown): string[] {
  const shape = (parser as { shape?: unknown }).shape;
  return shape && typeof shape === 'object' ? Object.keys(shape) : [];
}

export function listProcedures(router: AnyRouter = appRouter): ProcedureInfo[] {
  const procedures = router._def.procedures as Record<string, { _def: ProcedureDef }>;
  return Object.entries(procedures).map(([path, proc]) => ({
    path,
    type: proc._def.type,
    meta: proc._def.meta,
    inputKeys: [...new Set(proc._def.inputs.flatMap(objectKeys))],
    hasOutput: proc._def.output !== undefined,
  }));
}

export type PermissionRequirement = Extract<Requirement, { kind: 'permission' }>;

export function permissionOf(p: ProcedureInfo): PermissionRequirement | null {
  return p.meta?.requires?.kind === 'permission' ? p.meta.requires : null;
}

/** Calls `caller.<path>(input)` for a dotted path, the way a client would. */
export function callPath(caller: object, path: string, input: unknown): Promise<unknown> {
  const fn = path.split('.').reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], caller);
  return (fn as (input: unknown) => Promise<unknown>)(input);
}
