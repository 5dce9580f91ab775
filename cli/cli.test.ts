/** The CLI as a user runs it: a child process, checked on stdout, stderr and exit code. */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { buildZip } from '../lib/zip/zip-fixtures';

const repo = join(import.meta.dirname, '..');
const bin = join(repo, 'bin/switchyard.mjs');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function run(args: string[], cwd = repo): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { cwd, timeout: 20_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
    });
  });
}

const temporary: string[] = [];
afterAll(() => temporary.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** A project folder with a switchyard.yaml and the given files. */
function project(spec: string, files: Record<string, string | Buffer> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'sy-cli-'));
  temporary.push(dir);
  writeFileSync(join(dir, 'switchyard.yaml'), spec);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}

const SPEC = 'name: plant\nversion: 8.3.4\nsecrets:\n  adminPassword: secrets/gateway-admin-password\nmodules:\n  files: [modules/a.modl]\n';

describe.concurrent('switchyard --help', () => {
  it.each([[[]], [['compose']], [['compose', 'render']], [['compose', 'validate']], [['bundle', 'scan']], [['paths', 'check']], [['dirs', 'prepare']]])(
    'works for %j',
    async (words) => {
      const result = await run([...words, '--help']);
      expect(result).toMatchObject({ code: 0, stderr: '' });
      expect(result.stdout).toContain(`Usage: switchyard${words.length ? ` ${words.join(' ')}` : ''} [options]`);
    },
  );

  it('runs through npx from the repository', async () => {
    const result = await new Promise<Run>((resolve) => {
      execFile('npx', ['--no-install', 'switchyard', 'compose', '--help'], { cwd: repo, timeout: 30_000 }, (error, stdout, stderr) =>
        resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }));
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('render [options] <spec>');
  });
});

describe.concurrent('usage errors exit with 2', () => {
  it.each([
    [['compose', 'rendr', 'x.yaml'], "unknown command 'rendr'"],
    [['compose', 'render'], "missing required argument 'spec'"],
    [['compose', 'render', 'x.yaml', '--frobnicate'], "unknown option '--frobnicate'"],
    [['compose'], 'Usage: switchyard compose'],
  ])('%j', async (args, message) => {
    const result = await run(args);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(message);
  });
});

describe('compose render', () => {
  it('prints the same bytes as the golden file', async () => {
    const result = await run(['compose', 'render', 'examples/frontend-backend.yaml']);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toBe(readFileSync(join(repo, 'tests/golden/frontend-backend.compose.yaml'), 'utf8'));
  });

  it('writes relative sources next to the spec and absolute ones elsewhere', async () => {
    const dir = project(SPEC);
    const inside = await run(['compose', 'render', 'switchyard.yaml', '-o', 'compose.yaml'], dir);
    expect(inside.code).toBe(0);
    expect(inside.stderr).toContain(`wrote ${join(dir, 'compose.yaml')}`);
    const local = parse(readFileSync(join(dir, 'compose.yaml'), 'utf8'));
    expect(local.services.plant.volumes[1].source).toBe('./modules/a.modl');
    // The project is named after its folder (sy-cli-XXXXXX), hashed because it has dashes.
    expect(local.services.plant.container_name).toMatch(/^sy-sy-cli-[a-z0-9]+-plant-[0-9a-f]{8}$/);

    const elsewhere = join(dir, 'out');
    mkdirSync(elsewhere);
    const outside = await run(['compose', 'render', join(dir, 'switchyard.yaml'), '-o', join(elsewhere, 'c.yaml'), '--project', 'demo']);
    expect(outside.code).toBe(0);
    const absolute = parse(readFileSync(join(elsewhere, 'c.yaml'), 'utf8'));
    expect(absolute.services.plant.volumes[1].source).toBe(join(dir, 'modules/a.modl'));
    expect(absolute.services.plant.container_name).toBe('sy-demo-plant');
    expect(absolute.secrets['gateway-admin-password'].file).toBe(join(dir, 'secrets/gateway-admin-password'));
  });

  it('names the field and exits 1 on an invalid spec, printing nothing to stdout', async () => {
    const result = await run(['compose', 'render', 'examples/broken/option-too-new.yaml']);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      'switchyard: examples/broken/option-too-new.yaml is invalid:\n' +
        '  modules.accept: modules.accept needs Ignition 8.3.0 or later; this gateway is 8.1.20 (raise version or remove the option)\n',
    );
  });

  it('reports YAML syntax errors and missing files with exit 1', async () => {
    const broken = project('name: plant\nversion: 8.3.4\nname: again\n');
    const duplicate = await run(['compose', 'render', 'switchyard.yaml'], broken);
    expect(duplicate.code).toBe(1);
    expect(duplicate.stderr).toMatch(/YAML: .*unique/i);
    const missing = await run(['compose', 'render', 'nope.yaml']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('switchyard: cannot read nope.yaml');
  });
});

