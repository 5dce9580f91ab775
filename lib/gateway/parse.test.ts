import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SpecError, type SpecIssue } from './errors';
import { parseStack } from './parse';

function issuesOf(input: unknown): SpecIssue[] {
  try {
    parseStack(input);
  } catch (error) {
    if (error instanceof SpecError) return [...error.issues];
    throw error;
  }
  throw new Error('expected a SpecError');
}

const base = { name: 'plant', version: '8.3.4' };

describe('parseStack: shape', () => {
  it('turns a single gateway into a one-gateway stack with defaults filled in', () => {
    const stack = parseStack(base);
    expect(stack.containers).toEqual([]);
    expect(stack.gateways).toHaveLength(1);
    const [gateway] = stack.gateways;
    expect(gateway).toMatchObject({ kind: 'gateway', name: 'plant', edition: 'standard', image: 'inductiveautomation/ignition:8.3.4', memoryMiB: 2048, heapMiB: 1536, restart: 'unless-stopped' });
    expect(gateway!.version).toEqual({ major: 8, minor: 3, patch: 4, text: '8.3.4' });
  });

  it('derives the heap as 75% of memory, rounded down to whole MiB', () => {
    expect(parseStack({ ...base, memory: '3GiB' }).gateways[0]!.heapMiB).toBe(2304);
    expect(parseStack({ ...base, memory: '1025MiB' }).gateways[0]!.heapMiB).toBe(768);
    expect(parseStack({ ...base, memory: '4g', heap: '3g' }).gateways[0]!.heapMiB).toBe(3072);
  });

  it('names every unknown key with its full path', () => {
    expect(issuesOf({ ...base, memroy: '2GiB' })).toEqual([{ path: 'memroy', message: expect.stringContaining('unknown key "memroy"') }]);
    const nested = issuesOf({ gateways: [{ ...base, ports: { htp: 8088 } }] });
    expect(nested.map((issue) => issue.path)).toEqual(['gateways[0].ports.htp']);
  });

  it('refuses input that is not a mapping', () => {
    for (const input of [null, 'name: x', 42, [base]]) expect(issuesOf(input)[0]!.message).toMatch(/must be a mapping/);
  });

  it('says a required field is missing and a wrongly typed one is wrong', () => {
    expect(issuesOf({ version: '8.3.4' })).toEqual([{ path: 'name', message: 'name is required' }]);
    expect(issuesOf({ name: 'x', version: 8.3 })[0]!.message).toMatch(/must be string, not number 8.3 \(quote it in YAML\)/);
  });

  it('locates problems inside a stack by index', () => {
    const issues = issuesOf({ gateways: [base, { ...base, name: 'b', memory: '512MiB' }] });
    expect(issues).toEqual([{ path: 'gateways[1].memory', message: expect.stringContaining('below the 1024MiB') }]);
  });
});

describe('parseStack: versions', () => {
  it.each(['latest', '8.3', '8', '8.3.4-rc1', ' 8.3.4', '8.3.x', ''])('refuses the malformed version %j', (version) => {
    expect(issuesOf({ ...base, version })).toEqual([{ path: 'version', message: expect.stringContaining('not an Ignition version') }]);
  });

  it.each(['7.9.21', '8.0.17', '8.2.0', '9.0.0'])('refuses the unsupported line of %s', (version) => {
    expect(issuesOf({ ...base, version })[0]!.message).toBe(`Ignition ${version} is not supported; Switchyard runs the 8.1.x and 8.3.x lines`);
  });

  it('accepts any release of 8.1 and 8.3', () => {
    fc.assert(
      fc.property(fc.constantFrom(1, 3), fc.nat(200), (minor, patch) => {
        expect(parseStack({ ...base, version: `8.${minor}.${patch}` }).gateways[0]!.version.text).toBe(`8.${minor}.${patch}`);
      }),
    );
  });
});

