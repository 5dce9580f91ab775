/** Reusable zod pieces for the gateway specification: names, project files, sizes, durations, ports. */
import { z } from 'zod';
import { parseDurationMs, parseSizeMiB } from './units';

/** A member name (gateway or container): free text, but printable and one line. */
export const memberName = z
  .string()
  .min(1, 'a name is required')
  .max(100, 'names are at most 100 characters')
  .refine((value) => !/[\p{Cc}]/u.test(value), 'names may not contain control characters or line breaks');

/** A file of the project, relative to its root (where switchyard.yaml lives), that stays inside it. */
export function projectFile(options: { extensions?: readonly string[]; folder?: string; example: string }) {
  return z.string().superRefine((value, ctx) => {
    const problem = projectFileProblem(value, options);
    if (problem) ctx.addIssue({ code: 'custom', message: `${problem}; e.g. ${options.example}` });
  });
}

function projectFileProblem(value: string, options: { extensions?: readonly string[]; folder?: string }): string | undefined {
  if (value.length === 0) return 'a file path is required';
  if (value.startsWith('/') || /^[A-Za-z]:/.test(value)) return `"${value}" is absolute; give a path relative to the project folder`;
  if (value.includes('\\')) return `"${value}" uses backslashes; use forward slashes`;
  const segments = value.split('/');
  if (segments.some((segment) => segment === '..' || segment === '')) return `"${value}" must stay inside the project folder (no "..", no empty segments)`;
  if (options.folder && (segments[0] !== options.folder || segments.length < 2)) return `"${value}" must be a file under ${options.folder}/`;
  if (options.extensions && !options.extensions.some((ext) => value.toLowerCase().endsWith(ext))) {
    return `"${value}" must end with ${options.extensions.join(' or ')}`;
  }
  return undefined;
}

/** A size with a unit (`2GiB`), parsed to whole MiB. */
export const sizeMiB = z.string().transform((value, ctx) => {
  const parsed = parseSizeMiB(value);
  if (typeof parsed === 'number') return parsed;
  ctx.addIssue({ code: 'custom', message: parsed.error });
  return z.NEVER;
});

/** A duration (`10s`, `1m30s`), parsed to milliseconds; at least `minMs`. */
export function durationMs(minMs: number) {
  return z.string().transform((value, ctx) => {
    const parsed = parseDurationMs(value);
    if (typeof parsed !== 'number') ctx.addIssue({ code: 'custom', message: parsed.error });
    else if (parsed < minMs) ctx.addIssue({ code: 'custom', message: `"${value}" is too short; use at least ${minMs}ms` });
    else return parsed;
    return z.NEVER;
  });
}

export const tcpPort = z.number().int('ports are whole numbers').min(1, 'ports are 1 to 65535').max(65535, 'ports are 1 to 65535');

export const hostIp = z.union([z.ipv4(), z.ipv6()], { error: 'hostIp is an IPv4 or IPv6 address, e.g. 127.0.0.1' });

export interface PortPlanInput {
  container: number;
  host: number | null;
  hostIp: string | null;
}

/**
 * A container port: `9088` publishes it on that host port, `false` keeps it private,
 * `{ container, host, hostIp }` says everything.
 */
export function portSchema(defaultContainer: number) {
  const longForm = z.strictObject({
    container: tcpPort.optional(),
    host: z.union([tcpPort, z.literal(false)]).optional(),
    hostIp: hostIp.optional(),
  });
  return z.union([tcpPort, z.literal(false), longForm]).transform((value): PortPlanInput => {
    if (value === false) return { container: defaultContainer, host: null, hostIp: null };
    if (typeof value === 'number') return { container: defaultContainer, host: value, hostIp: null };
    return { container: value.container ?? defaultContainer, host: value.host || null, hostIp: value.hostIp ?? null };
  });
}

/** Environment variable names as POSIX shells accept them. */
export const envName = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Extra environment: values may be written as numbers or booleans; they are passed as strings. */
export const environmentMap = z
  .record(z.string().regex(envName, 'variable names are letters, digits and _ and do not start with a digit'), z.union([z.string(), z.number(), z.boolean()]))
  .transform((map) => Object.fromEntries(Object.entries(map).map(([key, value]) => [key, String(value)])));

export const labelMap = z.record(
  z.string().min(1).refine((key) => !key.startsWith('io.switchyard.'), 'labels under io.switchyard. are set by Switchyard; choose another prefix'),
  z.string(),
);

export const restartPolicy = z.enum(['no', 'always', 'unless-stopped', 'on-failure']);

export const healthTiming = {
  interval: durationMs(1000).optional(),
  timeout: durationMs(1000).optional(),
  retries: z.number().int().min(1).max(100).optional(),
  startPeriod: durationMs(0).optional(),
};

export interface HealthTimingMs {
  intervalMs: number;
  timeoutMs: number;
  retries: number;
  startPeriodMs: number;
}
