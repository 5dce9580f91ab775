/** A project folder's files wire themselves into its switchyard.yaml: render shows them, explicit choices win. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { buildZip } from '../lib/zip/zip-fixtures';
import { main } from './main';

const folders: string[] = [];
afterAll(() => folders.forEach((f) => rmSync(f, { recursive: true, force: true })));

async function project(spec: string, files: Record<string, string | Buffer>): Promise<string> {
  const root = mkdtempSync(join(tmpdir(), 'sy-wire-'));
  folders.push(root);
  writeFileSync(join(root, 'switchyard.yaml'), spec);
  for (const [path, data] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), data, { mode: path.startsWith('secrets/') ? 0o600 : 0o644 });
  }
  return root;
}

const moduleXml = (id: string, required: string) =>
  `<modules><module><id>${id}</id><name>${id}</name><version>1.2.3</version><requiredIgnitionVersion>${required}</requiredIgnitionVersion></module></modules>`;
const jar = () => buildZip([{ name: 'META-INF/services/java.sql.Driver', data: 'org.postgresql.Driver\n' }]);

async function render(root: string) {
  let stdout = '';
  let stderr = '';
  const code = await main(['compose', 'render', join(root, 'switchyard.yaml')], { out: (t) => { stdout += t; }, err: (t) => { stderr += t; } });
  return { code, stderr, service: Object.values((parse(stdout) ?? { services: {} }).services ?? {})[0] as Record<string, unknown> | undefined };
}

describe('bundle wiring', () => {
  it('mounts modules, drivers and secrets found in the project folders without naming them in the spec', async () => {
    const root = await project('name: plant\nversion: 8.3.4\nacceptEula: true\n', {
      'modules/mqtt.modl': await buildZip([{ name: 'module.xml', data: moduleXml('com.example.mqtt', '8.3.0') }]),
      'jdbc/postgresql.jar': await jar(),
      'secrets/gateway-admin-password': 'hunter2-but-longer',
    });
    const { code, stderr, service } = await render(root);
    expect(code).toBe(0);
    expect(stderr).toContain('bundle: modules/mqtt.modl -> modules.files');
    expect(stderr).toContain('bundle: jdbc/postgresql.jar -> jdbc.drivers');
    expect(stderr).toContain('bundle: secrets/gateway-admin-password -> secrets.adminPassword');
    const targets = (service!.volumes as { target: string }[]).map((v) => v.target);
    expect(targets.some((t) => t.endsWith('/modules/mqtt.modl'))).toBe(true);
    expect(targets.some((t) => t.endsWith('postgresql.jar'))).toBe(true);
    expect(service!.environment).toMatchObject({ GATEWAY_ADMIN_PASSWORD_FILE: '/run/secrets/ignition/gateway-admin-password' });
    expect(stderr).not.toContain('hunter2');
  });

  it('keeps what the spec names, skips a secret the version cannot read, and refuses a module for another line', async () => {
    const root = await project('name: old\nversion: 8.1.20\nacceptEula: true\nmodules:\n  files: []\n', {
      'modules/new-line.modl': await buildZip([{ name: 'module.xml', data: moduleXml('com.example.new', '8.3.0') }]),
      'secrets/encoding-key': 'k'.repeat(32),
    });
    const { code, stderr, service } = await render(root);
    expect(code).toBe(0);
    expect(stderr).toContain('bundle: secrets/encoding-key not used for secrets.encodingKey: needs Ignition 8.1.38 or later');
    expect(stderr).toMatch(/error: modules\/new-line\.modl: /);
    expect(JSON.stringify(service)).not.toContain('new-line.modl');
    expect(service!.environment).not.toHaveProperty('GATEWAY_ENCODING_KEY_FILE');
  });

  it('never restores a backup it finds: restoring is asked for in the spec', async () => {
    const backup = await buildZip([{ name: 'backupinfo.xml', data: '<backupinfo><version>8.3.4</version><edition>standard</edition></backupinfo>' }]);
    const root = await project('name: plant\nversion: 8.3.4\nacceptEula: true\n', { 'backups/plant.gwbk': backup });
    const { code, service } = await render(root);
    expect(code).toBe(0);
    expect(service!.command).not.toContain('-r');
  });
});
