/** Where gateways run: the engine-agnostic GatewayRuntime, its errors, and the Docker implementation. */
export * from './types';
export { RuntimeError, isRuntimeError, type RuntimeErrorCode, type RuntimeErrorDetails } from './errors';
export { DockerRuntime, type DockerRuntimeOptions } from './docker';
export { MANAGED_BY_LABEL, planOwner } from './docker-ops';
