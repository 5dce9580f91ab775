// The gateway simulator image, proved from the outside over HTTP against the real Docker engine: it must
// behave like Ignition at the edges the control plane touches (commissioning, secrets, states, REST API,
// persistence on a named volume, health check, clean stop).
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docker, dockerTry } from '@/e2e/gateway-sim/docker-cli';
import { SIMULATOR_REPOSITORY, ensureSimulatorImage } from '@/e2e/gateway-sim/image';
import { gatewayApi, gwinfo, statusPing, waitFor, waitForState } from './helpers/gateway-http';
import { TestDocker } from './helpers/test-docker';
import { makeModule, makeZip, readZipText, renameEntry } from './helpers/zip-files';

const DATA = '/usr/local/bin/ignition/data';
const MODULES = '/usr/local/bin/ignition/user-lib/modules';
const TOKEN = 'sim-test-token-1f6e';
const COMMISSIONED = {
  ACCEPT_IGNITION_EULA: 'Y',
  GATEWAY_ADMIN_PASSWORD: 'pw-not-in-logs-93a1',
  SIM_API_TOKEN: TOKEN,
  SIM_STARTUP_DELAY_MS: '150',
};
const HEALTH_CHECK = [
  '--health-cmd', 'curl -fsS --max-time 3 http://localhost:8088/StatusPing | grep -q RUNNING',
  '--health-interval', '300ms', '--health-retries', '2', '--health-timeout', '3s',
];

const dockerRun = new TestDocker();
let image: string;
let upgradeImage: string;

beforeAll(async () => {
  [image, upgradeImage] = await Promise.all([ensureSimulatorImage('8.3.4'), ensureSimulatorImage('8.3.5')]);
});

afterAll(() => dockerRun.cleanup());

/** A started, commissioned simulator, RUNNING before it is returned. */
async function runningGateway(options: { args?: string[]; env?: Record<string, string>; mounts?: Record<string, string> } = {}) {
  const container = await dockerRun.run({ image, ...options, env: { ...COMMISSIONED, ...options.env } });
  await waitForState(container.baseUrl, 'RUNNING');
  return { ...container, api: gatewayApi(container.baseUrl, TOKEN) };
}

function without(env: Record<string, string>, name: string): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter(([key]) => key !== name));
}

const sampleProject = (title: string) =>
  makeZip({
    'project.json': JSON.stringify({ title, description: 'from the simulator test', enabled: true, inheritable: false, parent: '' }),
    'com.inductiveautomation.perspective/views/Main/resource.json': JSON.stringify({ scope: 'G', version: 1, files: ['view.json'] }),
    'com.inductiveautomation.perspective/views/Main/view.json': JSON.stringify({ root: { type: 'ia.container.flex' } }),
    'ignition/script-python/util/code.py': 'def hello():\n    return "hi"\n',
  });

