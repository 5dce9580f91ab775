import type { ZipErrorCode } from '../zip';

/** Why an upload was refused. Zip checks keep lib/zip's codes; the rest are about what the file holds. */
export type ArtifactRejectionCode =
  | ZipErrorCode
  | 'wrong-kind'
  | 'metadata-missing'
  | 'metadata-invalid'
  | 'no-driver'
  | 'file-too-large'
  | 'empty'
  | 'not-text';

/** The file cannot be stored as the chosen kind; the message names the problem and what to do, for the uploader. */
export class ArtifactRejected extends Error {
  constructor(
    readonly code: ArtifactRejectionCode,
    message: string,
  ) {
    super(message);
    this.name = 'ArtifactRejected';
  }
}
