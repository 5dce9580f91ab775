/** Reading a spec file: YAML in, normalised Stack out, with the project root it belongs to. */
import { readFile } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import { SpecError } from './errors';
import { PROJECT_MARKER } from '../paths/constants';
import { parseStack } from './parse';
import { scanBundle } from '../bundle';
import type { BundleProblem } from '../bundle/types';
import { tryParseIgnitionVersion } from '../version';
import { wireBundle, type WiringNote } from './bundle-wiring';
import type { Stack } from './types';

export interface LoadedSpec {
  stack: Stack;
  /** Absolute path of the folder holding the spec: relative file paths resolve against it. */
  projectRoot: string;
  /** The spec was one gateway rather than a stack (its field paths have no `gateways[i].` prefix). */
  single: boolean;
  /** Default project name: the folder's name for `switchyard.yaml`, else the spec file's name without extension. */
  projectName: string;
  /** What the project folder contributed (only for a project's switchyard.yaml; standalone spec files wire nothing). */
  wiring: WiringNote[];
  bundleProblems: BundleProblem[];
}

/** Parses YAML text; YAML errors become SpecErrors with line and column. */
export function parseSpecYaml(text: string): Stack {
  return parseSpecDocument(text).stack;
}

function readSpecYaml(text: string): unknown {
  const document = parseDocument(text, { uniqueKeys: true, prettyErrors: true });
  if (document.errors.length > 0) {
    throw new SpecError(document.errors.map((error) => ({ path: '', message: `YAML: ${error.message.split('\n')[0]}` })));
  }
  return document.toJS();
}

function parseSpecDocument(text: string): { stack: Stack; single: boolean } {
  return parseValue(readSpecYaml(text));
}

function parseValue(value: unknown): { stack: Stack; single: boolean } {
  const single = !(typeof value === 'object' && value !== null && 'gateways' in value);
  return { stack: parseStack(value), single };
}

/** The version a raw spec names, when it is one the bundle checks can use. */
function targetVersionOf(value: unknown): string | undefined {
  const version = (value as { version?: unknown } | null)?.version;
  return typeof version === 'string' && tryParseIgnitionVersion(version) ? version : undefined;
}

export async function loadSpecFile(path: string): Promise<LoadedSpec> {
  const absolute = resolve(path);
  const text = await readFile(absolute, 'utf8');
  const projectRoot = dirname(absolute);
  const file = basename(absolute);
  const isProject = file === PROJECT_MARKER;
  const projectName = isProject ? basename(projectRoot) : file.replace(/\.ya?ml$/i, '');
  const raw = readSpecYaml(text);
  if (!isProject) return { ...parseValue(raw), projectRoot, projectName, wiring: [], bundleProblems: [] };
  const targetVersion = targetVersionOf(raw);
  const scan = await scanBundle(projectRoot, targetVersion ? { targetVersion } : {});
  const { spec, notes } = wireBundle(raw, scan);
  return { ...parseValue(spec), projectRoot, projectName, wiring: notes, bundleProblems: scan.problems };
}