describe('gateway simulator image', () => {
  it('stays COMMISSIONING without the EULA or without an admin password, like the real image', async () => {
    const withoutEula = without(COMMISSIONED, 'ACCEPT_IGNITION_EULA');
    const withoutPassword = without(COMMISSIONED, 'GATEWAY_ADMIN_PASSWORD');
    const [noEula, noPassword] = await Promise.all([
      dockerRun.run({ image, env: withoutEula }),
      dockerRun.run({ image, env: withoutPassword }),
    ]);
    for (const gateway of [noEula, noPassword]) {
      await waitFor('HTTP to answer', () => statusPing(gateway.baseUrl));
      await new Promise((resolve) => setTimeout(resolve, 400)); // well past the 150 ms startup delay
      expect(await statusPing(gateway.baseUrl)).toBe('COMMISSIONING');
      expect(await gwinfo(gateway.baseUrl)).toContain('ContextStatus=COMMISSIONING;');
      const api = await gatewayApi(gateway.baseUrl, TOKEN).get('gateway-info');
      expect(api.status).toBe(503);
    }
    expect(await dockerRun.logs(noEula.id)).toContain('set ACCEPT_IGNITION_EULA=Y');
    const passwordLogs = await dockerRun.logs(noPassword.id);
    expect(passwordLogs).toContain('GATEWAY_ADMIN_PASSWORD');
    expect(passwordLogs).not.toContain(COMMISSIONED.GATEWAY_ADMIN_PASSWORD);
  });

  it('reads secrets through the _FILE convention and refuses X together with X_FILE', async () => {
    const secrets = await dockerRun.folder({
      'gateway-admin-password': 'file-password-7c2\n',
      'api-token': 'file-token-55d\n', // the trailing newline must be stripped, or the token below is refused
    });
    const mounts = { [secrets]: '/run/secrets/ignition:ro' };
    const fromFiles = {
      ACCEPT_IGNITION_EULA: 'Y',
      SIM_STARTUP_DELAY_MS: '150',
      GATEWAY_ADMIN_PASSWORD_FILE: '/run/secrets/ignition/gateway-admin-password',
      SIM_API_TOKEN_FILE: '/run/secrets/ignition/api-token',
    };
    const [good, conflicting] = await Promise.all([
      dockerRun.run({ image, env: fromFiles, mounts }),
      dockerRun.run({ image, env: { ...fromFiles, GATEWAY_ADMIN_PASSWORD: 'also-set' }, mounts }),
    ]);

    await waitForState(good.baseUrl, 'RUNNING');
    expect((await gatewayApi(good.baseUrl, 'file-token-55d').get('gateway-info')).status).toBe(200);

    await waitFor('HTTP to answer', () => statusPing(conflicting.baseUrl));
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(await statusPing(conflicting.baseUrl)).toBe('COMMISSIONING');
    const logs = await dockerRun.logs(conflicting.id);
    expect(logs).toMatch(/ERROR.*both GATEWAY_ADMIN_PASSWORD and GATEWAY_ADMIN_PASSWORD_FILE are set/);
    expect(logs).not.toContain('file-password-7c2');
    expect(logs).not.toContain('also-set');
  });

  it('goes STARTING then RUNNING, honours -n and -m, and ignores arguments it does not understand', async () => {
    const gateway = await dockerRun.run({
      image,
      env: { ...COMMISSIONED, SIM_STARTUP_DELAY_MS: '1500' },
      args: ['-n', 'plant-a-dev', '-m', '768', '-d', '-a', 'gw.example.com', '--', '-Dignition.config.mode=dev'],
    });
    expect(await waitFor('first answer', () => statusPing(gateway.baseUrl))).toBe('STARTING');
    await waitForState(gateway.baseUrl, 'RUNNING');

    const summary = await gwinfo(gateway.baseUrl);
    expect(summary).toContain('ContextStatus=RUNNING;');
    expect(summary).toContain('Version=8.3.4;');
    expect(summary).toContain('OS=Linux;');
    expect(summary).toContain('RedundancyStatus=Independent;');
    expect(summary).toContain('PlatformName=plant-a-dev;');
    const info = await gatewayApi(gateway.baseUrl, TOKEN).json('gateway-info');
    expect(info).toMatchObject({ name: 'plant-a-dev', version: '8.3.4', edition: 'standard', state: 'RUNNING', maxHeapMb: 768 });

    const logs = await dockerRun.logs(gateway.id);
    expect(logs).toMatch(/state STARTING -> RUNNING/);
    expect(logs).toContain('ignoring argument the simulator does not use: -d');
    expect(logs).toContain('-Dignition.config.mode=dev');
  });

  it('listens on GATEWAY_HTTP_PORT when it is set', async () => {
    const gateway = await dockerRun.run({ image, env: { ...COMMISSIONED, GATEWAY_HTTP_PORT: '9088' }, port: 9088 });
    expect(await waitForState(gateway.baseUrl, 'RUNNING')).toBe('RUNNING');
  });

  it('answers the REST API only with the right X-Ignition-API-Token', async () => {
    const gateway = await runningGateway();
    for (const token of [undefined, 'wrong-token']) {
      const response = await gatewayApi(gateway.baseUrl, token).get('projects/list');
      expect(response.status).toBe(401);
      expect(response.headers.get('content-type')).toContain('application/json');
      expect(((await response.json()) as { error: string }).error).toMatch(/X-Ignition-API-Token/);
    }
    const noTokenConfigured = await runningGateway({ env: { SIM_API_TOKEN: '' } });
    expect((await gatewayApi(noTokenConfigured.baseUrl, '').get('gateway-info')).status).toBe(401);
    expect((await gateway.api.get('projects/list')).status).toBe(200);
  });

  it('imports and exports projects as zip files, refusing overwrites without ?overwrite=true and non-zips', async () => {
    const { api } = await runningGateway();
    const original = await sampleProject('Line One');
    const imported = await api.post('projects/import/LineOne', original);
    expect(imported.status).toBe(200);

    const listed = await api.json<{ items: { name: string; title: string }[] }>('projects/list');
    expect(listed.items).toEqual([expect.objectContaining({ name: 'LineOne', title: 'Line One' })]);

    const exported = await readZipText(await api.bytes('projects/export/LineOne'));
    expect(exported).toEqual(await readZipText(original));

    expect((await api.post('projects/import/LineOne', await sampleProject('Replaced'))).status).toBe(409);
    expect((await api.post('projects/import/LineOne?overwrite=true', await sampleProject('Replaced'))).status).toBe(200);
    expect((await api.json<{ items: { title: string }[] }>('projects/list')).items[0]?.title).toBe('Replaced');

    const notZip = await api.post('projects/import/Other', Buffer.from('this is not a zip file'));
    expect(notZip.status).toBe(400);
    expect(((await notZip.json()) as { error: string }).error).toMatch(/not a readable zip/);
    expect((await api.post('projects/import/Other', await makeZip({ 'readme.txt': 'no manifest' }))).status).toBe(400);
    expect((await api.post('projects/import/bad%20name', original)).status).toBe(400);
    const escaping = renameEntry(await makeZip({ 'project.json': '{}', 'xx/evil.txt': 'x' }), 'xx/evil.txt', '../evil.txt');
    const zipSlip = await api.post('projects/import/Other', escaping);
    expect(zipSlip.status).toBe(400);
    expect(((await zipSlip.json()) as { error: string }).error).toMatch(/"\.\.\/evil\.txt" is not a plain relative path/);
    expect((await api.get('projects/export/Missing')).status).toBe(404);
  });

  it('downloads a .gwbk backup and restores it onto another gateway, at runtime and with -r', async () => {
    const source = await runningGateway({ args: ['-n', 'alpha'] });
    await source.api.post('projects/import/Batching', await sampleProject('Batching'));
    const backup = await source.api.bytes('backup');
    const entries = await readZipText(backup);
    expect(entries.get('backupinfo.xml')).toMatch(/<version>8\.3\.4<\/version>[\s\S]*<edition>standard<\/edition>/);
    expect(entries.get('projects/Batching/project.json')).toContain('"Batching"');
    expect(JSON.parse(entries.get('config/resources/core/ignition/system-properties/config.json') ?? '{}')).toEqual({ systemName: 'alpha' });

    const target = await runningGateway({ args: ['-n', 'beta'] });
    expect((await target.api.post('backup', Buffer.from('nope'))).status).toBe(400);
    const newer = await makeZip({ 'backupinfo.xml': '<backupinfo><version>8.3.9</version><edition>standard</edition></backupinfo>' });
    expect((await target.api.post('backup', newer)).status).toBe(409);
    const restored = await target.api.post('backup', backup);
    expect(restored.status).toBe(200);
    await waitForState(target.baseUrl, 'RUNNING'); // a restore restarts the gateway
    expect(await target.api.json('gateway-info')).toMatchObject({ name: 'alpha' });
    expect((await target.api.json<{ items: { name: string }[] }>('projects/list')).items.map((p) => p.name)).toEqual(['Batching']);

    const backupFolder = await dockerRun.folder({ 'alpha.gwbk': backup });
    const restoredOnStart = await runningGateway({ args: ['-r', '/restore/alpha.gwbk'], mounts: { [backupFolder]: '/restore:ro' } });
    expect((await restoredOnStart.api.json<{ items: { name: string }[] }>('projects/list')).items.map((p) => p.name)).toEqual(['Batching']);
    expect(await restoredOnStart.api.json('gateway-info')).toMatchObject({ name: 'alpha' });
  });

  it('lists modules as healthy only when their id is in both ACCEPT_MODULE_LICENSES and ACCEPT_MODULE_CERTS', async () => {
    const modules = await dockerRun.folder({
      'trusted.modl': await makeModule({ id: 'com.example.trusted', name: 'Trusted', version: '1.2.0', requiredIgnitionVersion: '8.3.0' }),
      'licence-only.modl': await makeModule({ id: 'com.example.half', name: 'Half', version: '2.0.0', requiredIgnitionVersion: '8.3.0' }),
      'old-line.modl': await makeModule({ id: 'com.example.old', name: 'Old', version: '0.9.0', requiredIgnitionVersion: '8.1.20' }),
      'broken.modl': 'not a zip',
    });
    const { api } = await runningGateway({
      mounts: { [modules]: `${MODULES}:ro` },
      env: {
        ACCEPT_MODULE_LICENSES: 'com.example.trusted, com.example.half,com.example.old',
        ACCEPT_MODULE_CERTS: 'com.example.trusted,com.example.old',
      },
    });
    type ModuleItem = { id?: string; file: string; name?: string; version?: string; reasons: string[] };
    const healthy = await api.json<{ items: ModuleItem[] }>('modules/healthy');
    expect(healthy.items).toEqual([expect.objectContaining({ id: 'com.example.trusted', name: 'Trusted', version: '1.2.0' })]);
    const quarantined = await api.json<{ items: ModuleItem[] }>('modules/quarantined');
    const reasonsByFile = Object.fromEntries(quarantined.items.map((m) => [m.file, m.reasons.join(' | ')]));
    expect(Object.keys(reasonsByFile).sort()).toEqual(['broken.modl', 'licence-only.modl', 'old-line.modl']);
    expect(reasonsByFile['licence-only.modl']).toMatch(/add com\.example\.half to ACCEPT_MODULE_CERTS/);
    expect(reasonsByFile['old-line.modl']).toMatch(/built for Ignition 8\.1\.20/);
    expect(reasonsByFile['broken.modl']).toMatch(/not a readable module/);
  });

  it('keeps its data on the named volume across container re-creation and an image upgrade', async () => {
    const volume = await dockerRun.volume();
    const first = await runningGateway({ args: ['-n', 'keeper'], mounts: { [volume]: DATA } });
    expect((await first.api.post('projects/import/Kept', await sampleProject('Kept'))).status).toBe(200);
    await dockerRun.remove(first.id);

    // No EULA or password this time: the volume is already commissioned, as with a real gateway.
    const upgraded = await dockerRun.run({
      image: upgradeImage,
      env: { SIM_API_TOKEN: TOKEN, SIM_STARTUP_DELAY_MS: '150' },
      mounts: { [volume]: DATA },
    });
    await waitForState(upgraded.baseUrl, 'RUNNING');
    const api = gatewayApi(upgraded.baseUrl, TOKEN);
    expect(await api.json('gateway-info')).toMatchObject({ name: 'keeper', version: '8.3.5' });
    expect((await api.json<{ items: { name: string }[] }>('projects/list')).items.map((p) => p.name)).toEqual(['Kept']);

    // The image seeded the empty volume; everything the gateway wrote is owned by uid/gid 2003.
    const owners = await dockerRun.inspect(upgraded.id, '{{.Config.User}}');
    expect(owners).toBe('2003:2003');
    const stat = await dockerRun.exec(upgraded.id, ['node', '-e', `
      const fs = require('fs');
      const files = ['ignition.conf', '.sim-seed-complete', 'projects/Kept/project.json'];
      console.log(JSON.stringify(files.map((f) => { const s = fs.statSync('${DATA}/' + f); return [f, s.uid, s.gid]; })));`]);
    expect(JSON.parse(stat)).toEqual([
      ['ignition.conf', 2003, 2003],
      ['.sim-seed-complete', 2003, 2003],
      ['projects/Kept/project.json', 2003, 2003],
    ]);
  });

  it('exits with a clear error when the data folder is not writable by uid 2003', async () => {
    const rootOwned = await dockerRun.folder({});
    const gateway = await dockerRun.run({ image, env: COMMISSIONED, mounts: { [rootOwned]: DATA } });
    await waitFor('the container to exit', async () => ((await dockerRun.inspect(gateway.id, '{{.State.Status}}')) === 'exited' ? true : undefined));
    expect(await dockerRun.inspect(gateway.id, '{{.State.ExitCode}}')).toBe('1');
    expect(await dockerRun.logs(gateway.id)).toMatch(/cannot prepare \/usr\/local\/bin\/ignition\/data: EACCES.*writable by uid 2003/);
  });

  it('reports healthy through the Compose curl health check only once RUNNING', async () => {
    const uncommissioned = without(COMMISSIONED, 'ACCEPT_IGNITION_EULA');
    const [running, commissioning] = await Promise.all([
      dockerRun.run({ image, env: COMMISSIONED, flags: HEALTH_CHECK }),
      dockerRun.run({ image, env: uncommissioned, flags: HEALTH_CHECK }),
    ]);
    const healthOf = (id: string) => dockerRun.inspect(id, '{{.State.Health.Status}}');
    await waitFor('healthy', async () => ((await healthOf(running.id)) === 'healthy' ? true : undefined));
    await waitFor('unhealthy', async () => ((await healthOf(commissioning.id)) === 'unhealthy' ? true : undefined));
  });

  it('stops cleanly on SIGTERM with exit code 0 within two seconds', async () => {
    const gateway = await runningGateway();
    const started = Date.now();
    await dockerRun.stop(gateway.id);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(await dockerRun.inspect(gateway.id, '{{.State.ExitCode}}')).toBe('0');
    expect(await dockerRun.logs(gateway.id)).toContain('SIGTERM received');
  });
});

