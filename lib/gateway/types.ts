/** The normalised stack parseStack returns: defaults filled in, sizes and durations as numbers. */
import type { GatewayVersion } from './gateway-version';
import type { HealthTimingMs } from './schema-parts';
import type { ContainerInput, GatewayInput } from './schema';

export interface Gateway extends Omit<GatewayInput, 'version' | 'memory' | 'heap' | 'healthcheck' | 'image'> {
  kind: 'gateway';
  version: GatewayVersion;
  image: string;
  memoryMiB: number;
  /** JVM maximum heap: given, or 75% of memoryMiB. */
  heapMiB: number;
  healthcheck: HealthTimingMs;
}

export interface Container extends Omit<ContainerInput, 'memory' | 'healthcheck'> {
  kind: 'container';
  memoryMiB: number | null;
  healthcheck: (HealthTimingMs & { test: string[] }) | null;
}

export type Member = Gateway | Container;

export interface Stack {
  gateways: Gateway[];
  containers: Container[];
}
