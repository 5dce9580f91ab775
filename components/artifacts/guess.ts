// What the upload panel fills in from a chosen file: a valid artifact name and the kind its extension suggests.
import { ARTIFACT_EXTENSIONS, ARTIFACT_KINDS, type ArtifactKind } from '@/lib/artifacts/kinds';

/** The kind whose expected extension the file name ends with; `other` when none does. */
export function guessKind(filename: string): ArtifactKind {
  const lower = filename.toLowerCase();
  return ARTIFACT_KINDS.find((kind) => ARTIFACT_EXTENSIONS[kind].some((ext) => lower.endsWith(ext))) ?? 'other';
}

/** The file name without its extension, made to fit the API's name rule (letters, digits, space . _ -; 100 at most). */
export function nameFromFilename(filename: string): string {
  const dot = filename.lastIndexOf('.');
  const stem = dot > 0 ? filename.slice(0, dot) : filename;
  return stem.replace(/[^A-Za-z0-9 ._-]+/g, '-').replace(/^[^A-Za-z0-9]+/, '').slice(0, 100).trim();
}
