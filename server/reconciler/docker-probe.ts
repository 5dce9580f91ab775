/**
 * Which settings of an environment's containers differ from its plan: inspects each container found and compares it
 * with its planned create body (driftFields, the same check provision uses before re-creating). One probe serves
 * one sweep, so every image is inspected once however many containers use it.
 */
import type Docker from 'dockerode';
import { toEngineRequests, type StackPlan } from '@/lib/gateway';
import { driftFields } from '@/server/runtime/docker-drift';
import type { Engine } from '@/server/runtime/docker-engine';
import type { ManagedContainer } from '@/server/runtime';

/** Reported for a container whose planned image is not on the host: it cannot be the planned image. */
const IMAGE_ABSENT: string[] = ['image'];

export class DriftProbe {
  private readonly images = new Map<string, Promise<Docker.ImageInspectInfo | null>>();

  constructor(private readonly engine: Engine) {}

  /** Differing settings by container name, for the planned containers among `found`. */
  async changed(plan: StackPlan, found: readonly ManagedContainer[]): Promise<Map<string, string[]>> {
    const byName = new Map(found.map((container) => [container.name, container]));
    const result = new Map<string, string[]>();
    for (const { name, body } of toEngineRequests(plan).containers) {
      const container = byName.get(name);
      if (!container) continue;
      const docker = this.engine.docker;
      // By id: the name may have been taken by another container since the list was read.
      const info = await this.engine.find(`inspect container ${name}`, () => docker.getContainer(container.id).inspect());
      if (!info) continue; // gone since the list: its destroy event or the next sweep reports it
      const image = await this.image(body.Image);
      result.set(name, image ? driftFields(body, info, image) : IMAGE_ABSENT);
    }
    return result;
  }

  private image(reference: string): Promise<Docker.ImageInspectInfo | null> {
    let pending = this.images.get(reference);
    if (!pending) {
      pending = this.engine.find(`inspect image ${reference}`, () => this.engine.docker.getImage(reference).inspect());
      this.images.set(reference, pending);
    }
    return pending;
  }
}
