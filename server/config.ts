import { z } from 'zod';

const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');
const optionalText = z.string().trim().min(1).optional();
const port = z.coerce.number().int().min(1).max(65535);

// Object storage. Without S3_ENDPOINT, `npm start` runs an embedded S3-protocol server on loopback.
const s3Fields = {
  S3_ENDPOINT: z.url().optional(),
  S3_ACCESS_KEY: optionalText,
  S3_SECRET_KEY: optionalText,
  S3_BUCKET: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'is 3-63 lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit').default('switchyard'),
  S3_REGION: z.string().trim().min(1).default('us-east-1'),
  S3_USE_SSL: bool.optional(),
  SWITCHYARD_S3_PORT: port.default(54330),
};

type S3Fields = { S3_ENDPOINT?: string; S3_ACCESS_KEY?: string; S3_SECRET_KEY?: string; S3_USE_SSL?: boolean };
function checkS3(c: S3Fields, ctx: z.RefinementCtx) {
  const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
  if (!c.S3_ENDPOINT) {
    if (c.S3_ACCESS_KEY || c.S3_SECRET_KEY) issue('S3_ENDPOINT', 'is required with S3_ACCESS_KEY and S3_SECRET_KEY (or unset both to use the embedded server)');
    return;
  }
  if (!c.S3_ACCESS_KEY || !c.S3_SECRET_KEY) issue('S3_ACCESS_KEY', 'S3_ACCESS_KEY and S3_SECRET_KEY are required with S3_ENDPOINT');
  if (!URL.canParse(c.S3_ENDPOINT)) return; // already reported as not a URL
  const url = new URL(c.S3_ENDPOINT);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') issue('S3_ENDPOINT', 'must start with http:// or https://');
  else if (c.S3_USE_SSL !== undefined && c.S3_USE_SSL !== (url.protocol === 'https:')) issue('S3_USE_SSL', `contradicts S3_ENDPOINT's ${url.protocol}// scheme: drop S3_USE_SSL or change the scheme`);
  if (url.username || url.password) issue('S3_ENDPOINT', 'must not carry credentials: use S3_ACCESS_KEY and S3_SECRET_KEY');
  if ((url.pathname !== '/' && url.pathname !== '') || url.search) issue('S3_ENDPOINT', 'is scheme, host and port only (e.g. https://s3.example.com:9000), no path or query');
}

/**
 * Database connections per process. Ten keep a request waiting for a connection rarely and hold the total (the
 * first process and up to four workers: 50) well inside Postgres's default max_connections of 100; twenty cost
 * about 5% more CPU per request under load (bench:api), with more backends contending for the cores.
 */
export const DEFAULT_POOL_MAX = 10;

const configSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('production'),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  // Processes serving HTTP (console and API); the first process keeps the database, storage, jobs and reconciler.
  SWITCHYARD_HTTP_WORKERS: z.coerce.number().int().min(1, 'must be at least 1').max(32, 'must be at most 32').optional(),
  PUBLIC_URL: z.url().optional(),
  SWITCHYARD_DATA_DIR: z.string().min(1).default('.data'),
  SWITCHYARD_PG_PORT: z.coerce.number().int().min(1).max(65535).default(54329),
  DATABASE_URL: z.url().optional(),
  DATABASE_APP_URL: z.url().optional(),
  DATABASE_POOL_MAX: z.coerce.number().int().min(1, 'must be at least 1').max(500, 'must be at most 500').default(DEFAULT_POOL_MAX),
  AUTH_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  SWITCHYARD_BOOTSTRAP_EMAIL: z.email().optional(),
  SWITCHYARD_BOOTSTRAP_PASSWORD: z.string().min(12, 'must be at least 12 characters').optional(),
  SWITCHYARD_DEMO: bool.default(true),
  OIDC_ISSUER: z.url().optional(),
  OIDC_CLIENT_ID: optionalText,
  OIDC_CLIENT_SECRET: optionalText,
  OIDC_NAME: z.string().min(1).default('Single sign-on'),
  // Environments: host ports handed to gateways, the gateway image, default quotas, the in-process job worker.
  SWITCHYARD_PORT_RANGE: z.string().regex(/^\d{1,5}-\d{1,5}$/, 'is a range such as 20000-20999').default('20000-20999')
    .transform((v) => v.split('-').map(Number) as [number, number])
    .refine(([low, high]) => low >= 1024 && high <= 65535 && low <= high, 'must lie within 1024-65535, low end first'),
  SWITCHYARD_SECRET_KEY: z.string().regex(/^[0-9a-f]{64}$/i, 'is 64 hex characters (32 bytes); leave it unset to keep one in the data dir').optional(),
  SWITCHYARD_GATEWAY_IMAGE: z.string().includes('{version}', { message: 'must contain {version}, e.g. inductiveautomation/ignition:{version}' }).optional(),
  SWITCHYARD_QUOTA_ENVIRONMENTS: z.coerce.number().int().min(0).default(10),
  SWITCHYARD_QUOTA_CPUS: z.coerce.number().min(0).default(16),
  SWITCHYARD_QUOTA_MEMORY_MIB: z.coerce.number().int().min(0).default(32768),
  // Artifact storage per tenant unless set for the tenant (each distinct content counted once).
  SWITCHYARD_QUOTA_STORAGE_MIB: z.coerce.number().int().min(0).default(51_200),
  SWITCHYARD_WORKER: bool.default(true),
  // Jobs one worker process runs at once (each on a different environment).
  SWITCHYARD_JOB_CONCURRENCY: z.coerce.number().int().min(1, 'must be at least 1').max(64, 'must be at most 64').default(6),
  SWITCHYARD_HEALTH_TIMEOUT_MS: z.coerce.number().int().min(1000).optional(),
  SWITCHYARD_JOB_STALE_SECONDS: z.coerce.number().int().min(2).default(60),
  // The reconciler (database against the engine): runs beside the in-process worker unless turned off.
  SWITCHYARD_RECONCILER: bool.default(true),
  SWITCHYARD_RECONCILE_SECONDS: z.coerce.number().int().min(1, 'must be at least 1 (seconds between full sweeps)').max(86_400, 'must be at most 86400 (a day)').default(30),
  // The stats sampler (CPU and memory charts): runs beside the worker unless turned off.
  SWITCHYARD_SAMPLER: bool.default(true),
  SWITCHYARD_SAMPLE_SECONDS: z.coerce.number().int().min(1, 'must be at least 1 (seconds between stats samples)').max(3600, 'must be at most 3600 (an hour)').default(10),
  // The backup scheduler (due backup schedules queue backup jobs): runs beside the worker unless turned off.
  SWITCHYARD_BACKUP_SCHEDULER: bool.default(true),
  SWITCHYARD_BACKUP_SCHEDULER_SECONDS: z.coerce.number().int().min(1, 'must be at least 1 (seconds between passes over due backup schedules)').max(3600, 'must be at most 3600 (an hour)').default(60),
  SWITCHYARD_JOB_QUEUE: z.string().regex(/^[a-z0-9-]+$/, 'is lowercase letters, digits and -').default('environment-jobs'),
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  ...s3Fields,
}).superRefine((c, ctx) => {
  checkS3(c, ctx);
  if (c.DATABASE_URL && !c.DATABASE_APP_URL) {
    ctx.addIssue({ code: 'custom', path: ['DATABASE_APP_URL'], message: 'is required with DATABASE_URL: the app connects as a separate role without BYPASSRLS' });
  }
  const oidc = [c.OIDC_ISSUER, c.OIDC_CLIENT_ID, c.OIDC_CLIENT_SECRET].filter(Boolean).length;
  if (oidc > 0 && oidc < 3) {
    ctx.addIssue({ code: 'custom', path: ['OIDC_ISSUER'], message: 'OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET go together: set all three or none' });
  }
  if (Boolean(c.SWITCHYARD_BOOTSTRAP_EMAIL) !== Boolean(c.SWITCHYARD_BOOTSTRAP_PASSWORD)) {
    ctx.addIssue({ code: 'custom', path: ['SWITCHYARD_BOOTSTRAP_PASSWORD'], message: 'SWITCHYARD_BOOTSTRAP_EMAIL and SWITCHYARD_BOOTSTRAP_PASSWORD go together' });
  }
});

export type Config = z.infer<typeof configSchema>;

export class ConfigError extends Error {}

/** Reads the environment once; a bad value names the variable and stops start-up. */
export function parseConfig(env: Record<string, string | undefined>): Config {
  return parseWith(configSchema, env);
}

const s3Schema = z.object(s3Fields).superRefine(checkS3);
export type S3Config = z.infer<typeof s3Schema>;

/** The object-storage variables alone, read afresh: start-up may set them after config() was cached. */
export function parseS3Config(env: Record<string, string | undefined>): S3Config {
  return parseWith(s3Schema, env);
}

function parseWith<T extends z.ZodType>(schema: T, env: Record<string, string | undefined>): z.infer<T> {
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const result = schema.safeParse(present);
  if (result.success) return result.data;
  const lines = result.error.issues.map((i) => `  ${i.path.join('.') || '(config)'}: ${i.message}`);
  throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
}

let cached: Config | undefined;
export function config(): Config {
  cached ??= parseConfig(process.env);
  return cached;
}
