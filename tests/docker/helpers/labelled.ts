// What is left on the engine with a label (containers, volumes, networks), for "nothing remains" assertions
// and for cleaning up objects a test did not label itself (a runtime-created site network carries only owner labels).
import { dockerTry } from '@/e2e/gateway-sim/docker-cli';

export interface Leftovers {
  containers: string[];
  volumes: string[];
  networks: string[];
}

async function names(kind: 'container' | 'volume' | 'network', labels: readonly string[]): Promise<string[]> {
  const format = kind === 'container' ? '{{.Names}}' : '{{.Name}}';
  const all = kind === 'container' ? ['--all'] : [];
  const filters = labels.flatMap((label) => ['--filter', `label=${label}`]);
  const listed = await dockerTry([kind, 'ls', ...all, ...filters, '--format', format]);
  if (listed.code !== 0) throw new Error(`docker ${kind} ls failed: ${listed.stderr.trim()}`);
  return listed.stdout.split('\n').filter(Boolean).sort();
}

/** Objects carrying every label (`key=value` or a bare key). */
export async function leftovers(...labels: string[]): Promise<Leftovers> {
  const [containers, volumes, networks] = await Promise.all([names('container', labels), names('volume', labels), names('network', labels)]);
  return { containers, volumes, networks };
}

/** Removes everything carrying the label; throws naming what could not be removed. */
export async function removeLabelled(label: string): Promise<void> {
  const found = await leftovers(label);
  const failed: string[] = [];
  const remove = async (what: string, args: string[]) => {
    if ((await dockerTry(args)).code !== 0) failed.push(what);
  };
  for (const name of found.containers) await remove(`container ${name}`, ['rm', '--force', '--volumes', name]);
  for (const name of found.volumes) await remove(`volume ${name}`, ['volume', 'rm', '--force', name]);
  for (const name of found.networks) await remove(`network ${name}`, ['network', 'rm', name]);
  if (failed.length > 0) throw new Error(`could not remove ${failed.join(', ')} (label ${label}); remove them by hand`);
}
