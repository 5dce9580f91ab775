/**
 * Where gateways run. A GatewayRuntime takes the engine-agnostic StackPlan (lib/gateway) and makes it real:
 * Docker today (docker.ts), Kubernetes later behind the same interface. Failures are RuntimeErrors (errors.ts).
 */
import type { StackPlan } from '@/lib/gateway';
import type { RuntimeError } from './errors';

/** The idempotent steps of a provision, in order; `rollback` runs only when one of them failed. */
export const PROVISION_STEPS = ['network', 'volumes', 'secrets', 'image', 'create', 'start', 'healthy'] as const;
export type ProvisionStepName = (typeof PROVISION_STEPS)[number] | 'rollback';

export type StepStatus = 'running' | 'done' | 'skipped' | 'failed';

/** One report per step change: `running` when it begins, then `done` (it changed something), `skipped` or `failed`. */
export interface StepEvent {
  step: ProvisionStepName;
  status: StepStatus;
  startedAt: Date;
  /** 0 while running. */
  durationMs: number;
  /** What the step did or found, for a person: "created network sy-acme-plant1". */
  detail: string;
  error?: RuntimeError;
}

export interface WaitOptions {
  /** Wait until every container with a health check reports healthy (default true). */
  waitHealthy?: boolean;
  /** Give up waiting after this long (default: derived from the plan's health check timing). */
  healthTimeoutMs?: number;
}

export interface ProvisionOptions extends WaitOptions {
  /**
   * Secret values by the plan's secret key (plan.secrets[].key). Each is written as a 0600 file at its planned
   * host path (owned by the gateway user when running as root) before anything starts; planned secrets not given
   * here must already exist as files.
   */
  secretValues?: Record<string, string>;
  /** Leave what this call created in place when it fails, for debugging (default false: remove it). */
  keepOnFailure?: boolean;
  onStep?: (event: StepEvent) => void;
}

export interface ProvisionResult {
  containers: ContainerStatus[];
  /** Every step's final event, in order. */
  steps: StepEvent[];
}

export interface StopOptions {
  /** Seconds the gateway gets to shut down before it is killed (default 30). */
  timeoutSeconds?: number;
}

export interface DestroyOptions extends StopOptions {
  /** Keep the data volumes so a later provision finds the data again (default false: remove them). */
  keepVolumes?: boolean;
}

export interface DestroyResult {
  containers: string[];
  volumes: string[];
  /** The network's name when it was removed (no container used it any more). */
  network: string | null;
}

export type ContainerState = 'created' | 'running' | 'paused' | 'restarting' | 'removing' | 'exited' | 'dead';
export type HealthState = 'starting' | 'healthy' | 'unhealthy' | 'none';

export interface PublishedPort {
  container: number;
  host: number;
  hostIp: string;
}

export interface ContainerStatus {
  id: string;
  name: string;
  state: ContainerState;
  health: HealthState;
  startedAt: Date | null;
  exitCode: number | null;
  restartCount: number;
  image: string;
  imageId: string;
  ports: PublishedPort[];
  labels: Record<string, string>;
}

export interface StatsSample {
  sampledAt: Date;
  /** Of one CPU: 150 means one and a half CPUs busy. */
  cpuPercent: number;
  memoryUsedBytes: number;
  memoryLimitBytes: number;
}

export interface LogLine {
  stream: 'stdout' | 'stderr';
  /** When the engine received the line. */
  time: Date | null;
  text: string;
}

export interface LogOptions {
  /** The last N lines (default 100). */
  tail?: number;
}

export interface FollowOptions extends LogOptions {
  /** Ends the iteration (the iterator returns; no error) when aborted. */
  signal?: AbortSignal;
}

export interface ManagedContainer {
  id: string;
  name: string;
  state: ContainerState;
  health: HealthState;
  image: string;
  labels: Record<string, string>;
  createdAt: Date;
}

export interface GatewayRuntime {
  /** Throws ENGINE_UNREACHABLE when the engine does not answer. */
  ping(): Promise<void>;
  /** Network, volumes, secrets, image present, create, start, healthy: each step idempotent. */
  provision(plan: StackPlan, options?: ProvisionOptions): Promise<ProvisionResult>;
  /** Starts the plan's containers in dependency order. NOT_FOUND when one was never provisioned. */
  start(plan: StackPlan, options?: WaitOptions): Promise<ContainerStatus[]>;
  /** Stops them in reverse order; already stopped ones are left alone. */
  stop(plan: StackPlan, options?: StopOptions): Promise<ContainerStatus[]>;
  restart(plan: StackPlan, options?: StopOptions & WaitOptions): Promise<ContainerStatus[]>;
  /** Removes everything carrying the plan's owner labels; idempotent. */
  destroy(plan: StackPlan, options?: DestroyOptions): Promise<DestroyResult>;
  /** By container name; NOT_FOUND when there is none. */
  inspect(containerName: string): Promise<ContainerStatus>;
  /** One sample of a running container. */
  stats(containerName: string): Promise<StatsSample>;
  logs(containerName: string, options?: LogOptions): Promise<LogLine[]>;
  followLogs(containerName: string, options?: FollowOptions): AsyncIterable<LogLine>;
  /** Switchyard's containers (managed-by label) that also carry every given label, stopped ones included. */
  listManaged(labelFilter?: Record<string, string>): Promise<ManagedContainer[]>;
}
