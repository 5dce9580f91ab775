/** Calling the Docker engine: every call goes through `call`, which turns dockerode's errors into RuntimeErrors. */
import http from 'node:http';
import https from 'node:https';
import type Docker from 'dockerode';
import { RuntimeError, runtimeErrors } from './errors';

/** Socket and TCP failures: the engine is not there, not that it said no. */
const CONNECTION_CODES = new Set(['ENOENT', 'ECONNREFUSED', 'EACCES', 'EPERM', 'ETIMEDOUT', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE']);

interface EngineFailure {
  statusCode?: number;
  code?: string;
  json?: { message?: string } | null;
  reason?: string;
  message?: string;
}

export class Engine {
  private freshClient: Docker | undefined;

  constructor(readonly docker: Docker) {}

  /**
   * Throws ENGINE_UNREACHABLE unless the engine answers a ping on a connection of its own. A dockerd that is shutting
   * down refuses new connections at once, yet keeps answering on kept-alive ones while it stops its containers: what
   * looks like a gateway exiting may be the engine going away, and only a fresh connection tells the two apart
   * (tests/disruptive/dockerd-restart.test.ts). Kept-alive connections stay for everything else: a connection per
   * request made a reconciler sweep of 500 containers 75 times slower.
   */
  async assertAnswering(action: string): Promise<void> {
    this.freshClient ??= freshClient(this.docker);
    await this.call(action, () => this.freshClient!.ping());
  }

  /** Where the engine is, for messages: the socket path or host:port, never credentials. */
  get endpoint(): string {
    const modem = this.docker.modem as { socketPath?: unknown; host?: string; port?: string | number; protocol?: string };
    if (typeof modem.socketPath === 'string') return `unix://${modem.socketPath}`;
    return `${modem.protocol ?? 'http'}://${modem.host ?? 'localhost'}:${modem.port ?? ''}`;
  }

  /** Runs one engine request; `action` says what it was for ("create network sy-a-b"). */
  async call<T>(action: string, request: () => Promise<T>): Promise<T> {
    try {
      return await request();
    } catch (error) {
      throw this.translate(action, error);
    }
  }

  /** Like call, but a 404 answers null (inspecting something that may not exist). */
  async find<T>(action: string, request: () => Promise<T>): Promise<T | null> {
    try {
      return await request();
    } catch (error) {
      if ((error as EngineFailure).statusCode === 404) return null;
      throw this.translate(action, error);
    }
  }

  translate(action: string, error: unknown): RuntimeError {
    if (error instanceof RuntimeError) return error;
    const failure = (error ?? {}) as EngineFailure;
    if (failure.statusCode === undefined && failure.code && CONNECTION_CODES.has(failure.code)) {
      return runtimeErrors.unreachable(this.endpoint, `${failure.code} while trying to ${action}`, error);
    }
    return runtimeErrors.engine(action, engineMessage(failure), error);
  }
}

/** The same engine through a client that opens a connection per request. */
function freshClient(docker: Docker): Docker {
  const modem = docker.modem as { socketPath?: string; host?: string; port?: string | number; protocol?: 'http' | 'https' | 'ssh'; ca?: string; cert?: string; key?: string };
  if (modem.protocol === 'ssh') return docker; // an ssh tunnel has its own connection handling
  const agent = modem.protocol === 'https' ? new https.Agent({ keepAlive: false }) : new http.Agent({ keepAlive: false });
  // docker-modem takes an `agent` option that dockerode's types leave out.
  const DockerClient = docker.constructor as new (options: Docker.DockerOptions & { agent: http.Agent }) => Docker;
  return new DockerClient({ socketPath: modem.socketPath, host: modem.host, port: modem.port, protocol: modem.protocol, ca: modem.ca, cert: modem.cert, key: modem.key, agent });
}

/** The engine's own words ("port is already allocated"), without dockerode's "(HTTP code 500) ..." wrapping. */
export function engineMessage(failure: EngineFailure): string {
  const text = failure.json?.message ?? failure.reason ?? failure.message ?? 'unknown error';
  return String(text).trim();
}

/** The host port named in a "port is already allocated" / "address already in use" answer, if any. */
export function takenPort(message: string): number | undefined {
  const allocated = /:(\d+) failed: port is already allocated/.exec(message);
  const inUse = /:(\d+): bind: address already in use/.exec(message);
  const port = allocated?.[1] ?? inUse?.[1];
  return port === undefined ? undefined : Number(port);
}

export const isPortConflict = (message: string) => /port is already allocated|address already in use/.test(message);
