/** The gateway specification: one gateway, or a stack of gateways plus supporting containers. */
import { z } from 'zod';
import { IGNITION_JDBC_DIR_81, type SecretName } from '../paths/constants';
import {
  environmentMap, healthTiming, hostIp, labelMap, memberName, portSchema, projectFile, restartPolicy, sizeMiB, tcpPort,
} from './schema-parts';

/** Fixed file names inside the container and, by convention, under the project's secrets/ folder. */
export const GATEWAY_SECRETS = {
  adminPassword: 'gateway-admin-password',
  licenseKey: 'license-key',
  activationToken: 'activation-token',
  encodingKey: 'encoding-key',
} as const satisfies Record<string, SecretName>;

export type GatewaySecretField = keyof typeof GATEWAY_SECRETS;

const secretFile = (field: GatewaySecretField) =>
  projectFile({ folder: 'secrets', example: `secrets/${GATEWAY_SECRETS[field]}` }).optional();

const connection = z
  .strictObject({
    gateway: memberName.optional(),
    host: z.string().regex(/^[A-Za-z0-9.-]+$/, 'host is a DNS name or IPv4 address').optional(),
    port: tcpPort.optional(),
    pingRate: z.number().int().min(100).optional(),
    pingMaxMissed: z.number().int().min(1).optional(),
    enabled: z.boolean().optional(),
    enableSsl: z.boolean().optional(),
    websocketTimeout: z.number().int().min(100).optional(),
    description: z.string().optional(),
  })
  .refine((value) => (value.gateway === undefined) !== (value.host === undefined), {
    message: 'give exactly one of gateway (a gateway of this stack) or host (an external gateway)',
  });

const gatewayNetwork = z.strictObject({
  enabled: z.boolean().optional(),
  requireSsl: z.boolean().optional(),
  requireTwoWayAuth: z.boolean().optional(),
  securityPolicy: z.enum(['ApprovedOnly', 'Unrestricted', 'SpecifiedList']).optional(),
  whitelist: z.array(z.string().min(1)).optional(),
  allowIncoming: z.boolean().optional(),
  connections: z.array(connection).default([]),
});

const moduleId = z.string().regex(/^[A-Za-z0-9_.-]+$/, 'module ids are letters, digits, dots, dashes and underscores');

export const gatewaySchema = z.strictObject({
  name: memberName,
  version: z.string({ error: 'version is required, e.g. 8.3.4' }),
  edition: z.enum(['standard', 'edge', 'maker', 'cloud']).default('standard'),
  image: z.string().regex(/^[a-z0-9][a-z0-9._/:@-]*$/, 'image is a Docker reference such as inductiveautomation/ignition:8.3.4').optional(),
  acceptEula: z.boolean().default(false),
  adminUsername: z.string().min(1).optional(),
  ports: z
    .strictObject({ http: portSchema(8088).optional(), https: portSchema(8043).optional(), gan: portSchema(8060).optional() })
    .default({}),
  publicAddress: z
    .strictObject({ host: z.string().regex(/^[A-Za-z0-9.-]+$/, 'host is a DNS name or IP address'), httpPort: tcpPort.optional(), httpsPort: tcpPort.optional() })
    .optional(),
  cpus: z.number().positive('cpus must be more than 0').max(256).optional(),
  memory: sizeMiB.default(2048),
  heap: sizeMiB.optional(),
  modules: z
    .strictObject({
      files: z.array(projectFile({ extensions: ['.modl'], example: 'modules/my-module.modl' })).default([]),
      enabled: z.array(z.string().regex(/^[a-z0-9-]+$/, 'built-in module short names are lowercase, e.g. perspective')).optional(),
      accept: z.array(moduleId).default([]),
    })
    .default({ files: [], accept: [] }),
  jdbc: z
    .strictObject({
      drivers: z.array(projectFile({ extensions: ['.jar'], example: 'jdbc/postgresql-42.7.4.jar' })).default([]),
      directory: z.string().startsWith('/', 'directory is an absolute path inside the container').default(IGNITION_JDBC_DIR_81),
    })
    .default({ drivers: [], directory: IGNITION_JDBC_DIR_81 }),
  restore: projectFile({ extensions: ['.gwbk'], example: 'backups/plant.gwbk' }).optional(),
  secrets: z
    .strictObject({
      adminPassword: secretFile('adminPassword'),
      licenseKey: secretFile('licenseKey'),
      activationToken: secretFile('activationToken'),
      encodingKey: secretFile('encodingKey'),
    })
    .default({}),
  gatewayNetwork: gatewayNetwork.default({ connections: [] }),
  redundancy: z.strictObject({ role: z.enum(['primary', 'backup']), peer: memberName }).optional(),
  deploymentMode: z.string().regex(/^[A-Za-z0-9_-]+$/, 'deployment modes are letters, digits, - and _, e.g. dev').optional(),
  timezone: z
    .string()
    .refine(isTimeZone, 'not a known IANA time zone; use e.g. UTC or Europe/Berlin')
    .optional(),
  disableQuickstart: z.boolean().optional(),
  developerMode: z.boolean().default(false),
  environment: environmentMap.default({}),
  labels: labelMap.default({}),
  restart: restartPolicy.default('unless-stopped'),
  healthcheck: z.strictObject(healthTiming).default({}),
  dependsOn: z.array(memberName).default([]),
});

export const containerSchema = z.strictObject({
  name: memberName,
  image: z.string().regex(/^[a-z0-9][a-z0-9._/:@-]*$/, 'image is a Docker reference such as postgres:16'),
  command: z.array(z.string()).optional(),
  environment: environmentMap.default({}),
  /** VAR -> file under secrets/; delivered as VAR_FILE=/run/secrets/<file name>. */
  secrets: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'secret keys are variable names'), projectFile({ folder: 'secrets', example: 'secrets/db-password' })).default({}),
  volumes: z
    .array(z.strictObject({ name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'volume names are lowercase letters, digits and -'), target: z.string().startsWith('/', 'target is an absolute path') }))
    .default([]),
  ports: z.array(z.strictObject({ container: tcpPort, host: tcpPort.optional(), hostIp: hostIp.optional() })).default([]),
  cpus: z.number().positive('cpus must be more than 0').max(256).optional(),
  memory: sizeMiB.optional(),
  healthcheck: z.strictObject({ test: z.array(z.string()).min(2, 'test is e.g. ["CMD-SHELL", "pg_isready -U postgres"]'), ...healthTiming }).optional(),
  labels: labelMap.default({}),
  restart: restartPolicy.default('unless-stopped'),
  dependsOn: z.array(memberName).default([]),
});

export const stackSchema = z.strictObject({
  gateways: z.array(gatewaySchema).min(1, 'a stack needs at least one gateway'),
  containers: z.array(containerSchema).default([]),
});

export type GatewayInput = z.output<typeof gatewaySchema>;
export type ContainerInput = z.output<typeof containerSchema>;
export type StackInput = z.output<typeof stackSchema>;

// Building an Intl.DateTimeFormat is slow, and specs repeat a handful of zones, so answers are remembered.
const knownZones = new Map<string, boolean>();

function isTimeZone(value: string): boolean {
  let known = knownZones.get(value);
  if (known === undefined) {
    try {
      new Intl.DateTimeFormat('en', { timeZone: value });
      known = true;
    } catch {
      known = false;
    }
    if (knownZones.size < 1000) knownZones.set(value, known);
  }
  return known;
}
