// The runtime environments run on (Docker today), and the request-time check that it answers.
import { DockerRuntime, isRuntimeError, type GatewayRuntime } from '@/server/runtime';
import { AppError } from '@/server/errors';

const holder = globalThis as unknown as { switchyardRuntime?: GatewayRuntime };

/** One runtime per process: the local engine, or DOCKER_HOST. */
export function gatewayRuntime(): GatewayRuntime {
  holder.switchyardRuntime ??= new DockerRuntime();
  return holder.switchyardRuntime;
}

/** Refuses before anything is written when the engine does not answer: nothing may look as if it was done. */
export async function requireRuntime(runtime: GatewayRuntime): Promise<void> {
  try {
    await runtime.ping();
  } catch (err) {
    if (isRuntimeError(err, 'ENGINE_UNREACHABLE')) throw new AppError('PRECONDITION_FAILED', `${err.message}. Nothing was changed; try again when the container engine is back.`);
    throw err;
  }
}