describe('parseStack: the version-aware contract', () => {
  it('names the option and the first version that supports it', () => {
    expect(issuesOf({ ...base, version: '8.1.20', modules: { accept: ['com.example'] } })).toEqual([
      { path: 'modules.accept', message: 'modules.accept needs Ignition 8.3.0 or later; this gateway is 8.1.20 (raise version or remove the option)' },
    ]);
  });

  it.each([
    [{ deploymentMode: 'dev' }, '8.1.44', 'deploymentMode', '8.3.0'],
    [{ secrets: { encodingKey: 'secrets/encoding-key' } }, '8.1.37', 'secrets.encodingKey', '8.1.38'],
    [{ disableQuickstart: true }, '8.1.22', 'disableQuickstart', '8.1.23'],
    [{ disableQuickstart: false }, '8.1.22', 'disableQuickstart', '8.1.23'],
    [{ modules: { enabled: ['perspective'] } }, '8.1.16', 'modules.enabled', '8.1.17'],
    [{ gatewayNetwork: { connections: [{ host: 'hub', description: 'x' }] } }, '8.1.25', 'gatewayNetwork.connections[0].description', '8.1.26'],
    [{ gatewayNetwork: { connections: [{ host: 'hub' }] } }, '8.1.9', 'gatewayNetwork.connections[0]', '8.1.10'],
    [{ gatewayNetwork: { requireSsl: false } }, '8.1.31', 'gatewayNetwork.requireSsl', '8.1.32'],
    [{ edition: 'edge' }, '8.1.7', 'edition', '8.1.8'],
    [{ acceptEula: true }, '8.1.6', 'acceptEula', '8.1.7'],
    [{ ports: { http: { container: 9000 } } }, '8.1.7', 'ports.http.container', '8.1.8'],
    [{ environment: { IGNITION_UID: 2003 } }, '8.1.16', 'environment.IGNITION_UID', '8.1.17'],
  ])('refuses %j on %s', (options, version, path, since) => {
    const issues = issuesOf({ ...base, version, ...options });
    expect(issues).toContainEqual({ path, message: expect.stringContaining(`needs Ignition ${since} or later; this gateway is ${version}`) });
  });

  it('accepts the same options from the first version that reads them', () => {
    expect(() => parseStack({ ...base, version: '8.1.38', secrets: { encodingKey: 'secrets/encoding-key' } })).not.toThrow();
    expect(() => parseStack({ ...base, version: '8.1.17', environment: { IGNITION_UID: 2003 } })).not.toThrow();
    expect(() => parseStack({ ...base, version: '8.3.0', deploymentMode: 'dev', modules: { accept: ['a.b'] } })).not.toThrow();
  });

  it('refuses a variable and its _FILE twin together', () => {
    const issues = issuesOf({ ...base, environment: { MY_TOKEN: 'a', MY_TOKEN_FILE: '/run/x' } });
    expect(issues).toEqual([{ path: 'environment.MY_TOKEN_FILE', message: expect.stringContaining('both MY_TOKEN and MY_TOKEN_FILE are set') }]);
  });

  it('never takes a secret as a plain environment value, nor its _FILE form behind the spec', () => {
    for (const name of ['GATEWAY_ADMIN_PASSWORD', 'IGNITION_LICENSE_KEY_FILE', 'GATEWAY_ENCODING_KEY']) {
      const [issue] = issuesOf({ ...base, environment: { [name]: 'hunter2' } });
      expect(issue!.path).toBe(`environment.${name}`);
      expect(issue!.message).toMatch(/is a secret and is never passed as environment; put it in a file under secrets\//);
      expect(issue!.message).not.toContain('hunter2');
    }
  });

  it('sends variables the spec manages back to their field', () => {
    expect(issuesOf({ ...base, environment: { TZ: 'UTC' } })).toEqual([{ path: 'environment.TZ', message: 'TZ is set by the spec field timezone; use that field instead' }]);
  });
});

describe('parseStack: values', () => {
  it.each([
    [{ memory: '512MiB' }, 'memory', 'below the 1024MiB (1GiB) a gateway needs'],
    [{ memory: '2048' }, 'memory', 'write a number with a unit'],
    [{ memory: '1.3GiB' }, 'memory', 'not a whole number of MiB'],
    [{ memory: '2GiB', heap: '2GiB' }, 'heap', 'must be below memory'],
    [{ healthcheck: { interval: 'soon' } }, 'healthcheck.interval', 'not a duration'],
    [{ timezone: 'Mars/Olympus' }, 'timezone', 'IANA time zone'],
    [{ secrets: { adminPassword: 'passwords/admin' } }, 'secrets.adminPassword', 'must be a file under secrets/'],
    [{ secrets: { adminPassword: '/etc/shadow' } }, 'secrets.adminPassword', 'is absolute'],
    [{ restore: 'backups/x.zip' }, 'restore', 'must end with .gwbk'],
    [{ modules: { files: ['modules/../../x.modl'] } }, 'modules.files[0]', 'must stay inside the project folder'],
    [{ labels: { 'io.switchyard.tenant': 'other' } }, 'labels.io.switchyard.tenant', 'set by Switchyard'],
    [{ ports: { http: 70000 } }, 'ports.http', ''],
    [{ name: 'a\nb' }, 'name', 'control characters'],
    [{ name: 'n'.repeat(101) }, 'name', 'at most 100 characters'],
    [{ gatewayNetwork: { connections: [{ host: 'a', gateway: 'b' }] } }, 'gatewayNetwork.connections[0]', 'exactly one of gateway'],
  ])('refuses %j at %s', (options, path, message) => {
    expect(issuesOf({ ...base, ...options })).toContainEqual({ path, message: expect.stringContaining(message) });
  });

  it('accepts unicode and quotes in a gateway name', () => {
    expect(parseStack({ ...base, name: 'Usine "Élan" Nord' }).gateways[0]!.name).toBe('Usine "Élan" Nord');
  });
});

describe('parseStack: stacks', () => {
  const two = (a: object, b: object) => ({ gateways: [{ ...base, name: 'a', ...a }, { ...base, name: 'b', ...b }] });

  it.each([
    [{ gateways: [base, base] }, 'gateways[1].name', 'is used by another member'],
    [{ gateways: [base], containers: [{ name: 'plant', image: 'postgres:16' }] }, 'containers[0].name', 'is used by another member'],
    [two({ gatewayNetwork: { connections: [{ gateway: 'c' }] } }, {}), 'gateways[0].gatewayNetwork.connections[0].gateway', 'no gateway named "c"'],
    [two({ gatewayNetwork: { connections: [{ gateway: 'a' }] } }, {}), 'gateways[0].gatewayNetwork.connections[0].gateway', 'cannot connect to itself'],
    [two({ ports: { http: 8088 } }, { ports: { https: 8088 } }), 'gateways[1].ports.https', 'host port 8088 is already published by gateways[0].ports.http'],
    [two({ dependsOn: ['b'] }, { dependsOn: ['a'] }), 'gateways[0].dependsOn', 'a -> b -> a'],
    [two({ dependsOn: ['zz'] }, {}), 'gateways[0].dependsOn', '"zz" is not another member'],
    [two({ redundancy: { role: 'primary', peer: 'b' } }, { redundancy: { role: 'primary', peer: 'a' } }), 'gateways[0].redundancy', 'one primary, one backup'],
    [two({ redundancy: { role: 'primary', peer: 'b' } }, { version: '8.3.5', redundancy: { role: 'backup', peer: 'a' } }), 'gateways[0].redundancy', 'runs one version'],
    [two({ modules: { files: ['modules/x.modl', 'modules/old/x.modl'] } }, {}), 'gateways[0].modules.files[1]', 'same file name'],
    [{ gateways: [] }, 'gateways', 'at least one gateway'],
    [{ gateways: [base], containers: [{ name: 'db', image: 'postgres:16', secrets: { POSTGRES_PASSWORD: 'secrets/pw' }, environment: { POSTGRES_PASSWORD: 'x' } }] }, 'containers[0].environment.POSTGRES_PASSWORD', 'comes from secrets.POSTGRES_PASSWORD'],
    [{ gateways: [base], containers: [{ name: 'db', image: 'postgres:16', environment: { PGPASS: 'x', PGPASS_FILE: '/x' } }] }, 'containers[0].environment.PGPASS_FILE', 'both PGPASS and PGPASS_FILE'],
    [{ gateways: [base], containers: [{ name: 'db', image: 'postgres:16', ports: [{ container: 5432, hostIp: 'localhost' }] }] }, 'containers[0].ports[0].hostIp', 'IPv4 or IPv6'],
  ])('refuses %j at %s', (input, path, message) => {
    expect(issuesOf(input)).toContainEqual({ path, message: expect.stringContaining(message) });
  });

  it('accepts gateways with a postgres container', () => {
    const stack = parseStack({
      gateways: [{ ...base, dependsOn: ['db'] }],
      containers: [{ name: 'db', image: 'postgres:16', secrets: { POSTGRES_PASSWORD: 'secrets/db-password' }, memory: '512MiB' }],
    });
    expect(stack.containers[0]).toMatchObject({ kind: 'container', memoryMiB: 512, healthcheck: null });
  });
});
