/** Reading a spec file: YAML in, normalised Stack out, with the project root it belongs to. */
import { readFile } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import { SpecError } from './errors';
import { PROJECT_MARKER } from '../paths/constants';
import { parseStack } from './parse';
import type { Stack } from './types';

export interface LoadedSpec {
  stack: Stack;
  /** Absolute path of the folder holding the spec: relative file paths resolve against it. */
  projectRoot: string;
  /** The spec was one gateway rather than a stack (its field paths have no `gateways[i].` prefix). */
  single: boolean;
  /** Default project name: the folder's name for `switchyard.yaml`, else the spec file's name without extension. */
  projectName: string;
}

/** Parses YAML text; YAML errors become SpecErrors with line and column. */
export function parseSpecYaml(text: string): Stack {
  return parseSpecDocument(text).stack;
}

function parseSpecDocument(text: string): { stack: Stack; single: boolean } {
  const document = parseDocument(text, { uniqueKeys: true, prettyErrors: true });
  if (document.errors.length > 0) {
    throw new SpecError(document.errors.map((error) => ({ path: '', message: `YAML: ${error.message.split('\n')[0]}` })));
  }
  const value: unknown = document.toJS();
  const single = !(typeof value === 'object' && value !== null && 'gateways' in value);
  return { stack: parseStack(value), single };
}

export async function loadSpecFile(path: string): Promise<LoadedSpec> {
  const absolute = resolve(path);
  const text = await readFile(absolute, 'utf8');
  const projectRoot = dirname(absolute);
  const file = basename(absolute);
  const projectName = file === PROJECT_MARKER ? basename(projectRoot) : file.replace(/\.ya?ml$/i, '');
  return { ...parseSpecDocument(text), projectRoot, projectName };
}
