/** The gateway specification, its version-aware contract, naming, planning and rendering. */
export { parseStack, MINIMUM_GATEWAY_MEMORY_MIB, DEFAULT_HEALTHCHECK } from './parse';
export { SpecError, formatIssue, type SpecIssue } from './errors';
export { gatewaySchema, containerSchema, stackSchema, GATEWAY_SECRETS, type GatewayInput, type ContainerInput } from './schema';
export type { Gateway, Container, Member, Stack } from './types';
export { parseGatewayVersion, isAtLeast, SUPPORTED_LINES, type GatewayVersion } from './gateway-version';
export { IGNITION_VARIABLES, CONTAINER_ARGUMENTS, lookupVariable, type VariableEntry } from './contract-table';
export { minimumVersionOf } from './contract';
export {
  dnsName, memberKey, slugify, stackName, networkName, containerName, volumeName, ownerLabels, LABEL_PREFIX, type NamingScope,
} from './naming';
export { planStack, type PlanContext } from './plan';
export type { StackPlan, ServicePlan, MountPlan, SecretPlan, PortPlan, HealthcheckPlan } from './plan-types';
export { gatewaySecretTarget } from './gateway-env';
export { renderCompose, composeObject, type RenderOptions } from './compose';
export { toEngineRequests, startOrder, type EngineRequests, type ContainerCreateBody, type EngineMount } from './engine';
export { composeServiceToComparable, engineRequestToComparable, type ComparableService } from './equivalence';
export { validateComposeDocument } from './compose-schema';
export { referencedFiles, type ReferencedFile, type ReferencedFileKind } from './files';
export { checkSecretFiles, readFileOrNull, secretProblem, type SecretFileReport, type SecretProblem } from './secret-files';
export { loadSpecFile, parseSpecYaml, type LoadedSpec } from './load';
export { wireBundle, type WiringNote } from './bundle-wiring';
