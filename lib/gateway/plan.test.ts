import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { renderCompose } from './compose';
import { validateComposeDocument } from './compose-schema';
import { IGNITION_VARIABLES, lookupVariable } from './contract-table';
import { toEngineRequests } from './engine';
import { composeServiceToComparable, engineRequestToComparable } from './equivalence';
import { isAtLeast } from './gateway-version';
import { parseSpecYaml } from './load';
import { parseStack } from './parse';
import { planStack, type PlanContext } from './plan';

const root = '/srv/projects/demo';
const context: PlanContext = { projectRoot: root, scope: { kind: 'project', project: 'demo' } };
const examplesDir = join(import.meta.dirname, '../../examples');
const examples = readdirSync(examplesDir).filter((file) => file.endsWith('.yaml'));

function planOf(spec: object, ctx: PlanContext = context) {
  return planStack(parseStack(spec), ctx);
}

describe('planStack: a gateway', () => {
  const plan = planOf({
    name: 'plant', version: '8.3.4', memory: '4GiB', cpus: 2, restore: 'backups/b.gwbk', deploymentMode: 'dev', developerMode: true,
    publicAddress: { host: 'plant.example.com', httpPort: 80 }, modules: { files: ['modules/m.modl'] }, jdbc: { drivers: ['jdbc/d.jar'] },
    secrets: { adminPassword: 'secrets/gateway-admin-password' }, ports: { http: 9088, gan: { container: 8061 } },
    healthcheck: { interval: '7s', timeout: '2500ms', retries: 3, startPeriod: '1m' },
  });
  const service = plan.services[0]!;

  it('passes name, heap, restore, public address and JVM options as container arguments', () => {
    expect(service.command).toEqual([
      '-n', 'plant', '-m', '3072', '-r', '/restore/b.gwbk', '-a', 'plant.example.com', '-h', '80',
      '--', '-Dignition.config.mode=dev', '-Dignition.allowunsignedmodules=true',
    ]);
  });

  it('mounts the data volume and read-only project files at absolute sources', () => {
    expect(service.mounts).toEqual([
      { type: 'volume', source: 'sy-demo-plant-data', projectPath: null, target: '/usr/local/bin/ignition/data', readOnly: false },
      { type: 'bind', source: `${root}/modules/m.modl`, projectPath: 'modules/m.modl', target: '/usr/local/bin/ignition/user-lib/modules/m.modl', readOnly: true },
      { type: 'bind', source: `${root}/jdbc/d.jar`, projectPath: 'jdbc/d.jar', target: '/usr/local/bin/ignition/user-lib/jdbc/d.jar', readOnly: true },
      { type: 'bind', source: `${root}/backups/b.gwbk`, projectPath: 'backups/b.gwbk', target: '/restore/b.gwbk', readOnly: true },
    ]);
    expect(plan.volumes).toEqual([{ key: 'sy-demo-plant-data', name: 'sy-demo-plant-data', labels: { 'io.switchyard.gateway': 'plant', 'io.switchyard.managed-by': 'switchyard', 'io.switchyard.project': 'demo' } }]);
  });

  it('delivers secrets as _FILE variables pointing at a mounted file', () => {
    expect(service.env.GATEWAY_ADMIN_PASSWORD_FILE).toBe('/run/secrets/ignition/gateway-admin-password');
    expect(service.env).not.toHaveProperty('GATEWAY_ADMIN_PASSWORD');
    expect(service.secrets).toEqual([{ key: 'gateway-admin-password', target: '/run/secrets/ignition/gateway-admin-password' }]);
    expect(plan.secrets).toEqual([{ key: 'gateway-admin-password', projectPath: 'secrets/gateway-admin-password', source: `${root}/secrets/gateway-admin-password` }]);
  });

  it('publishes only the ports asked for, and sets a non-default container port through the contract', () => {
    expect(service.ports).toEqual([{ container: 8088, host: 9088, hostIp: null }]);
    expect(service.exposedPorts).toEqual([8088, 8043, 8061]);
    expect(service.env.GATEWAY_GAN_PORT).toBe('8061');
  });

  it('checks health on /StatusPing with the spec timing', () => {
    expect(service.healthcheck).toEqual({
      test: ['CMD-SHELL', 'curl -fsS --max-time 2 http://localhost:8088/StatusPing | grep -q RUNNING'],
      intervalMs: 7000, timeoutMs: 2500, retries: 3, startPeriodMs: 60_000,
    });
  });

  it('limits CPU and memory', () => {
    expect(service.cpus).toBe(2);
    expect(service.memoryBytes).toBe(4 * 1024 ** 3);
  });

  it('labels the owner, the gateway and a spec hash that changes with the spec', () => {
    expect(service.labels).toMatchObject({ 'io.switchyard.managed-by': 'switchyard', 'io.switchyard.project': 'demo', 'io.switchyard.gateway': 'plant' });
    const other = planOf({ name: 'plant', version: '8.3.4', memory: '4GiB' }).services[0]!;
    expect(other.labels['io.switchyard.spec-hash']).toMatch(/^[0-9a-f]{16}$/);
    expect(other.labels['io.switchyard.spec-hash']).not.toBe(service.labels['io.switchyard.spec-hash']);
  });

  it('lets context labels through but never over its own', () => {
    const labelled = planOf({ name: 'plant', version: '8.3.4' }, { ...context, labels: { 'io.switchyard.project': 'forged', team: 'ot' } });
    expect(labelled.services[0]!.labels).toMatchObject({ 'io.switchyard.project': 'demo', team: 'ot' });
  });

  it('refuses a relative project root', () => {
    expect(() => planStack(parseStack({ name: 'a', version: '8.3.4' }), { ...context, projectRoot: 'demo' })).toThrow(/absolute path/);
  });
});