describe('compose validate', () => {
  it('accepts a complete project', async () => {
    const moduleZip = await buildZip([{ name: 'module.xml', data: '<modules><module><id>a</id><name>A</name><version>1.0.0</version><requiredIgnitionVersion>8.3.0</requiredIgnitionVersion></module></modules>' }]);
    const dir = project(SPEC, { 'secrets/gateway-admin-password': 's3cret', 'modules/a.modl': moduleZip });
    const result = await run(['compose', 'validate', 'switchyard.yaml'], dir);
    expect(result).toMatchObject({ code: 0, stderr: '', stdout: 'valid: switchyard.yaml (1 gateway, 0 containers)\n' });
  });

  it('warns about a trailing newline in a secret without failing', async () => {
    const dir = project(SPEC, { 'secrets/gateway-admin-password': 's3cret\n' });
    const result = await run(['compose', 'validate', 'switchyard.yaml'], dir);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('warning: secrets.adminPassword: secrets/gateway-admin-password ends with a line break');
  });

  it.each([
    ['missing', undefined, 'does not exist'],
    ['empty', '', 'is empty'],
    ['CRLF', 'Hunter2Hunter2\r\n', 'contains a carriage return'],
  ])('refuses a %s secret file without printing it', async (_case, content, message) => {
    const dir = project(SPEC, content === undefined ? {} : { 'secrets/gateway-admin-password': content });
    const result = await run(['compose', 'validate', 'switchyard.yaml'], dir);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`secrets.adminPassword: secrets/gateway-admin-password ${message}`);
    expect(result.stderr + result.stdout).not.toContain('Hunter2');
  });

  it('refuses both X and X_FILE', async () => {
    const result = await run(['compose', 'validate', 'examples/broken/plain-and-file.yaml']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('environment.GATEWAY_RESTORE_DISABLED_FILE: both GATEWAY_RESTORE_DISABLED and GATEWAY_RESTORE_DISABLED_FILE are set');
  });
});

describe('project commands', () => {
  it('paths check passes when every file exists and names the field of a missing one', async () => {
    const good = project(SPEC, { 'secrets/gateway-admin-password': 'x', 'modules/a.modl': 'zip' });
    expect(await run(['paths', 'check', 'switchyard.yaml'], good)).toMatchObject({ code: 0, stdout: expect.stringContaining('ok: 2 files') });
    const bad = project(SPEC, { 'secrets/gateway-admin-password': 'x' });
    const result = await run(['paths', 'check', 'switchyard.yaml'], bad);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('modules.files[0]: does not exist');
  });

  it('dirs prepare --dry-run creates nothing; without it the folders appear', async () => {
    const dir = project(SPEC);
    const dry = await run(['dirs', 'prepare', 'switchyard.yaml', '--dry-run'], dir);
    expect(dry.stdout).toContain(`would create ${join(dir, 'secrets')} (0700)`);
    expect(existsSync(join(dir, 'secrets'))).toBe(false);
    const real = await run(['dirs', 'prepare', 'switchyard.yaml'], dir);
    expect(real.stdout).toContain(`created ${join(dir, 'modules')} (0750)`);
    expect(existsSync(join(dir, 'secrets'))).toBe(true);
    // The files themselves are still missing, which is reported and fails the command.
    expect(real.code).toBe(1);
    expect(real.stdout).toContain('modules/a.modl does not exist (modules.files[0])');
  });

  it('bundle scan lists a project and fails on a folder that does not exist', async () => {
    const dir = project(SPEC, { 'licenses/site.ipl': 'licence' });
    const result = await run(['bundle', 'scan', dir]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('licence  licenses/site.ipl');
    const json = await run(['bundle', 'scan', dir, '--json']);
    expect(JSON.parse(json.stdout).licenses[0].path).toBe('licenses/site.ipl');
    const missing = await run(['bundle', 'scan', join(dir, 'nope')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('the project folder does not exist');
  });
});
