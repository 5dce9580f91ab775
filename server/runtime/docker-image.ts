/** The image a container needs: present on the host, or pulled when the runtime may pull; else IMAGE_MISSING. */
import type Docker from 'dockerode';
import type { Engine } from './docker-engine';
import { engineMessage } from './docker-engine';
import { isRuntimeError, runtimeErrors } from './errors';

export interface PresentImage {
  info: Docker.ImageInspectInfo;
  pulled: boolean;
}

export async function ensureImage(engine: Engine, image: string, pull: boolean): Promise<PresentImage> {
  const inspect = () => engine.find(`inspect image ${image}`, () => engine.docker.getImage(image).inspect());
  const present = await inspect();
  if (present) return { info: present, pulled: false };
  if (!pull) throw runtimeErrors.imageMissing(image);
  try {
    await pullImage(engine, image);
  } catch (error) {
    const failure = engine.translate(`pull image ${image}`, error);
    if (isRuntimeError(failure, 'ENGINE_UNREACHABLE')) throw failure;
    throw runtimeErrors.imageMissing(image, engineMessage(error as { message?: string }));
  }
  const pulled = await inspect();
  if (!pulled) throw runtimeErrors.imageMissing(image, 'the pull finished but the image is still not there');
  return { info: pulled, pulled: true };
}

/** The engine reports a failed pull as an `error` event in the progress stream, not as a failed request. */
async function pullImage(engine: Engine, image: string): Promise<void> {
  const stream = await engine.docker.pull(image);
  const events = await new Promise<{ error?: string }[]>((resolve, reject) => {
    engine.docker.modem.followProgress(stream, (error: Error | null, output: { error?: string }[]) => (error ? reject(error) : resolve(output)));
  });
  const failed = events.find((event) => event.error);
  if (failed) throw new Error(failed.error);
}
