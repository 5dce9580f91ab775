/** parseStack: one gateway or a stack in, a normalised and contract-checked Stack out, or a SpecError. */
import type { z } from 'zod';
import { checkContract } from './contract';
import { SpecError, childPath, formatPath, type SpecIssue } from './errors';
import { parseGatewayVersion } from './gateway-version';
import { checkStackReferences } from './stack-checks';
import { gatewaySchema, stackSchema, type ContainerInput, type GatewayInput } from './schema';
import type { Container, Gateway, Stack } from './types';

/** A gateway needs this much memory to start reliably. */
export const MINIMUM_GATEWAY_MEMORY_MIB = 1024;
export const DEFAULT_HEALTHCHECK = { intervalMs: 10_000, timeoutMs: 5_000, retries: 6, startPeriodMs: 120_000 };

/** Accepts a single gateway (has `version`) or a stack (has `gateways`). Throws SpecError listing every issue. */
export function parseStack(input: unknown): Stack {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new SpecError([{ path: '', message: 'the spec must be a mapping: one gateway (name, version, ...) or a stack (gateways: [...])' }]);
  }
  const isStack = 'gateways' in input;
  const parsed = isStack ? stackSchema.safeParse(input) : gatewaySchema.safeParse(input);
  if (!parsed.success) throw new SpecError(zodIssues(parsed.error, input));
  const raw = isStack ? (parsed.data as z.output<typeof stackSchema>) : { gateways: [parsed.data as GatewayInput], containers: [] };
  const gatewayPath = (index: number) => (isStack ? `gateways[${index}]` : '');
  const issues: SpecIssue[] = [];
  const gateways = raw.gateways.map((gateway, index) => normaliseGateway(gateway, gatewayPath(index), issues));
  const containers = raw.containers.map(normaliseContainer);
  const stack: Stack = { gateways: gateways.filter((g): g is Gateway => g !== undefined), containers };
  if (issues.length === 0) issues.push(...checkStackReferences(stack, gatewayPath));
  if (issues.length > 0) throw new SpecError(issues);
  return stack;
}

function normaliseGateway(input: GatewayInput, path: string, issues: SpecIssue[]): Gateway | undefined {
  const version = parseGatewayVersion(input.version);
  if ('error' in version) {
    issues.push({ path: childPath(path, 'version'), message: version.error });
    return undefined;
  }
  const before = issues.length;
  for (const issue of checkContract(input, version)) issues.push({ path: path ? `${path}.${issue.path}` : issue.path, message: issue.message });
  if (input.memory < MINIMUM_GATEWAY_MEMORY_MIB) {
    issues.push({ path: childPath(path, 'memory'), message: `${input.memory}MiB is below the ${MINIMUM_GATEWAY_MEMORY_MIB}MiB (1GiB) a gateway needs; give at least 1GiB` });
  }
  const heapMiB = input.heap ?? Math.floor(input.memory * 0.75);
  if (input.heap !== undefined && input.heap >= input.memory) {
    issues.push({ path: childPath(path, 'heap'), message: `heap ${input.heap}MiB must be below memory ${input.memory}MiB (the JVM needs room outside the heap); leave heap out to use 75%` });
  }
  if (issues.length > before) return undefined;
  const { memory, healthcheck, image, ...rest } = input;
  delete (rest as Partial<typeof rest>).heap;
  return {
    ...rest,
    kind: 'gateway',
    version,
    image: image ?? `inductiveautomation/ignition:${version.text}`,
    memoryMiB: memory,
    heapMiB,
    healthcheck: { ...DEFAULT_HEALTHCHECK, ...definedTiming(healthcheck) },
  };
}

function normaliseContainer(input: ContainerInput): Container {
  const { memory, healthcheck, ...rest } = input;
  return {
    ...rest,
    kind: 'container',
    memoryMiB: memory ?? null,
    healthcheck: healthcheck ? { ...DEFAULT_HEALTHCHECK, ...definedTiming(healthcheck), test: healthcheck.test } : null,
  };
}

function definedTiming(timing: { interval?: number; timeout?: number; retries?: number; startPeriod?: number }) {
  const out: Partial<typeof DEFAULT_HEALTHCHECK> = {};
  if (timing.interval !== undefined) out.intervalMs = timing.interval;
  if (timing.timeout !== undefined) out.timeoutMs = timing.timeout;
  if (timing.retries !== undefined) out.retries = timing.retries;
  if (timing.startPeriod !== undefined) out.startPeriodMs = timing.startPeriod;
  return out;
}

function zodIssues(error: z.ZodError, input: unknown): SpecIssue[] {
  return error.issues.flatMap((issue): SpecIssue[] => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({
        path: formatPath([...issue.path, key]),
        message: `unknown key "${key}"; check the spelling against docs/gateway-contract.md`,
      }));
    }
    if (issue.code === 'invalid_key') {
      return issue.issues.map((inner) => ({ path: formatPath(issue.path), message: inner.message }));
    }
    if (issue.code === 'invalid_type') {
      const given = valueAt(input, issue.path);
      const quote = issue.expected === 'string' && typeof given === 'number' ? ' (quote it in YAML)' : '';
      const message = given === undefined ? 'is required' : `must be ${issue.expected}, not ${describe(given)}${quote}`;
      return [{ path: formatPath(issue.path), message: `${String(issue.path.at(-1) ?? 'value')} ${message}` }];
    }
    return [{ path: formatPath(issue.path), message: issue.message }];
  });
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let value = root;
  for (const key of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return `${typeof value} ${JSON.stringify(value)}`;
}
