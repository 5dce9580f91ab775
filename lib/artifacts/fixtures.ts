/**
 * Real Ignition-shaped archives for tests: project exports, modules, backups and driver jars, built in memory with
 * lib/zip's fixture writer. Test support only: nothing in the product imports it.
 */
import { buildZip, type FixtureEntry } from '../zip/zip-fixtures';

export interface ProjectExportFixture {
  title?: string;
  description?: string;
  parent?: string;
  enabled?: boolean;
  inheritable?: boolean;
  /** File path inside the project -> content, e.g. `com.inductiveautomation.perspective/views/Home/view.json`. */
  resources?: Record<string, string | Buffer>;
  /** Wrap everything in this top-level folder (`MyProject` -> `MyProject/project.json`). */
  rootFolder?: string;
  /** Replace project.json's text (for malformed cases); null leaves it out. */
  projectJson?: string | null;
}

/** A project export; every folder given a file also gets a resource.json unless one is listed. */
export async function buildProjectExport(fixture: ProjectExportFixture = {}): Promise<Buffer> {
  const prefix = fixture.rootFolder ? `${fixture.rootFolder}/` : '';
  const entries: FixtureEntry[] = [];
  if (fixture.projectJson !== null) {
    const projectJson =
      fixture.projectJson ??
      JSON.stringify({
        title: fixture.title ?? 'Fixture project',
        description: fixture.description ?? '',
        parent: fixture.parent ?? '',
        enabled: fixture.enabled ?? true,
        inheritable: fixture.inheritable ?? false,
      });
    entries.push({ name: `${prefix}project.json`, data: projectJson });
  }
  const resources = fixture.resources ?? {};
  const folders = new Set(Object.keys(resources).map((path) => path.slice(0, path.lastIndexOf('/'))));
  for (const folder of [...folders].sort()) {
    if (folder.split('/').length >= 2 && !(`${folder}/resource.json` in resources)) {
      entries.push({ name: `${prefix}${folder}/resource.json`, data: resourceJson(['view.json']) });
    }
  }
  for (const [path, data] of Object.entries(resources)) entries.push({ name: `${prefix}${path}`, data });
  return buildZip(entries);
}

/** A resource.json as Ignition 8.1/8.3 writes it. */
export function resourceJson(files: string[], actor = 'admin'): string {
  return JSON.stringify({
    scope: 'G',
    version: 1,
    restricted: false,
    overridable: true,
    files,
    attributes: { lastModification: { actor, timestamp: '2024-01-01T00:00:00Z' }, lastModificationSignature: 'abc' },
  });
}

export interface ModuleFixture {
  id?: string;
  name?: string;
  version?: string;
  requiredIgnitionVersion?: string;
  requiredFrameworkVersion?: string;
  license?: string;
  depends?: Array<{ moduleId: string; scope?: string }>;
  signed?: boolean;
  /** Replace module.xml's text; null leaves it out. */
  moduleXml?: string | null;
}

export async function buildModule(fixture: ModuleFixture = {}): Promise<Buffer> {
  const fields: Array<[string, string | undefined]> = [
    ['id', fixture.id ?? 'com.example.widgets'],
    ['name', fixture.name ?? 'Widgets'],
    ['version', fixture.version ?? '1.2.3.2024010101'],
    ['requiredIgnitionVersion', fixture.requiredIgnitionVersion ?? '8.3.0'],
    ['requiredFrameworkVersion', fixture.requiredFrameworkVersion ?? '8'],
    ['license', fixture.license],
  ];
  const body = fields
    .filter((field): field is [string, string] => field[1] !== undefined)
    .map(([key, value]) => `    <${key}>${value}</${key}>`)
    .concat((fixture.depends ?? []).map((d) => `    <depends${d.scope ? ` scope="${d.scope}"` : ''}>${d.moduleId}</depends>`))
    .join('\n');
  const moduleXml =
    fixture.moduleXml ??
    `<?xml version="1.0" encoding="UTF-8"?>\n<modules>\n  <module>\n${body}\n    <jar scope="G">widgets-gateway.jar</jar>\n  </module>\n</modules>\n`;
  return buildZip([
    ...(fixture.moduleXml === null ? [] : [{ name: 'module.xml', data: moduleXml }]),
    { name: 'widgets-gateway.jar', data: 'not really a jar', compress: false },
    ...(fixture.signed ? [{ name: 'signatures.properties', data: 'module.xml=abc' }] : []),
  ]);
}

