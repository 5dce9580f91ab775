/** Reading one small metadata document from an archive, with the refusals an uploader can act on. */
import type { SafeZip } from '../zip';
import { MetadataError } from './descriptors';
import { ArtifactRejected } from './errors';

const MAX_DOCUMENT_BYTES = 1024 * 1024;

/** The document's text; `metadata-missing` when absent, `metadata-invalid` when too large to be one. */
export async function readDocument(zip: SafeZip, entry: string, label: string, advice: string): Promise<string> {
  if (!zip.has(entry)) throw new ArtifactRejected('metadata-missing', `${label} has no ${entry}; ${advice}`);
  const info = zip.entries.find((candidate) => candidate.name === entry);
  if (info && info.uncompressedSize > MAX_DOCUMENT_BYTES) {
    throw new ArtifactRejected('metadata-invalid', `${label}: ${entry} is larger than 1 MiB, too large to be one; ${advice}`);
  }
  return (await zip.read(entry, { maxBytes: MAX_DOCUMENT_BYTES })).toString('utf8');
}

/** An optional document: its text, or undefined when absent or oversized (it never refuses the upload). */
export async function readOptionalDocument(zip: SafeZip, entry: string): Promise<string | undefined> {
  const info = zip.entries.find((candidate) => candidate.name === entry);
  if (!info || info.isDirectory || info.uncompressedSize > MAX_DOCUMENT_BYTES) return undefined;
  return (await zip.read(entry, { maxBytes: MAX_DOCUMENT_BYTES })).toString('utf8');
}

/** Runs a descriptor parser, turning its MetadataError into a refusal that names the file. */
export function parseDocument<T>(parse: () => T, label: string, advice: string): T {
  try {
    return parse();
  } catch (error) {
    if (error instanceof MetadataError) throw new ArtifactRejected('metadata-invalid', `${label}: ${error.message}; ${advice}`);
    throw error;
  }
}
