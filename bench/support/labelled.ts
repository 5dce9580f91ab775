/**
 * Removes every container, volume and network carrying a label, by id: a name can match several networks when
 * concurrent creations raced past the engine's duplicate check, and then removal by name is refused.
 */
import type Docker from 'dockerode';

export async function removeLabelledById(docker: Docker, label: string): Promise<void> {
  const filters = JSON.stringify({ label: [label] });
  const failed: string[] = [];
  const remove = (what: string, work: () => Promise<unknown>) => work().catch((err: unknown) => {
    if ((err as { statusCode?: number }).statusCode !== 404) failed.push(`${what} (${(err as Error).message})`);
  });
  for (const c of await docker.listContainers({ all: true, filters })) await remove(`container ${c.Names[0] ?? c.Id}`, () => docker.getContainer(c.Id).remove({ force: true, v: true }));
  for (const v of (await docker.listVolumes({ filters })).Volumes ?? []) await remove(`volume ${v.Name}`, () => docker.getVolume(v.Name).remove());
  for (const n of await docker.listNetworks({ filters })) await remove(`network ${n.Name} ${n.Id.slice(0, 12)}`, () => docker.getNetwork(n.Id).remove());
  if (failed.length > 0) throw new Error(`could not remove ${failed.join(', ')} (label ${label}); remove them by hand`);
}