describe('ensureSimulatorImage', () => {
  const run = promisify(execFile);
  const throwaway = `${SIMULATOR_REPOSITORY}:0.0.1`; // not the cached test image: removed below
  const imageBuilder = new URL('../../e2e/gateway-sim/image.ts', import.meta.url).pathname;
  const danglingSimulatorImages = async () =>
    (await docker(['images', '--quiet', '--filter', 'dangling=true', '--filter', 'label=io.switchyard.gateway-sim=1'])).split('\n').filter(Boolean).length;

  it('refuses a malformed version and answers from the cache without rebuilding', async () => {
    await expect(ensureSimulatorImage('8.3')).rejects.toThrow(/not of the form 8\.3\.4/);
    const before = await docker(['image', 'inspect', '--format', '{{.Id}}', image]);
    const started = Date.now();
    expect(await ensureSimulatorImage('8.3.4')).toBe(image);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(await docker(['image', 'inspect', '--format', '{{.Id}}', image])).toBe(before);
  });

  it('builds once when several processes ask for the same missing image at the same time', async () => {
    await dockerTry(['rmi', '--force', throwaway]);
    const dangling = await danglingSimulatorImages();
    const script = `import(${JSON.stringify(imageBuilder)}).then((m) => m.ensureSimulatorImage('0.0.1')).then((tag) => console.log(tag))`;
    try {
      const outputs = await Promise.all([1, 2, 3].map(() => run(process.execPath, ['--import', 'tsx', '-e', script])));
      expect(outputs.map((o) => o.stdout.trim())).toEqual([throwaway, throwaway, throwaway]);
      expect(await docker(['image', 'inspect', '--format', '{{.Config.Env}}', throwaway])).toContain('IGNITION_VERSION=0.0.1');
      expect(await danglingSimulatorImages()).toBe(dangling); // a second build would have left the first untagged
    } finally {
      await dockerTry(['rmi', '--force', throwaway]);
    }
  }, 60_000);
});
