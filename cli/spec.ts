/** Loading the spec a command names, with the project scope used for naming. */
import { loadSpecFile, type LoadedSpec, type NamingScope } from '../lib/gateway';
import { CliError } from './errors';

export interface SpecOptions {
  project?: string;
}

export async function loadSpec(path: string, options: SpecOptions): Promise<LoadedSpec & { scope: NamingScope }> {
  const loaded = await loadSpecFile(path);
  const project = options.project ?? loaded.projectName;
  if (project.trim() === '') throw new CliError('--project must not be empty; give a short name such as plant-a');
  return { ...loaded, scope: { kind: 'project', project } };
}
