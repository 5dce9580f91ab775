import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { VersionError } from '../version';
import { buildZip, renameEntry } from '../zip/zip-fixtures';
import { parseDriverServiceFile, scanBundle, type BundleScan } from './index';

let base: string;
let project: string;

beforeEach(async () => {
  base = await realpath(await mkdtemp(join(tmpdir(), 'sy-bundle-')));
  project = join(base, 'plant');
  await mkdir(project);
  await writeFile(join(project, 'switchyard.yaml'), 'name: plant\n');
});
afterEach(async () => {
  await rm(base, { recursive: true, force: true });
});

async function put(relative: string, content: string | Buffer): Promise<Buffer> {
  const path = join(project, relative);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, content);
  return typeof content === 'string' ? Buffer.from(content) : content;
}

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function moduleXml(fields: Record<string, string>, extra = ''): string {
  const body = Object.entries(fields)
    .map(([key, value]) => `    <${key}>${value}</${key}>`)
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<modules>\n  <module>\n${body}\n${extra}  </module>\n</modules>\n`;
}

async function moduleFile(fields: Record<string, string>, options: { signed?: boolean; extra?: string } = {}) {
  return buildZip([
    { name: 'module.xml', data: moduleXml(fields, options.extra) },
    { name: 'widgets-gateway.jar', data: 'jar bytes' },
    ...(options.signed ? [{ name: 'signatures.properties', data: 'module.xml=abc' }] : []),
  ]);
}

const WIDGETS = {
  id: 'com.example.widgets',
  name: 'Widgets',
  version: '1.4.2.2024010101',
  requiredIgnitionVersion: '8.1.0',
  requiredFrameworkVersion: '8',
};

function backupInfo(version: string, edition = 'standard'): string {
  return `<?xml version="1.0" encoding="UTF-8"?><backupinfo><version>${version}</version><timestamp>1700000000000</timestamp><edition>${edition}</edition></backupinfo>`;
}

function problemCodes(scan: BundleScan): string[] {
  return scan.problems.map((problem) => `${problem.path}:${problem.code}`);
}

describe('scanBundle on a healthy project', () => {
  it('finds and describes every kind of file, with hashes', async () => {
    const modl = await put('modules/widgets.modl', await moduleFile(WIDGETS, {
      signed: true,
      extra: '    <depends scope="G">com.inductiveautomation.vision</depends>\n',
    }));
    const jar = await put(
      'jdbc/postgresql-42.7.jar',
      await buildZip([
        { name: 'META-INF/services/java.sql.Driver', data: '# the driver\n\norg.postgresql.Driver  # trailing comment\n' },
        { name: 'org/postgresql/Driver.class', data: 'cafebabe' },
      ]),
    );
    const gwbk = await put(
      'backups/nightly.gwbk',
      await buildZip([
        { name: 'backupinfo.xml', data: backupInfo('8.1.33 (b2023091211)') },
        { name: 'db_backup_sqlite.idb', data: 'sqlite' },
      ]),
    );
    const licence = await put('licenses/site.ipl', 'licence text');
    await put('secrets/gateway-admin-password', 's3cret-pass');
    await put('modules/.gitkeep', '');

    const scan = await scanBundle(project, { targetVersion: '8.1.40' });
    expect(scan.problems).toEqual([]);
    expect(scan.root).toBe(project);
    expect(scan.targetVersion).toBe('8.1.40');
    expect(scan.modules).toEqual([
      {
        path: 'modules/widgets.modl',
        sizeBytes: modl.length,
        sha256: sha256(modl),
        id: 'com.example.widgets',
        name: 'Widgets',
        version: '1.4.2.2024010101',
        requiredIgnitionVersion: '8.1.0',
        requiredFrameworkVersion: '8',
        depends: ['com.inductiveautomation.vision'],
        signed: true,
      },
    ]);
    expect(scan.jdbcDrivers).toEqual([
      { path: 'jdbc/postgresql-42.7.jar', sizeBytes: jar.length, sha256: sha256(jar), driverClasses: ['org.postgresql.Driver'] },
    ]);
    expect(scan.backups).toEqual([
      { path: 'backups/nightly.gwbk', sizeBytes: gwbk.length, sha256: sha256(gwbk), version: '8.1.33', edition: 'standard' },
    ]);
    expect(scan.licenses).toEqual([{ path: 'licenses/site.ipl', sizeBytes: licence.length, sha256: sha256(licence) }]);
    expect(scan.secrets).toEqual([{ path: 'secrets/gateway-admin-password', name: 'gateway-admin-password', sizeBytes: 11 }]);
    // Secret contents never appear anywhere in the result.
    expect(JSON.stringify(scan)).not.toContain('s3cret-pass');
  });

  it('returns empty lists for a project with no folders and skips version checks without a target', async () => {
    const empty = await scanBundle(project);
    expect(empty).toMatchObject({ modules: [], jdbcDrivers: [], backups: [], licenses: [], secrets: [], problems: [] });
    expect(empty.targetVersion).toBeUndefined();

    await put('modules/old.modl', await moduleFile({ ...WIDGETS, requiredIgnitionVersion: '7.9.0' }));
    expect((await scanBundle(project)).modules).toHaveLength(1);
  });
});

describe('version checks against the target gateway', () => {
  it('refuses an 8.1 module for an 8.3 gateway, naming both lines', async () => {
    await put('modules/widgets-81.modl', await moduleFile(WIDGETS));
    const scan = await scanBundle(project, { targetVersion: '8.3.0' });
    expect(scan.modules).toEqual([]);
    expect(scan.problems).toEqual([
      expect.objectContaining({ path: 'modules/widgets-81.modl', code: 'module-incompatible', severity: 'error' }),
    ]);
    expect(scan.problems[0]?.message).toMatch(/Ignition 8\.1 .* 8\.3\.0; get the 8\.3 build/);
  });

  it('refuses a module that needs a newer gateway on the same line', async () => {
    await put('modules/w.modl', await moduleFile({ ...WIDGETS, requiredIgnitionVersion: '8.1.44' }));
    expect(problemCodes(await scanBundle(project, { targetVersion: '8.1.33' }))).toEqual(['modules/w.modl:module-incompatible']);
    expect((await scanBundle(project, { targetVersion: '8.1.44' })).modules).toHaveLength(1);
  });

  it('refuses restoring a newer backup into an older gateway, allows older into newer', async () => {
    await put('backups/new.gwbk', await buildZip([{ name: 'backupinfo.xml', data: backupInfo('8.3.2') }]));
    await put('backups/old.gwbk', await buildZip([{ name: 'backupinfo.xml', data: backupInfo('8.1.20', '') }]));
    const scan = await scanBundle(project, { targetVersion: '8.3.0' });
    expect(problemCodes(scan)).toEqual(['backups/new.gwbk:backup-newer-than-gateway']);
    expect(scan.backups).toEqual([expect.objectContaining({ path: 'backups/old.gwbk', version: '8.1.20' })]);
    expect(scan.backups[0]?.edition).toBeUndefined();
  });

  it('throws on an invalid target version, since that is the caller’s input', async () => {
    await expect(scanBundle(project, { targetVersion: 'latest' })).rejects.toThrow(VersionError);
  });
});

describe('bad files become problems naming the file, never crashes', () => {
  it('reports each broken archive and keeps scanning', async () => {
    await put('modules/not-a-zip.modl', 'this is text');
    await put('modules/no-xml.modl', await buildZip([{ name: 'other.txt', data: 'x' }]));
    await put('modules/bad-xml.modl', await buildZip([{ name: 'module.xml', data: '<modules><module><id>x</module>' }]));
    await put('modules/entity.modl', await buildZip([
      { name: 'module.xml', data: '<!DOCTYPE m [<!ENTITY x "boom">]><modules><module><id>&x;</id></module></modules>' },
    ]));
    await put('modules/no-id.modl', await moduleFile({ name: 'Nameless', version: '1.0' }));
    await put('modules/bad-required.modl', await moduleFile({ ...WIDGETS, id: 'com.other', requiredIgnitionVersion: 'eight' }));
    await put('modules/slip.modl', renameEntry(await buildZip([
      { name: 'module.xml', data: moduleXml(WIDGETS) },
      { name: 'xx/evil', data: 'x' },
    ]), 'xx/evil', '../evil'));
    await put('modules/good.modl', await moduleFile(WIDGETS));

    const scan = await scanBundle(project, { targetVersion: '8.1.33' });
    expect(problemCodes(scan)).toEqual([
      'modules/bad-required.modl:module-xml-invalid',
      'modules/bad-xml.modl:module-xml-invalid',
      'modules/entity.modl:module-xml-invalid',
      'modules/no-id.modl:module-xml-invalid',
      'modules/no-xml.modl:module-xml-missing',
      'modules/not-a-zip.modl:not-a-zip',
      'modules/slip.modl:unsafe-archive',
    ]);
    expect(scan.problems.every((problem) => problem.severity === 'error')).toBe(true);
    expect(scan.problems.find((problem) => problem.path.includes('no-id'))?.message).toMatch(/<id>/);
    expect(scan.problems.find((problem) => problem.path.includes('entity'))?.message).toMatch(/DOCTYPE/);
    expect(scan.modules.map((module) => module.path)).toEqual(['modules/good.modl']);
  });

  it('reports a duplicate module id once, keeping the first', async () => {
    await put('modules/a.modl', await moduleFile(WIDGETS));
    await put('modules/b.modl', await moduleFile({ ...WIDGETS, version: '1.5.0' }));
    const scan = await scanBundle(project);
    expect(scan.modules.map((module) => module.path)).toEqual(['modules/a.modl']);
    expect(problemCodes(scan)).toEqual(['modules/b.modl:duplicate-module']);
  });

  it('lists a jar without drivers but warns, and flags bad service lines', async () => {
    await put('jdbc/helper.jar', await buildZip([{ name: 'com/x/Util.class', data: 'x' }]));
    await put('jdbc/odd.jar', await buildZip([
      { name: 'META-INF/services/java.sql.Driver', data: 'com.good.Driver\nnot a class!\ncom.good.Driver\n' },
    ]));
    await put('jdbc/broken.jar', 'PK but not really');
    const scan = await scanBundle(project);
    expect(scan.jdbcDrivers.map((jar) => [jar.path, jar.driverClasses])).toEqual([
      ['jdbc/helper.jar', []],
      ['jdbc/odd.jar', ['com.good.Driver']],
    ]);
    expect(scan.problems.map((problem) => `${problem.path}:${problem.code}:${problem.severity}`)).toEqual([
      'jdbc/broken.jar:not-a-zip:error',
      'jdbc/helper.jar:jdbc-no-driver:warning',
      'jdbc/odd.jar:jdbc-bad-service-line:warning',
    ]);
    expect(scan.problems[2]?.message).toContain('"not a class!"');
  });

  it('reports backups without or with broken backupinfo.xml', async () => {
    await put('backups/a.gwbk', await buildZip([{ name: 'config.idb', data: 'x' }]));
    await put('backups/b.gwbk', await buildZip([{ name: 'backupinfo.xml', data: '<backupinfo><edition/></backupinfo>' }]));
    await put('backups/c.gwbk', await buildZip([{ name: 'backupinfo.xml', data: backupInfo('banana') }]));
    const scan = await scanBundle(project);
    expect(problemCodes(scan)).toEqual([
      'backups/a.gwbk:backupinfo-missing',
      'backups/b.gwbk:backupinfo-invalid',
      'backups/c.gwbk:backupinfo-invalid',
    ]);
    expect(scan.problems[2]?.message).toContain('"banana"');
  });

  it('judges secrets by name and shape, never echoing contents', async () => {
    await put('secrets/license-key', '');
    await put('secrets/encoding-key', '   \n');
    await put('secrets/activation-token', 'tok-123\n');
    await put('secrets/api-password', 'whatever');
    const scan = await scanBundle(project);
    expect(scan.secrets).toEqual([{ path: 'secrets/activation-token', name: 'activation-token', sizeBytes: 8 }]);
    expect(scan.problems.map((problem) => `${problem.path}:${problem.code}:${problem.severity}`)).toEqual([
      'secrets/activation-token:secret-trailing-newline:warning',
      'secrets/api-password:secret-unknown:warning',
      'secrets/encoding-key:secret-empty:error',
      'secrets/license-key:secret-empty:error',
    ]);
    expect(JSON.stringify(scan)).not.toContain('tok-123');
    expect(JSON.stringify(scan)).not.toContain('whatever');
  });

  it('refuses files that lead out of the project and notes strays', async () => {
    await writeFile(join(base, 'outside.modl'), await moduleFile(WIDGETS));
    await mkdir(join(project, 'modules'));
    await symlink(join(base, 'outside.modl'), join(project, 'modules', 'linked.modl'));
    await put('modules/readme.txt', 'notes');
    await mkdir(join(project, 'modules', 'archive'));
    const scan = await scanBundle(project);
    expect(scan.modules).toEqual([]);
    expect(scan.problems.map((problem) => `${problem.path}:${problem.code}:${problem.severity}`)).toEqual([
      'modules/archive:unexpected-file:warning',
      'modules/linked.modl:unsafe-path:error',
      'modules/readme.txt:unexpected-file:warning',
    ]);
  });

  it('fails clearly when the project folder is missing', async () => {
    await expect(scanBundle(join(base, 'nope'))).rejects.toThrow(/projectRoot: the project folder does not exist/);
  });
});

describe('parseDriverServiceFile', () => {
  it('ignores comments, blank lines and CRLF, drops duplicates', () => {
    expect(parseDriverServiceFile('# header\r\n\r\ncom.a.Driver\r\n  com.b.Driver # note\ncom.a.Driver\n#only')).toEqual({
      classes: ['com.a.Driver', 'com.b.Driver'],
      invalid: [],
    });
    expect(parseDriverServiceFile('1bad.Name\ncom.ok.$Inner').invalid).toEqual(['1bad.Name']);
  });
});
