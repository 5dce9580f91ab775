/** Types and mode rules for preparing host folders (see host-dirs.ts). */
import type { ProjectDirKind } from './constants';

export type HostDirKind = ProjectDirKind;

export interface HostDirRequest {
  /** The spec field this path came from, echoed in the report. */
  field: string;
  /** Absolute host path. */
  hostPath: string;
  kind: HostDirKind;
  /** A folder to create (default), or a file that must already exist (e.g. one secret). */
  type?: 'directory' | 'file';
}

export interface PrepareOptions {
  /** Owner the gateway runs as; 2003:2003 in the official image. */
  uid?: number;
  gid?: number;
  /** Whether we may chown; defaults to running as root. */
  asRoot?: boolean;
  dryRun?: boolean;
  /** Compare owners with uid/gid; defaults to true on Linux (Docker Desktop maps owners itself). */
  checkOwnership?: boolean;
  /** Compare modes; defaults to false on Windows, where POSIX modes mean nothing. */
  checkModes?: boolean;
}

export interface CreatedPath {
  field: string;
  kind: HostDirKind;
  path: string;
  mode: number;
  /** Set when the folder was (or would be) handed to the gateway user. */
  owner?: { uid: number; gid: number };
}

export interface ExistingPath {
  field: string;
  kind: HostDirKind;
  path: string;
  mode: number;
  uid: number;
  gid: number;
}

export type HostPathProblemCode =
  | 'mode-too-open'
  | 'wrong-owner'
  | 'secret-readable'
  | 'not-a-directory'
  | 'not-a-file'
  | 'missing-file'
  | 'owner-not-set';

export interface HostPathProblem {
  field: string;
  kind: HostDirKind;
  path: string;
  code: HostPathProblemCode;
  message: string;
  /** A command or step that fixes it. */
  fix: string;
}

export interface HostDirReport {
  dryRun: boolean;
  created: CreatedPath[];
  unchanged: ExistingPath[];
  problems: HostPathProblem[];
}

export const SECRETS_DIR_MODE = 0o700;
export const SECRET_FILE_MODE = 0o600;
export const DEFAULT_DIR_MODE = 0o750;

export function directoryModeFor(kind: HostDirKind): number {
  return kind === 'secrets' ? SECRETS_DIR_MODE : DEFAULT_DIR_MODE;
}

export function octal(mode: number): string {
  return `0${(mode & 0o777).toString(8).padStart(3, '0')}`;
}

/** Options with every default filled in. */
export interface PrepareSettings {
  uid: number;
  gid: number;
  asRoot: boolean;
  dryRun: boolean;
  checkOwnership: boolean;
  checkModes: boolean;
}

