import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bufferSource } from '../zip';
import { buildZip } from '../zip/zip-fixtures';
import { buildBackup, buildJdbcJar, buildModule } from './fixtures';
import { inspectArtifact } from './inspect';
import { expectRejected } from './test-support';

let workDir: string;
beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'sy-artifacts-'));
});
afterAll(async () => {
  await rm(workDir, { recursive: true, force: true });
});

describe('backups', () => {
  it('reads version, edition, 8.3 system name, redundancy role and project names', async () => {
    const zip = await buildBackup({ version: '8.3.4 (b2025010101)', edition: 'edge', systemName: 'plant-gw', redundancyRole: 'Master', projects: ['Beta', 'Alpha'] });
    expect(await inspectArtifact('backup', zip, { label: 'nightly.gwbk' })).toEqual({
      kind: 'backup',
      sizeBytes: zip.length,
      version: '8.3.4',
      edition: 'edge',
      gatewayName: 'plant-gw',
      gatewayNameSource: 'system-properties',
      redundancyRole: 'Master',
      projects: ['Alpha', 'Beta'],
    });
  });

  it('reports null for what an 8.1 backup keeps only in SQLite, and for unreadable optional files', async () => {
    const plain = await inspectArtifact('backup', await buildBackup({ version: '8.1.33' }));
    expect(plain).toMatchObject({ version: '8.1.33', gatewayName: null, gatewayNameSource: null, redundancyRole: null, projects: [] });
    const broken = await buildZip([
      { name: 'backupinfo.xml', data: '<backupinfo><version>8.3.1</version></backupinfo>' },
      { name: 'config/resources/core/ignition/system-properties/config.json', data: '{not json' },
      { name: 'redundancy.xml', data: '<properties><entry key="x">' },
    ]);
    expect(await inspectArtifact('backup', broken)).toMatchObject({ edition: null, gatewayName: null, redundancyRole: null });
  });

  it('refuses a missing or malformed backupinfo.xml', async () => {
    await expectRejected(inspectArtifact('backup', await buildBackup({ backupInfo: null }), { label: 'b.gwbk' }), 'metadata-missing', /b\.gwbk has no backupinfo\.xml/);
    await expectRejected(inspectArtifact('backup', await buildBackup({ backupInfo: '<backupinfo><edition>x</edition></backupinfo>' })), 'metadata-invalid', /no <version>/);
    await expectRejected(inspectArtifact('backup', await buildBackup({ backupInfo: '<backupinfo><version>banana</version></backupinfo>' })), 'metadata-invalid', /unreadable version "banana"/);
    await expectRejected(inspectArtifact('backup', await buildBackup({ backupInfo: '<!DOCTYPE x><backupinfo/>' })), 'metadata-invalid', /DOCTYPE/);
  });
});

describe('modules', () => {
  it('reads module.xml: identity, requirements, licence, dependencies, signature', async () => {
    const zip = await buildModule({
      id: 'com.example.widgets',
      version: '2.0.1',
      requiredIgnitionVersion: '8.3.0',
      license: 'license.html',
      depends: [{ moduleId: 'com.inductiveautomation.perspective', scope: 'G' }, { moduleId: 'com.example.base' }],
      signed: true,
    });
    expect(await inspectArtifact('module', zip, { label: 'widgets.modl' })).toEqual({
      kind: 'module',
      sizeBytes: zip.length,
      id: 'com.example.widgets',
      name: 'Widgets',
      version: '2.0.1',
      requiredIgnitionVersion: '8.3.0',
      requiredFrameworkVersion: '8',
      licence: 'license.html',
      dependencies: [
        { moduleId: 'com.inductiveautomation.perspective', scope: 'G' },
        { moduleId: 'com.example.base', scope: null },
      ],
      signed: true,
    });
  });

  it('refuses a missing, incomplete or malformed module.xml', async () => {
    await expectRejected(inspectArtifact('module', await buildModule({ moduleXml: null })), 'metadata-missing', /no module\.xml/);
    await expectRejected(inspectArtifact('module', await buildModule({ moduleXml: '<modules><module><id>a</id></module></modules>' })), 'metadata-invalid', /no <name>/);
    await expectRejected(inspectArtifact('module', await buildModule({ moduleXml: '<modules><module>' })), 'metadata-invalid', /module\.xml: malformed XML/);
    await expectRejected(inspectArtifact('module', await buildModule({ requiredIgnitionVersion: 'soon' })), 'metadata-invalid', /requiredIgnitionVersion "soon"/);
  });
});

