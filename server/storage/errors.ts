// Typed storage failures: callers map them to API errors; messages name the endpoint, never the keys.

/** The S3 server cannot be reached, or it refuses our credentials. */
export class StorageUnavailableError extends Error {
  constructor(readonly endpoint: string, reason: string, options?: { cause?: unknown; hint?: string }) {
    super(`object storage unavailable at ${endpoint}: ${reason}; ${options?.hint ?? 'start it or fix S3_ENDPOINT'}`, options);
    this.name = 'StorageUnavailableError';
  }
}

export class ObjectTooLargeError extends Error {
  constructor(readonly maxBytes: number) {
    super(`the upload is larger than the limit of ${maxBytes} bytes; nothing was stored (send a smaller file or raise the limit)`);
    this.name = 'ObjectTooLargeError';
  }
}

export class UploadAbortedError extends Error {
  constructor(options?: { cause?: unknown }) {
    super('the upload was cancelled; nothing was stored', options);
    this.name = 'UploadAbortedError';
  }
}

export class ObjectNotFoundError extends Error {
  constructor(readonly key: string) {
    super(`no object stored under ${key}`);
    this.name = 'ObjectNotFoundError';
  }
}

const connectionCodes = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE']);
const credentialCodes = new Set(['InvalidAccessKeyId', 'SignatureDoesNotMatch', 'AccessDenied']);

/** Connection and credential failures become StorageUnavailableError; anything else passes through. */
export function mapStorageError(err: unknown, endpoint: string): unknown {
  const codes = errorCodes(err);
  const connection = codes.find((c) => connectionCodes.has(c));
  if (connection) return new StorageUnavailableError(endpoint, `cannot connect (${connection})`, { cause: err });
  const credentials = codes.find((c) => credentialCodes.has(c));
  if (credentials) return new StorageUnavailableError(endpoint, `the server refused the credentials (${credentials})`, { cause: err, hint: 'check S3_ACCESS_KEY and S3_SECRET_KEY' });
  return err;
}

/** Codes of an error and of what it wraps (AggregateError from happy-eyeballs connects, `cause`). */
function errorCodes(err: unknown, depth = 0): string[] {
  if (!err || typeof err !== 'object' || depth > 3) return [];
  const e = err as { code?: unknown; errors?: unknown[]; cause?: unknown };
  const own = typeof e.code === 'string' ? [e.code] : [];
  const inner = [...(Array.isArray(e.errors) ? e.errors : []), e.cause].flatMap((x) => errorCodes(x, depth + 1));
  return [...own, ...inner];
}

/** True when S3 says the object (or key) does not exist. */
export function isNotFound(err: unknown): boolean {
  const code = (err as { code?: unknown })?.code;
  return code === 'NotFound' || code === 'NoSuchKey';
}
