import type { ArtifactKind } from '@/lib/artifacts/kinds';

/** Kinds as the console names them. */
export const KIND_LABELS: Readonly<Record<ArtifactKind, string>> = {
  project: 'Project export',
  backup: 'Gateway backup',
  module: 'Module',
  'jdbc-driver': 'JDBC driver',
  licence: 'Licence',
  other: 'Other file',
};

/** The first characters of a SHA-256, enough to tell versions apart at a glance. */
export const shortHash = (sha256: string) => sha256.slice(0, 12);
