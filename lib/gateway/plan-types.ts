/** The StackPlan: engine-agnostic, fully resolved; Compose YAML and Engine API bodies are both read from it. */

export interface MountPlan {
  type: 'bind' | 'volume';
  /** Absolute host path (bind) or volume name (volume). */
  source: string;
  /** For binds: the same source relative to the project root (`modules/x.modl`), for a portable Compose file. */
  projectPath: string | null;
  target: string;
  readOnly: boolean;
}

/** A secret file of the project, shared by every service that mounts it. */
export interface SecretPlan {
  key: string;
  /** Relative to the project root, e.g. `secrets/gateway-admin-password`. */
  projectPath: string;
  /** Absolute host path. */
  source: string;
}

export interface ServiceSecretPlan {
  key: string;
  /** Where the file appears in the container; a `_FILE` variable points here. */
  target: string;
}

export interface PortPlan {
  container: number;
  host: number;
  hostIp: string | null;
}

export interface HealthcheckPlan {
  test: string[];
  intervalMs: number;
  timeoutMs: number;
  retries: number;
  startPeriodMs: number;
}

export type RestartPolicy = 'no' | 'always' | 'unless-stopped' | 'on-failure';

export interface ServicePlan {
  /** Compose service key and network alias. */
  key: string;
  kind: 'gateway' | 'container';
  containerName: string;
  hostname: string;
  image: string;
  /** Arguments after the image's entrypoint; null keeps the image default. */
  command: string[] | null;
  env: Record<string, string>;
  mounts: MountPlan[];
  secrets: ServiceSecretPlan[];
  labels: Record<string, string>;
  cpus: number | null;
  memoryBytes: number | null;
  healthcheck: HealthcheckPlan | null;
  restart: RestartPolicy;
  ports: PortPlan[];
  exposedPorts: number[];
  aliases: string[];
  /** Keys of services to start first. */
  dependsOn: string[];
}

export interface StackPlan {
  /** Compose project name. */
  name: string;
  projectRoot: string;
  network: { key: string; name: string; labels: Record<string, string> };
  volumes: { key: string; name: string; labels: Record<string, string> }[];
  secrets: SecretPlan[];
  services: ServicePlan[];
}
