// The Docker GatewayRuntime's failures on the real engine: each names what to fix, and a failed provision
// leaves nothing it created behind (unless keepOnFailure), while what existed before is left as it was.
import { access } from 'node:fs/promises';
import { createServer } from 'node:net';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docker } from '@/e2e/gateway-sim/docker-cli';
import { IGNITION_DATA_DIR } from '@/lib/paths';
import { DockerRuntime, RuntimeError, type RuntimeErrorCode } from '@/server/runtime';
import { gatewayApi, waitForState } from './helpers/gateway-http';
import { API_TOKEN, RuntimeFixture, SIM_IMAGE, nothing } from './helpers/runtime-fixture';

const PASSWORD = 'failure-admin-pw-3e8';
const fixture = new RuntimeFixture();
const runtime = fixture.runtime;

beforeAll(() => fixture.setup());
afterAll(() => fixture.cleanup());

/** Runs `work`, which must fail with a RuntimeError of `code`; answers the error. */
async function failure(code: RuntimeErrorCode, work: () => Promise<unknown>): Promise<RuntimeError> {
  const error = await work().then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(RuntimeError);
  expect(error).toMatchObject({ code });
  return error as RuntimeError;
}

const exists = (path: string) => access(path).then(() => true, () => false);

describe('DockerRuntime failures', () => {
  it('IMAGE_MISSING names the tag; nothing is left, not even the secret file it wrote', async () => {
    const plan = await fixture.plan('img', 'dev', { image: 'switchyard/gateway-sim:0.0.0-missing' });
    const error = await failure('IMAGE_MISSING', () => runtime.provision(plan, { secretValues: fixture.secretsFor(plan, PASSWORD) }));
    expect(error.details.image).toBe('switchyard/gateway-sim:0.0.0-missing');
    expect(error.message).toContain('docker pull switchyard/gateway-sim:0.0.0-missing');
    expect(await fixture.leftovers('img', 'dev')).toEqual(nothing);
    expect(await exists(plan.secrets[0]!.source)).toBe(false);
  });

  it('IMAGE_MISSING after a failed pull says why the pull failed', async () => {
    const pulling = new DockerRuntime(fixture.engine, { pullMissingImages: true });
    const plan = await fixture.plan('pull', 'dev', { image: 'switchyard/gateway-sim:0.0.0-missing' });
    const error = await failure('IMAGE_MISSING', () => pulling.provision(plan, { secretValues: fixture.secretsFor(plan, PASSWORD) }));
    // No registry answers here; where one does, the repository does not exist: the pull fails either way.
    expect(error.message).toMatch(/^image switchyard\/gateway-sim:0.0.0-missing is not on this Docker host and pulling it failed \(.+\); load or pull it/);
    expect(await fixture.leftovers('pull', 'dev')).toEqual(nothing);
  });

  it('PORT_TAKEN names the host port, whether another container or a host process holds it; nothing is left', async () => {
    const other = await fixture.resources.run({ image: SIM_IMAGE, env: { SIM_STARTUP_DELAY_MS: '0' } });
    const takenByContainer = Number(new URL(other.baseUrl).port);
    const plan = await fixture.plan('port', 'dev', { ports: { http: { host: takenByContainer, hostIp: '127.0.0.1' } } });
    const error = await failure('PORT_TAKEN', () => runtime.provision(plan, { secretValues: fixture.secretsFor(plan, PASSWORD) }));
    expect(error.details.port).toBe(takenByContainer);
    expect(error.message).toContain(`host port ${takenByContainer}`);
    expect(await fixture.leftovers('port', 'dev')).toEqual(nothing);
    expect(await fixture.resources.inspect(other.id, '{{.State.Running}}')).toBe('true'); // the other one is untouched

    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '0.0.0.0', resolve));
    try {
      const takenByProcess = (server.address() as { port: number }).port;
      const hostPlan = await fixture.plan('port', 'host', { ports: { http: { host: takenByProcess } } });
      const hostError = await failure('PORT_TAKEN', () => runtime.provision(hostPlan, { secretValues: fixture.secretsFor(hostPlan, PASSWORD) }));
      expect(hostError.details.port).toBe(takenByProcess);
      expect(await fixture.leftovers('port', 'host')).toEqual(nothing);
    } finally {
      server.close();
    }
  });

  it('HEALTH_TIMEOUT names the last health check and the log; nothing is left', async () => {
    // Without the EULA the simulator stays COMMISSIONING, so /StatusPing never says RUNNING.
    const plan = await fixture.plan('health', 'dev', { acceptEula: false });
    const started = Date.now();
    const error = await failure('HEALTH_TIMEOUT', () => runtime.provision(plan, { secretValues: fixture.secretsFor(plan, PASSWORD), healthTimeoutMs: 2_500 }));
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(error.message).toMatch(/not healthy after \d+ s; last health check: (status \w+, exit code 1|none has run yet)/);
    expect(error.details.logTail!.join('\n')).toContain('the EULA is not accepted');
    expect(error.message).toContain('COMMISSIONING: the EULA is not accepted; set ACCEPT_IGNITION_EULA=Y');
    expect(await fixture.leftovers('health', 'dev')).toEqual(nothing);
  });

  it('keepOnFailure leaves the failed gateway in place for debugging; destroy then removes it all', async () => {
    const plan = await fixture.plan('keep', 'dev', { acceptEula: false });
    await failure('HEALTH_TIMEOUT', () =>
      runtime.provision(plan, { secretValues: fixture.secretsFor(plan, PASSWORD), healthTimeoutMs: 1_500, keepOnFailure: true }),
    );
    const name = plan.services[0]!.containerName;
    expect(await fixture.leftovers('keep', 'dev')).toEqual({ containers: [name], volumes: [plan.volumes[0]!.name], networks: [plan.network.name] });
    expect(await runtime.inspect(name)).toMatchObject({ state: 'running' });
    await runtime.destroy(plan, { timeoutSeconds: 2 });
    expect(await fixture.leftovers('keep', 'dev')).toEqual(nothing);
  });

  it('a container that exits during start fails with its last log lines, secret values redacted', async () => {
    // The gateway's name doubles as its admin password, so the log line with its arguments would show the secret.
    const secret = 'leaky-name-5e7';
    const plan = await fixture.plan('exit', 'dev', { name: secret });
    const volume = plan.volumes[0]!;
    // A data volume the gateway user cannot write: the simulator stops, as a gateway would.
    await fixture.engine.createVolume({ Name: volume.name, Labels: volume.labels });
    await docker(['run', '--rm', '--user', '0', '--entrypoint', '/usr/bin/node', '--volume', `${volume.name}:${IGNITION_DATA_DIR}`,
      ...Object.entries(fixture.resources.labels).flatMap(([key, value]) => ['--label', `${key}=${value}`]),
      SIM_IMAGE, '-e', `require('fs').chmodSync('${IGNITION_DATA_DIR}', 0o555)`]);

    const error = await failure('CONTAINER_EXITED', () => runtime.provision(plan, { secretValues: fixture.secretsFor(plan, secret) }));
    // Under load the restart policy may restart it before the runtime looks; then the code is gone, never 0.
    expect(error.message).toMatch(/with exit code 1;|and was restarted by its restart policy;/);
    expect(error.message).toContain('must be writable');
    expect(error.message).toContain('arguments: ["-n","[redacted]"');
    expect(error.message).not.toContain(secret);
    expect(error.details.logTail!.join('\n')).not.toContain(secret);
    // The volume was there before the call, so it stays; the container it created is gone.
    expect(await fixture.leftovers('exit', 'dev')).toEqual({ ...nothing, volumes: [volume.name] });
  });

  it('NAME_CONFLICT when a container not owned by the environment has its name; that container is left alone', async () => {
    const plan = await fixture.plan('clash', 'dev');
    const name = plan.services[0]!.containerName;
    const foreign = await fixture.resources.run({ image: SIM_IMAGE, flags: ['--name', name] });
    const error = await failure('NAME_CONFLICT', () => runtime.provision(plan, { secretValues: fixture.secretsFor(plan, PASSWORD) }));
    expect(error.message).toContain(`docker rm ${name}`);
    expect(await fixture.leftovers('clash', 'dev')).toEqual(nothing); // the foreign container has no owner labels
    expect(await fixture.resources.inspect(foreign.id, '{{.State.Running}}')).toBe('true');
  });

  it('SECRET_INVALID for a two-line value, before anything is written; nothing is left', async () => {
    const plan = await fixture.plan('secret', 'dev');
    const error = await failure('SECRET_INVALID', () => runtime.provision(plan, { secretValues: fixture.secretsFor(plan, 'first-line\nsecond-line') }));
    expect(error.message).toContain('more than one line');
    expect(error.message).not.toContain('first-line');
    expect(await exists(plan.secrets[0]!.source)).toBe(false);
    expect(await fixture.leftovers('secret', 'dev')).toEqual(nothing);
  });

  it('a failed change puts the previous gateway back, running, with its old settings', async () => {
    const plan = await fixture.plan('swap', 'dev');
    const [before] = (await runtime.provision(plan, { secretValues: fixture.secretsFor(plan, PASSWORD) })).containers;
    const other = await fixture.resources.run({ image: SIM_IMAGE, env: { SIM_STARTUP_DELAY_MS: '0' } });
    const changed = await fixture.plan('swap', 'dev', { memory: '1536MiB', ports: { http: { host: Number(new URL(other.baseUrl).port), hostIp: '127.0.0.1' } } });

    await failure('PORT_TAKEN', () => runtime.provision(changed));
    const after = await runtime.inspect(plan.services[0]!.containerName);
    expect(after).toMatchObject({ id: before!.id, state: 'running' });
    expect((await fixture.leftovers('swap', 'dev')).containers).toEqual([plan.services[0]!.containerName]);
    expect((await fixture.engine.getContainer(after.id).inspect()).HostConfig.Memory).toBe(1024 ** 3);
    await waitForState(fixture.baseUrl(plan), 'RUNNING');
    expect(await gatewayApi(fixture.baseUrl(plan), API_TOKEN).json('gateway-info')).toMatchObject({ name: 'gw', state: 'RUNNING' });
  });

  it('ENGINE_UNREACHABLE ("runtime unavailable") at once when the engine socket does not exist', async () => {
    const offline = new DockerRuntime(new Docker({ socketPath: '/nonexistent/switchyard-test/docker.sock' }));
    const plan = await fixture.plan('offline', 'dev');
    const started = Date.now();
    const error = await failure('ENGINE_UNREACHABLE', () => offline.provision(plan));
    expect(error.message).toMatch(/^runtime unavailable: the Docker engine at unix:\/\/\/nonexistent\/switchyard-test\/docker.sock did not answer \(ENOENT/);
    expect(error.message).toContain('DOCKER_HOST');
    await failure('ENGINE_UNREACHABLE', () => offline.ping());
    await failure('ENGINE_UNREACHABLE', () => offline.listManaged());
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});
