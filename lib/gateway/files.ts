/** The project files a stack refers to, so callers can check, scan or prepare them. */
import type { Stack } from './types';

export type ReferencedFileKind = 'module' | 'jdbc' | 'backup' | 'secret';

export interface ReferencedFile {
  kind: ReferencedFileKind;
  /** Where the spec names it, e.g. `gateways[0].modules.files[1]`. */
  field: string;
  /** Relative to the project root. */
  path: string;
}

/**
 * Every file the stack names. Fields are `gateways[i].…`; with `single` (the spec was one gateway, not a stack)
 * they are written as in that spec, without the prefix.
 */
export function referencedFiles(stack: Stack, options: { single?: boolean } = {}): ReferencedFile[] {
  const files: ReferencedFile[] = [];
  stack.gateways.forEach((gateway, index) => {
    const at = options.single ? '' : `gateways[${index}]`;
    const field = (rest: string) => (at ? `${at}.${rest}` : rest);
    gateway.modules.files.forEach((path, n) => files.push({ kind: 'module', field: field(`modules.files[${n}]`), path }));
    gateway.jdbc.drivers.forEach((path, n) => files.push({ kind: 'jdbc', field: field(`jdbc.drivers[${n}]`), path }));
    if (gateway.restore) files.push({ kind: 'backup', field: field('restore'), path: gateway.restore });
    for (const [name, path] of Object.entries(gateway.secrets)) {
      if (path) files.push({ kind: 'secret', field: field(`secrets.${name}`), path });
    }
  });
  stack.containers.forEach((container, index) => {
    for (const [variable, path] of Object.entries(container.secrets)) {
      files.push({ kind: 'secret', field: `containers[${index}].secrets.${variable}`, path });
    }
  });
  return files;
}
