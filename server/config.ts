import { z } from 'zod';

const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');
const optionalText = z.string().trim().min(1).optional();

const configSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('production'),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  PUBLIC_URL: z.url().optional(),
  SWITCHYARD_DATA_DIR: z.string().min(1).default('.data'),
  SWITCHYARD_PG_PORT: z.coerce.number().int().min(1).max(65535).default(54329),
  DATABASE_URL: z.url().optional(),
  DATABASE_APP_URL: z.url().optional(),
  AUTH_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  SWITCHYARD_BOOTSTRAP_EMAIL: z.email().optional(),
  SWITCHYARD_BOOTSTRAP_PASSWORD: z.string().min(12, 'must be at least 12 characters').optional(),
  SWITCHYARD_DEMO: bool.default(true),
  OIDC_ISSUER: z.url().optional(),
  OIDC_CLIENT_ID: optionalText,
  OIDC_CLIENT_SECRET: optionalText,
  OIDC_NAME: z.string().min(1).default('Single sign-on'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
}).superRefine((c, ctx) => {
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
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const result = configSchema.safeParse(present);
  if (result.success) return result.data;
  const lines = result.error.issues.map((i) => `  ${i.path.join('.') || '(config)'}: ${i.message}`);
  throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
}

let cached: Config | undefined;
export function config(): Config {
  cached ??= parseConfig(process.env);
  return cached;
}
