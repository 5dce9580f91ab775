/** Runtime failures a person can act on: each code has one message shape that says what happened and what to do. */

export type RuntimeErrorCode =
  | 'ENGINE_UNREACHABLE'
  | 'IMAGE_MISSING'
  | 'PORT_TAKEN'
  | 'HEALTH_TIMEOUT'
  | 'CONTAINER_EXITED'
  | 'NAME_CONFLICT'
  | 'NOT_FOUND'
  | 'SECRET_INVALID'
  | 'ENGINE_ERROR';

export interface RuntimeErrorDetails {
  /** The image reference (IMAGE_MISSING). */
  image?: string;
  /** The host port (PORT_TAKEN). */
  port?: number;
  /** The container, network or volume concerned. */
  name?: string;
  /** Last lines of the container's log, secrets redacted (CONTAINER_EXITED, HEALTH_TIMEOUT). */
  logTail?: string[];
  /** Why removing what a failed provision created failed too (its leftovers need removing by hand). */
  cleanupFailed?: string;
}

export class RuntimeError extends Error {
  constructor(
    readonly code: RuntimeErrorCode,
    message: string,
    readonly details: RuntimeErrorDetails = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'RuntimeError';
  }
}

export const isRuntimeError = (error: unknown, code?: RuntimeErrorCode): error is RuntimeError =>
  error instanceof RuntimeError && (code === undefined || error.code === code);

export const runtimeErrors = {
  unreachable: (endpoint: string, reason: string, cause?: unknown) =>
    new RuntimeError(
      'ENGINE_UNREACHABLE',
      `runtime unavailable: the Docker engine at ${endpoint} did not answer (${reason}); start Docker, or point DOCKER_HOST at a running engine, then retry`,
      {},
      { cause },
    ),
  imageMissing: (image: string, pullFailure?: string) =>
    new RuntimeError(
      'IMAGE_MISSING',
      `image ${image} is not on this Docker host${pullFailure ? ` and pulling it failed (${pullFailure})` : ''}; ` +
        `load or pull it (docker pull ${image}) or choose a version whose image is present`,
      { image },
    ),
  portTaken: (port: number, container: string) =>
    new RuntimeError(
      'PORT_TAKEN',
      `host port ${port} for ${container} is already in use by another container or process; free it or choose another port`,
      { port, name: container },
    ),
  healthTimeout: (container: string, waitedMs: number, lastCheck: string, logTail: string[]) =>
    new RuntimeError(
      'HEALTH_TIMEOUT',
      `${container} was not healthy after ${Math.round(waitedMs / 1000)} s; last health check: ${lastCheck}. ` +
        `Check its log (EULA accepted? admin password set?) or allow a longer health timeout. Its last log lines:\n${logTail.slice(-5).join('\n') || '(no output)'}`,
      { name: container, logTail },
    ),
  /** `exitCode` is null when the restart policy already started it again: the engine no longer has the code. */
  exited: (container: string, exitCode: number | null, logTail: string[]) =>
    new RuntimeError(
      'CONTAINER_EXITED',
      `${container} stopped during start ${exitCode === null ? 'and was restarted by its restart policy' : `with exit code ${exitCode}`}; its last log lines:\n${logTail.join('\n') || '(no output)'}`,
      { name: container, logTail },
    ),
  conflict: (kind: 'container' | 'volume' | 'network', name: string, why: string) =>
    new RuntimeError(
      'NAME_CONFLICT',
      `a ${kind} named ${name} already exists and ${why}; remove or rename it (docker ${kind === 'container' ? 'rm' : `${kind} rm`} ${name}) or give the environment another name`,
      { name },
    ),
  notFound: (kind: 'container', name: string, hint: string) =>
    new RuntimeError('NOT_FOUND', `no ${kind} named ${name} exists; ${hint}`, { name }),
  secretInvalid: (key: string, path: string, problem: string) =>
    new RuntimeError('SECRET_INVALID', `secret ${key}: ${path} ${problem}`, { name: key }),
  engine: (action: string, reason: string, cause?: unknown) =>
    new RuntimeError('ENGINE_ERROR', `the Docker engine refused to ${action}: ${reason}`, {}, { cause }),
};
