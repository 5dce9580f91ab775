/** What an archive looks like from its entry names alone, to catch a file uploaded under the wrong kind. */
import type { SafeZip } from '../zip';
import { DRIVER_SERVICE_FILE } from './descriptors';
import { ArtifactRejected } from './errors';
import { ARTIFACT_KIND_NOUNS, type ArtifactKind } from './kinds';

/** Archivers on macOS add these; they are never part of an export. */
export const MAC_METADATA_FOLDER = '__MACOSX/';

/**
 * Where project.json sits: '' at the root, 'Folder/' when the whole export is inside one top-level folder (some
 * tools zip the project folder rather than its contents), undefined when neither.
 */
export function findProjectRoot(zip: SafeZip): string | undefined {
  if (zip.has('project.json')) return '';
  const tops = new Set<string>();
  for (const entry of zip.entries) {
    if (entry.name.startsWith(MAC_METADATA_FOLDER)) continue;
    const slash = entry.name.indexOf('/');
    // A file at the root means the export is not wrapped in one folder.
    if (slash < 0) return undefined;
    tops.add(entry.name.slice(0, slash + 1));
    if (tops.size > 1) return undefined;
  }
  const [top] = tops;
  return top !== undefined && zip.has(`${top}project.json`) ? top : undefined;
}

type Marker = { kind: Exclude<ArtifactKind, 'licence' | 'other'>; evidence: string; test: (zip: SafeZip) => boolean };

const MARKERS: readonly Marker[] = [
  { kind: 'module', evidence: 'module.xml found', test: (zip) => zip.has('module.xml') },
  { kind: 'backup', evidence: 'backupinfo.xml found', test: (zip) => zip.has('backupinfo.xml') },
  { kind: 'project', evidence: 'project.json found', test: (zip) => findProjectRoot(zip) !== undefined },
  {
    kind: 'jdbc-driver',
    evidence: 'Java classes found',
    test: (zip) => zip.has(DRIVER_SERVICE_FILE) || zip.entries.some((entry) => entry.name.endsWith('.class')),
  },
];

/** The kind an archive looks like, by the first marker it carries; undefined when none. */
export function guessKind(zip: SafeZip): { kind: ArtifactKind; evidence: string } | undefined {
  const marker = MARKERS.find((candidate) => candidate.test(zip));
  return marker && { kind: marker.kind, evidence: marker.evidence };
}

/**
 * Throws `wrong-kind` when the archive lacks the chosen kind's marker but carries another's. Returns quietly when it
 * has its own marker or none at all (the kind's own reader then says what is missing).
 */
export function assertNotAnotherKind(zip: SafeZip, kind: ArtifactKind, label: string): void {
  const own = MARKERS.find((marker) => marker.kind === kind);
  if (!own || own.test(zip)) return;
  const other = guessKind(zip);
  if (!other) return;
  throw new ArtifactRejected(
    'wrong-kind',
    `${label} looks like a ${ARTIFACT_KIND_NOUNS[other.kind]} (${other.evidence}), not a ${ARTIFACT_KIND_NOUNS[kind]}; ` +
      `choose kind ${other.kind}`,
  );
}