describe('reading little of a large file through ranged reads', () => {
  it('inspects a module and a backup without fetching their large entries', async () => {
    const bulk = { name: 'lib/bulk.jar', data: randomBytes(16 * 1024 ** 2), compress: false };
    const modl = await buildZip([bulk, { name: 'module.xml', data: '<modules><module><id>a</id><name>A</name><version>1.0.0</version></module></modules>' }]);
    const backup = await buildZip([{ ...bulk, name: 'db_backup_sqlite.idb' }, { name: 'backupinfo.xml', data: '<backupinfo><version>8.3.2</version></backupinfo>' }]);
    for (const [kind, zip] of [['module', modl], ['backup', backup]] as const) {
      let requested = 0;
      const source = { size: zip.length, read: async (offset: number, length: number) => ((requested += length), zip.subarray(offset, offset + length)) };
      expect(await inspectArtifact(kind, source)).toMatchObject({ kind, sizeBytes: zip.length });
      expect(requested).toBeLessThan(1024 ** 2);
    }
  });
});

describe('JDBC driver jars', () => {
  it('reads driver classes from the service file, and manifest details', async () => {
    const zip = await buildJdbcJar({
      serviceLines: ['# drivers', 'org.postgresql.Driver', 'not a class!', 'org.postgresql.Driver'],
      classes: ['org.postgresql.Driver', 'org.postgresql.util.Helper'],
      implementationTitle: 'PostgreSQL JDBC Driver',
      implementationVersion: '42.7.4',
    });
    expect(await inspectArtifact('jdbc-driver', zip)).toEqual({
      kind: 'jdbc-driver',
      sizeBytes: zip.length,
      driverClasses: ['org.postgresql.Driver'],
      driverClassesFrom: 'service-file',
      implementationTitle: 'PostgreSQL JDBC Driver',
      implementationVersion: '42.7.4',
    });
  });

  it('falls back to top-level classes named *Driver', async () => {
    const zip = await buildJdbcJar({ classes: ['com.acme.jdbc.AcmeDriver', 'com.acme.jdbc.AcmeDriver$Inner', 'com.acme.Util'] });
    expect(await inspectArtifact('jdbc-driver', zip)).toMatchObject({
      driverClasses: ['com.acme.jdbc.AcmeDriver'],
      driverClassesFrom: 'class-names',
      implementationTitle: null,
    });
  });

  it('refuses a jar with neither a service file nor a driver class', async () => {
    const zip = await buildJdbcJar({ classes: ['com.acme.Util'], serviceLines: ['# nothing here'] });
    await expectRejected(inspectArtifact('jdbc-driver', zip, { label: 'util.jar' }), 'no-driver', /util\.jar declares no JDBC driver.*vendor's JDBC driver jar/);
  });
});

describe('licences', () => {
  it('records size and line count and nothing of the content', async () => {
    const key = 'SECRET-LICENCE-KEY-1234\nsecond-line-abc\n';
    const metadata = await inspectArtifact('licence', Buffer.from(key), { label: 'license.ipl' });
    expect(metadata).toEqual({ kind: 'licence', sizeBytes: key.length, lines: 2 });
    expect(JSON.stringify(metadata)).not.toMatch(/SECRET|second/);
  });

  it('refuses empty, binary, oversized and zip files, naming a zip by its kind', async () => {
    await expectRejected(inspectArtifact('licence', Buffer.from('  \n')), 'empty');
    await expectRejected(inspectArtifact('licence', Buffer.alloc(0)), 'empty');
    await expectRejected(inspectArtifact('licence', Buffer.from([0x41, 0x00, 0x42])), 'not-text', /binary/);
    await expectRejected(inspectArtifact('licence', Buffer.from([0xc3, 0x28])), 'not-text');
    await expectRejected(inspectArtifact('licence', Buffer.alloc(1024 * 1024 + 1, 0x41)), 'file-too-large', /1 MiB allowed for a licence file/);
    await expectRejected(inspectArtifact('licence', await buildModule(), { label: 'x.ipl' }), 'wrong-kind', /looks like a module \(module\.xml found\), not a licence file; choose kind module/);
    await expectRejected(inspectArtifact('licence', await buildZip([{ name: 'a.txt', data: 'a' }])), 'not-text', /zip archive/);
  });
});

describe('other files', () => {
  it('records only the size, and the entry count of a zip', async () => {
    expect(await inspectArtifact('other', Buffer.from('anything at all'))).toEqual({ kind: 'other', sizeBytes: 15, zipEntries: null });
    const zip = await buildZip([{ name: 'a', data: '1' }, { name: 'b/c', data: '2' }]);
    expect(await inspectArtifact('other', bufferSource(zip))).toEqual({ kind: 'other', sizeBytes: zip.length, zipEntries: 2 });
    // Starts like a zip, is not one: still an acceptable opaque file.
    expect(await inspectArtifact('other', Buffer.from('PK\u0003\u0004 but nothing more'))).toMatchObject({ zipEntries: null });
  });

  it('reads the file from a path too', async () => {
    const file = join(workDir, 'notes.bin');
    await writeFile(file, 'hello');
    expect(await inspectArtifact('other', file)).toEqual({ kind: 'other', sizeBytes: 5, zipEntries: null });
    const modl = join(workDir, 'widgets.modl');
    await writeFile(modl, await buildModule());
    expect(await inspectArtifact('module', modl)).toMatchObject({ kind: 'module', id: 'com.example.widgets' });
  });
});
