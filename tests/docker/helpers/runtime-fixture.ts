// Plans for runtime tests: one simulator gateway per tenant site environment, fast health checks, a fresh host port,
// everything labelled for cleanup. The tenant is unique per run, so leftovers are found by its owner label.
import Docker from 'dockerode';
import { ensureSimulatorImage } from '@/e2e/gateway-sim/image';
import { parseStack, planStack, type StackPlan } from '@/lib/gateway';
import { DockerRuntime } from '@/server/runtime';
import { leftovers, removeLabelled, type Leftovers } from './labelled';
import { freePort } from './ports';
import { TestDocker } from './test-docker';

export const SIM_VERSION = '8.3.4';
export const SIM_IMAGE = `switchyard/gateway-sim:${SIM_VERSION}`;
export const API_TOKEN = 'runtime-test-token-5c2';

/** An environment spec for the simulator with a fast health check, so suites provision in seconds. */
export function fastSimulatorSpec(opts: { token?: string; startupDelayMs?: number; memory?: string } = {}) {
  return {
    version: SIM_VERSION, image: SIM_IMAGE, acceptEula: true, memory: opts.memory ?? '1GiB',
    environment: { ...(opts.token ? { SIM_API_TOKEN: opts.token } : {}), SIM_STARTUP_DELAY_MS: String(opts.startupDelayMs ?? 100) },
    healthcheck: { interval: '1s', timeout: '2s', retries: 2, startPeriod: '0s' },
  };
}
/** One gateway of a stack spec: the fast simulator spec under a member name. */
export const stackMember = (name: string, memory = '1GiB') => ({ name, ...fastSimulatorSpec({ memory }) });

export const ADMIN_SECRET_KEY = 'gateway-admin-password';

export class RuntimeFixture {
  readonly resources = new TestDocker();
  readonly tenant = `t${this.resources.runId}`;
  readonly engine = new Docker();
  readonly runtime = new DockerRuntime(this.engine);
  projectRoot = '';

  async setup(): Promise<void> {
    await ensureSimulatorImage(SIM_VERSION);
    this.projectRoot = await this.resources.folder({});
  }

  /** A single-gateway plan; `overrides` are spec fields (memory, image, acceptEula, ports...). */
  async plan(site: string, environment: string, overrides: Record<string, unknown> = {}): Promise<StackPlan> {
    const spec = {
      name: 'gw',
      version: SIM_VERSION,
      image: SIM_IMAGE,
      acceptEula: true,
      memory: '1GiB',
      ports: { http: { host: await freePort(), hostIp: '127.0.0.1' } },
      secrets: { adminPassword: `secrets/${site}-${environment}-admin` },
      environment: { SIM_API_TOKEN: API_TOKEN, SIM_STARTUP_DELAY_MS: '100' },
      healthcheck: { interval: '1s', timeout: '2s', retries: 2, startPeriod: '0s' },
      ...overrides,
    };
    return planStack(parseStack(spec), {
      projectRoot: this.projectRoot,
      scope: { kind: 'environment', tenant: this.tenant, site, environment },
      labels: this.resources.labels,
    });
  }

  /** The plan's one secret, keyed as provision's secretValues expects. */
  secretsFor(plan: StackPlan, value: string): Record<string, string> {
    return Object.fromEntries(plan.secrets.map((secret) => [secret.key, value]));
  }

  baseUrl(plan: StackPlan): string {
    return `http://127.0.0.1:${plan.services[0]!.ports[0]!.host}`;
  }

  /** Containers and volumes of the environment, and the site's network. */
  async leftovers(site: string, environment: string): Promise<Leftovers> {
    const owner = [`io.switchyard.tenant=${this.tenant}`, `io.switchyard.site=${site}`];
    const [ofEnvironment, ofSite] = await Promise.all([leftovers(...owner, `io.switchyard.environment=${environment}`), leftovers(...owner)]);
    return { containers: ofEnvironment.containers, volumes: ofEnvironment.volumes, networks: ofSite.networks };
  }

  async cleanup(): Promise<void> {
    try {
      await removeLabelled(`io.switchyard.tenant=${this.tenant}`);
    } finally {
      await this.resources.cleanup();
    }
  }
}

export const nothing: Leftovers = { containers: [], volumes: [], networks: [] };
