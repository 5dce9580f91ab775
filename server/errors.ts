// Domain errors: services throw these; the procedure ladder turns them into the API's one error shape.
export type AppErrorCode = 'BAD_REQUEST' | 'NOT_FOUND' | 'CONFLICT' | 'FORBIDDEN' | 'UNAUTHORIZED' | 'TOO_MANY_REQUESTS' | 'PRECONDITION_FAILED' | 'PAYLOAD_TOO_LARGE';

export class AppError extends Error {
  constructor(readonly code: AppErrorCode, message: string, readonly field?: string) {
    super(message);
    this.name = 'AppError';
  }
}

export const notFound = (what: string) => new AppError('NOT_FOUND', `No such ${what}, or you have no access to it.`);

/** True when `err` is Postgres' unique violation on the named constraint or index. */
export function isUniqueViolation(err: unknown, constraint: string): boolean {
  const e = (err as { cause?: unknown })?.cause ?? err;
  const pg = e as { code?: string; constraint_name?: string; constraint?: string };
  return pg?.code === '23505' && (pg.constraint_name ?? pg.constraint) === constraint;
}
