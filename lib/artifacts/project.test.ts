import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { bufferSource } from '../zip';
import { buildZip } from '../zip/zip-fixtures';
import { buildProjectExport, resourceJson } from './fixtures';
import { inspectArtifact } from './inspect';
import { expectRejected } from './test-support';
import type { ProjectMetadata } from './types';

const PERSPECTIVE = 'com.inductiveautomation.perspective';
const VIEW = `${PERSPECTIVE}/views/Main/Home`;
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

async function inspectProject(zip: Buffer): Promise<ProjectMetadata> {
  const metadata = await inspectArtifact('project', zip, { label: 'plant.zip' });
  if (metadata.kind !== 'project') throw new Error('expected project metadata');
  return metadata;
}

const resources = {
  [`${VIEW}/view.json`]: '{"root":{}}',
  [`${VIEW}/thumbnail.png`]: 'png-bytes',
  [`${PERSPECTIVE}/views/Main/Other/view.json`]: '{"root":{"x":1}}',
  [`${PERSPECTIVE}/page-config/config.json`]: '{"pages":{}}',
  'ignition/script-python/util/code.py': 'def f():\n  return 1\n',
  'ignition/named-query/q1/query.sql': 'SELECT 1',
};

describe('inspecting a project export', () => {
  it('records project.json fields and every resource folder with its module, type and hash', async () => {
    const metadata = await inspectProject(
      await buildProjectExport({ title: 'Plant', description: 'Line 1 HMI', parent: 'global', inheritable: true, resources }),
    );
    expect(metadata).toMatchObject({
      kind: 'project',
      title: 'Plant',
      description: 'Line 1 HMI',
      parent: 'global',
      enabled: true,
      inheritable: true,
      rootFolder: null,
      otherFiles: 0,
    });
    expect(metadata.resources.map((resource) => resource.path)).toEqual([
      `${PERSPECTIVE}/page-config`,
      `${PERSPECTIVE}/views/Main/Home`,
      `${PERSPECTIVE}/views/Main/Other`,
      'ignition/named-query/q1',
      'ignition/script-python/util',
    ]);
    const home = metadata.resources.find((resource) => resource.path === VIEW)!;
    expect(home).toMatchObject({ moduleId: PERSPECTIVE, typeId: 'views', singleton: false, files: 3 });
    // The folder hash is over sorted "name NUL sha256" lines, so anyone can recompute it from the files.
    const lines = [
      ['resource.json', resourceJson(['view.json'])],
      ['thumbnail.png', 'png-bytes'],
      ['view.json', '{"root":{}}'],
    ].map(([name, content]) => `${name}\u0000${sha256(content!)}\n`);
    expect(home.sha256).toBe(sha256(lines.join('')));
    expect(metadata.resources.find((resource) => resource.typeId === 'page-config')?.singleton).toBe(true);
    expect(metadata.counts).toEqual({
      byModule: { [PERSPECTIVE]: 3, ignition: 2 },
      byType: { [`${PERSPECTIVE}/page-config`]: 1, [`${PERSPECTIVE}/views`]: 2, 'ignition/named-query': 1, 'ignition/script-python': 1 },
    });
    expect(JSON.parse(JSON.stringify(metadata))).toEqual(metadata);
  });

  it('finds the project inside one top-level folder and gives the same inventory', async () => {
    const flat = await inspectProject(await buildProjectExport({ resources }));
    const wrapped = await inspectProject(await buildProjectExport({ resources, rootFolder: 'Plant' }));
    expect(wrapped.rootFolder).toBe('Plant/');
    expect(wrapped.resources).toEqual(flat.resources);
  });

  it('ignores macOS metadata folders when looking for the top-level folder', async () => {
    const zip = await buildZip([
      { name: 'Plant/project.json', data: '{"title":"P"}' },
      { name: `Plant/${VIEW}/resource.json`, data: '{}' },
      { name: '__MACOSX/Plant/._project.json', data: 'junk' },
    ]);
    const metadata = await inspectProject(zip);
    expect(metadata).toMatchObject({ rootFolder: 'Plant/', title: 'P', otherFiles: 0 });
    expect(metadata.resources).toHaveLength(1);
  });

  it('counts files outside resource folders and treats blank or absent fields as null', async () => {
    const zip = await buildZip([
      { name: 'project.json', data: '{"title":"T","parent":"  "}' },
      { name: 'README.txt', data: 'hello' },
      { name: `${PERSPECTIVE}/views/Folder/notes.txt`, data: 'no resource.json here' },
      { name: `${PERSPECTIVE}/resource.json`, data: '{}' }, // too shallow to be a resource
    ]);
    const metadata = await inspectProject(zip);
    expect(metadata).toMatchObject({ parent: null, description: null, enabled: null, inheritable: null, otherFiles: 3 });
    expect(metadata.resources).toEqual([]);
  });

  it('reads the same from a RandomAccessSource', async () => {
    const zip = await buildProjectExport({ resources });
    const fromSource = await inspectArtifact('project', bufferSource(zip), { label: 'plant.zip', cache: { blockSize: 4096 } });
    expect(fromSource).toEqual(await inspectProject(zip));
  });

  it('keeps a hostile module id such as __proto__ as plain data', async () => {
    const metadata = await inspectProject(await buildProjectExport({ resources: { '__proto__/views/x/view.json': '{}' } }));
    expect(Object.keys(metadata.counts.byModule)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).views).toBeUndefined();
  });
});

describe('refusing a project export', () => {
  it('says project.json is missing when nothing else identifies the file', async () => {
    const zip = await buildZip([{ name: 'notes/readme.txt', data: 'x' }, { name: 'other.txt', data: 'y' }]);
    await expectRejected(inspectArtifact('project', zip, { label: 'plant.zip' }), 'metadata-missing', /plant\.zip has no project\.json.*export the project/);
  });

  it('refuses malformed project.json with a clear message', async () => {
    await expectRejected(inspectArtifact('project', await buildProjectExport({ projectJson: '{"title": ' })), 'metadata-invalid', /not valid JSON/);
    await expectRejected(inspectArtifact('project', await buildProjectExport({ projectJson: '["a"]' })), 'metadata-invalid', /not a JSON object/);
    await expectRejected(
      inspectArtifact('project', await buildProjectExport({ projectJson: '{"enabled":"yes"}' })),
      'metadata-invalid',
      /"enabled" should be a boolean/,
    );
    await expectRejected(
      inspectArtifact('project', await buildProjectExport({ projectJson: `{"title":"${randomBytes(800_000).toString('base64')}"}` })),
      'metadata-invalid',
      /larger than 1 MiB/,
    );
  });

  it('does not take a folder of two projects for one project', async () => {
    const zip = await buildZip([
      { name: 'A/project.json', data: '{}' },
      { name: 'B/project.json', data: '{}' },
    ]);
    await expectRejected(inspectArtifact('project', zip), 'metadata-missing');
  });
});
