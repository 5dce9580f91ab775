/** Inspecting a licence file: small text whose content is never recorded (keys may be sensitive). */
import { ArtifactRejected } from './errors';
import type { LicenceMetadata } from './types';

const ZIP_SIGNATURES = [Buffer.from('PK\u0003\u0004', 'latin1'), Buffer.from('PK\u0005\u0006', 'latin1')];

/** True when the bytes start like a zip archive. */
export function looksLikeZip(head: Buffer): boolean {
  return ZIP_SIGNATURES.some((signature) => head.subarray(0, 4).equals(signature));
}

export function inspectLicence(bytes: Buffer, label: string): LicenceMetadata {
  if (bytes.length === 0 || bytes.toString('utf8').trim() === '') {
    throw new ArtifactRejected('empty', `${label} is empty; upload the licence file the gateway or Inductive Automation gave you`);
  }
  if (looksLikeZip(bytes)) {
    throw new ArtifactRejected(
      'not-text',
      `${label} is a zip archive, not a licence file; choose the kind that matches it (project, backup, module or jdbc-driver)`,
    );
  }
  if (bytes.includes(0) || !isUtf8(bytes)) {
    throw new ArtifactRejected('not-text', `${label} is binary, not a text licence file; upload the licence file itself`);
  }
  const text = bytes.toString('utf8');
  return { kind: 'licence', sizeBytes: bytes.length, lines: text.split(/\r?\n/).filter((line) => line.trim() !== '').length };
}

function isUtf8(bytes: Buffer): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}