describe('planStack: stacks', () => {
  it('points gateway-network connections at the peer hostname and port', () => {
    const plan = planOf({
      gateways: [
        { name: 'front', version: '8.3.4', gatewayNetwork: { connections: [{ gateway: 'back', pingRate: 1000 }] } },
        { name: 'back', version: '8.3.4', ports: { gan: { container: 8070 } } },
      ],
    });
    expect(plan.services[0]!.env).toMatchObject({ GATEWAY_NETWORK_0_HOST: 'sy-demo-back', GATEWAY_NETWORK_0_PORT: '8070', GATEWAY_NETWORK_0_PINGRATE: '1000' });
  });

  it('shares one secret file between gateways and gives containers _FILE variables too', () => {
    const plan = planOf({
      gateways: [
        { name: 'a', version: '8.3.4', secrets: { adminPassword: 'secrets/pw' } },
        { name: 'b', version: '8.3.4', secrets: { adminPassword: 'secrets/pw' } },
      ],
      containers: [{ name: 'db', image: 'postgres:16', secrets: { POSTGRES_PASSWORD: 'secrets/db/pw' }, volumes: [{ name: 'pgdata', target: '/var/lib/postgresql/data' }] }],
    });
    expect(plan.secrets.map((secret) => secret.key)).toEqual(['pw', 'db-pw']);
    expect(plan.services[2]!.env).toEqual({ POSTGRES_PASSWORD_FILE: '/run/secrets/db-pw' });
    expect(plan.services[2]!.labels).toMatchObject({ 'io.switchyard.service': 'db' });
    expect(plan.services[2]!.labels).not.toHaveProperty('io.switchyard.gateway');
    expect(plan.volumes.find((volume) => volume.name === 'sy-demo-db-pgdata')!.labels).toMatchObject({ 'io.switchyard.service': 'db' });
    expect(plan.services[2]!.mounts).toEqual([{ type: 'volume', source: 'sy-demo-db-pgdata', projectPath: null, target: '/var/lib/postgresql/data', readOnly: false }]);
  });

  it('never emits a contract variable the gateway version does not read', () => {
    const optional = <T>(value: fc.Arbitrary<T>) => fc.option(value, { nil: undefined });
    fc.assert(
      fc.property(
        fc.constantFrom(1, 3), fc.nat(60),
        fc.record({
          timezone: optional(fc.constant('UTC')), acceptEula: optional(fc.boolean()), adminUsername: optional(fc.constant('admin')),
          edition: optional(fc.constantFrom('standard', 'edge')), disableQuickstart: optional(fc.boolean()),
          secrets: optional(fc.record({ encodingKey: optional(fc.constant('secrets/k')), licenseKey: optional(fc.constant('secrets/l')) }, { requiredKeys: [] })),
          modules: optional(fc.record({ enabled: optional(fc.constant(['perspective'])), accept: optional(fc.constant(['a.b'])) }, { requiredKeys: [] })),
          gatewayNetwork: optional(fc.record({ requireSsl: optional(fc.boolean()), connections: optional(fc.constant([{ host: 'hub', description: 'd' }])) }, { requiredKeys: [] })),
        }, { requiredKeys: [] }),
        (minor, patch, options) => {
          let stack;
          try {
            stack = parseStack(JSON.parse(JSON.stringify({ name: 'g', version: `8.${minor}.${patch}`, ...options })));
          } catch {
            return; // refused up front: nothing is emitted
          }
          const [service] = planStack(stack, context).services;
          for (const name of Object.keys(service!.env)) {
            const entry = lookupVariable(name.replace(/_FILE$/, ''));
            if (entry) expect(isAtLeast(stack.gateways[0]!.version, entry.since), `${name} on 8.${minor}.${patch}`).toBe(true);
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it('has a table entry with a valid first version for every variable', () => {
    for (const entry of IGNITION_VARIABLES) expect(entry.since).toMatch(/^8\.\d+\.\d+$/);
  });
});

describe('Compose and Engine API agree', () => {
  it.each(examples)('for every service of %s', (file) => {
    const stack = parseSpecYaml(readFileSync(join(examplesDir, file), 'utf8'));
    const plan = planStack(stack, context);
    const compose = renderCompose(plan);
    const absolute = renderCompose(plan, { sourcePaths: 'absolute' });
    const requests = toEngineRequests(plan);
    for (const service of plan.services) {
      const engine = engineRequestToComparable(requests, service.containerName);
      expect(composeServiceToComparable(compose, service.key, root)).toEqual(engine);
      expect(composeServiceToComparable(absolute, service.key, '/elsewhere')).toEqual(engine);
    }
  });

  it('would notice a difference', () => {
    const plan = planOf({ name: 'plant', version: '8.3.4', secrets: { adminPassword: 'secrets/pw' } });
    const requests = toEngineRequests(plan);
    requests.containers[0]!.body.HostConfig.Mounts.pop();
    requests.containers[0]!.body.Env.push('EXTRA=1');
    const compose = composeServiceToComparable(renderCompose(plan), 'plant', root);
    const engine = engineRequestToComparable(requests, 'sy-demo-plant');
    expect(engine.mounts).not.toEqual(compose.mounts);
    expect(engine.env).not.toEqual(compose.env);
  });
});

describe('toEngineRequests', () => {
  const plan = planOf({
    gateways: [{ name: 'plant', version: '8.3.4', cpus: 1.5, ports: { http: { host: 9088, hostIp: '127.0.0.1' } }, secrets: { adminPassword: 'secrets/pw' }, dependsOn: ['db'] }],
    containers: [{ name: 'db', image: 'postgres:16' }],
  });
  const requests = toEngineRequests(plan);

  it('uses Engine API field names and units', () => {
    const gateway = requests.containers.find((container) => container.name === 'sy-demo-plant')!;
    expect(gateway.body.Healthcheck).toEqual({
      Test: ['CMD-SHELL', 'curl -fsS --max-time 4 http://localhost:8088/StatusPing | grep -q RUNNING'],
      Interval: 10_000_000_000, Timeout: 5_000_000_000, Retries: 6, StartPeriod: 120_000_000_000,
    });
    expect(gateway.body.HostConfig).toMatchObject({
      NanoCpus: 1_500_000_000, Memory: 2048 * 1024 * 1024, RestartPolicy: { Name: 'unless-stopped' }, NetworkMode: 'sy-demo',
      PortBindings: { '8088/tcp': [{ HostIp: '127.0.0.1', HostPort: '9088' }] },
    });
    expect(gateway.body.ExposedPorts).toEqual({ '8088/tcp': {}, '8043/tcp': {}, '8060/tcp': {} });
    expect(gateway.body.NetworkingConfig).toEqual({ EndpointsConfig: { 'sy-demo': { Aliases: ['plant'] } } });
    expect(gateway.body.Env).toContain('GATEWAY_ADMIN_PASSWORD_FILE=/run/secrets/ignition/gateway-admin-password');
  });

  it('turns a Compose secret into a read-only bind of the file at the same target', () => {
    const gateway = requests.containers.find((container) => container.name === 'sy-demo-plant')!;
    expect(gateway.body.HostConfig.Mounts).toContainEqual({ Type: 'bind', Source: `${root}/secrets/pw`, Target: '/run/secrets/ignition/gateway-admin-password', ReadOnly: true });
  });

  it('creates dependencies first and the network and volumes it needs', () => {
    expect(requests.containers.map((container) => container.name)).toEqual(['sy-demo-db', 'sy-demo-plant']);
    expect(requests.networks).toEqual([{ Name: 'sy-demo', Driver: 'bridge', Labels: { 'io.switchyard.managed-by': 'switchyard', 'io.switchyard.project': 'demo' } }]);
    expect(requests.volumes.map((volume) => volume.Name)).toEqual(['sy-demo-plant-data']);
  });
});

describe('long and unusual names', () => {
  it('keeps every Docker name within 63 DNS-safe characters and the Compose file valid', () => {
    const long = `Gateway «${'Ü'.repeat(30)}» "quoted" ${'x'.repeat(45)}`; // 95 characters
    const plan = planOf(
      { gateways: [{ name: long, version: '8.3.4' }, { name: `${long}2`, version: '8.3.4' }] },
      { projectRoot: root, scope: { kind: 'environment', tenant: 'a'.repeat(63), site: 'Site Ä', environment: 'prod' } },
    );
    const names = plan.services.flatMap((service) => [service.containerName, service.hostname, service.key]);
    for (const name of [...names, plan.network.name, plan.name]) expect(name).toMatch(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/);
    expect(new Set(plan.services.map((service) => service.containerName)).size).toBe(2);
    expect(plan.services[0]!.command!.slice(0, 2)).toEqual(['-n', long]);
    expect(validateComposeDocument(renderCompose(plan))).toEqual([]);
  });
});

describe('renderCompose', () => {
  it('renders the same spec to the same bytes, and secrets never as values', () => {
    const spec = { name: 'plant', version: '8.3.4', secrets: { adminPassword: 'secrets/pw' }, acceptEula: true, restart: 'no' };
    const first = renderCompose(planOf(spec));
    expect(renderCompose(planOf(JSON.parse(JSON.stringify(spec))))).toBe(first);
    const doc = parse(first);
    expect(doc.services.plant.environment).toEqual({ ACCEPT_IGNITION_EULA: 'Y', IGNITION_EDITION: 'standard', GATEWAY_ADMIN_PASSWORD_FILE: '/run/secrets/ignition/gateway-admin-password' });
    expect(doc.services.plant.restart).toBe('no');
    expect(first).toContain('restart: "no"');
    expect(first).toContain('ACCEPT_IGNITION_EULA: "Y"');
    expect(doc.secrets).toEqual({ pw: { file: './secrets/pw' } });
  });

  it('keeps quotes and unicode of a gateway name intact', () => {
    const doc = parse(renderCompose(planOf({ name: 'Usine "Élan": Nord', version: '8.3.4' })));
    const [key] = Object.keys(doc.services);
    expect(key).toMatch(/^usine-elan-nord-[0-9a-f]{8}$/);
    expect(doc.services[key!].command.slice(0, 2)).toEqual(['-n', 'Usine "Élan": Nord']);
  });
});