export interface BackupFixture {
  version?: string;
  edition?: string;
  /** 8.3 system name in config/resources/core/ignition/system-properties/config.json; omitted when undefined. */
  systemName?: string;
  /** Project names: each gets projects/<name>/project.json. */
  projects?: string[];
  /** redundancy.xml's redundancy.noderole; omitted when undefined. */
  redundancyRole?: string;
  /** Replace backupinfo.xml's text; null leaves it out. */
  backupInfo?: string | null;
}

export async function buildBackup(fixture: BackupFixture = {}): Promise<Buffer> {
  const backupInfo =
    fixture.backupInfo ??
    `<?xml version="1.0" encoding="UTF-8"?>\n<backupinfo><version>${fixture.version ?? '8.3.4 (b2025010101)'}</version>` +
      `<edition>${fixture.edition ?? 'standard'}</edition></backupinfo>\n`;
  const entries: FixtureEntry[] = [
    ...(fixture.backupInfo === null ? [] : [{ name: 'backupinfo.xml', data: backupInfo }]),
    { name: 'db_backup_sqlite.idb', data: Buffer.alloc(4096, 7), compress: false },
    { name: 'ignition.conf', data: 'wrapper.java.maxmemory=1024\n' },
  ];
  if (fixture.systemName !== undefined) {
    entries.push({
      name: 'config/resources/core/ignition/system-properties/config.json',
      data: JSON.stringify({ systemName: fixture.systemName, httpPort: 8088 }),
    });
  }
  if (fixture.redundancyRole !== undefined) {
    entries.push({
      name: 'redundancy.xml',
      data:
        '<?xml version="1.0" encoding="UTF-8"?>\n<properties>\n' +
        `<entry key="redundancy.noderole">${fixture.redundancyRole}</entry>\n<entry key="redundancy.gan.port">8060</entry>\n</properties>\n`,
    });
  }
  for (const project of fixture.projects ?? []) {
    entries.push({ name: `projects/${project}/project.json`, data: JSON.stringify({ title: project }) });
    entries.push({ name: `projects/${project}/ignition/script-python/util/code.py`, data: 'x = 1\n' });
  }
  return buildZip(entries);
}

export interface JdbcJarFixture {
  /** Lines of META-INF/services/java.sql.Driver; omitted when undefined. */
  serviceLines?: string[];
  /** Class names to add as .class entries, e.g. `org.example.jdbc.ExampleDriver`. */
  classes?: string[];
  implementationTitle?: string;
  implementationVersion?: string;
}

export async function buildJdbcJar(fixture: JdbcJarFixture = {}): Promise<Buffer> {
  const manifest = ['Manifest-Version: 1.0'];
  if (fixture.implementationTitle) manifest.push(`Implementation-Title: ${fixture.implementationTitle}`);
  if (fixture.implementationVersion) manifest.push(`Implementation-Version: ${fixture.implementationVersion}`);
  const entries: FixtureEntry[] = [
    { name: 'META-INF/', data: '' },
    { name: 'META-INF/MANIFEST.MF', data: `${manifest.join('\r\n')}\r\n\r\n` },
  ];
  if (fixture.serviceLines) entries.push({ name: 'META-INF/services/java.sql.Driver', data: `${fixture.serviceLines.join('\n')}\n` });
  for (const name of fixture.classes ?? []) {
    entries.push({ name: `${name.replace(/\./g, '/')}.class`, data: Buffer.from([0xca, 0xfe, 0xba, 0xbe, 0, 0, 0, 52]) });
  }
  return buildZip(entries);
}
