import { getErrorShape } from '@trpc/server/unstable-core-do-not-import';
import { TRPCError } from '@trpc/server';
import { appRouter } from '@/server/routers';

export interface Refusal { code: string; message: string; fieldErrors: Record<string, string[] | undefined> | undefined }

/**
 * Awaits a call that must be refused and returns the error as an API client would see it: the router's own error
 * formatter runs, so `fieldErrors` is exactly what the tRPC and REST answers carry.
 */
export async function refusal(attempt: Promise<unknown>, path = 'test'): Promise<Refusal> {
  let outcome: unknown;
  try {
    outcome = await attempt;
  } catch (err) {
    if (!(err instanceof TRPCError)) throw err;
    const shape = getErrorShape({ config: appRouter._def._config, error: err, type: 'unknown', path, input: undefined, ctx: undefined });
    const data = shape.data as { code: string; fieldErrors?: Record<string, string[] | undefined> };
    return { code: data.code, message: shape.message, fieldErrors: data.fieldErrors };
  }
  throw new Error(`expected a refusal, but the call succeeded with ${JSON.stringify(outcome)?.slice(0, 300)}`);
}
