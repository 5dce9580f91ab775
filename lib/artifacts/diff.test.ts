import { describe, expect, it } from 'vitest';
import { diffProjects } from './diff';
import { buildProjectExport, resourceJson, type ProjectExportFixture } from './fixtures';
import { inspectArtifact } from './inspect';
import type { ProjectMetadata } from './types';

const P = 'com.inductiveautomation.perspective/views';

async function project(fixture: ProjectExportFixture): Promise<ProjectMetadata> {
  const metadata = await inspectArtifact('project', await buildProjectExport(fixture));
  if (metadata.kind !== 'project') throw new Error('expected a project');
  return metadata;
}

describe('diffProjects', () => {
  it('finds added, removed and changed resources by path and hash, sorted', async () => {
    const before = await project({
      resources: {
        [`${P}/Home/view.json`]: '{"v":1}',
        [`${P}/Old/view.json`]: '{}',
        [`${P}/Same/view.json`]: '{"s":1}',
        'ignition/script-python/util/code.py': 'x = 1',
      },
    });
    const after = await project({
      resources: {
        [`${P}/Home/view.json`]: '{"v":2}',
        [`${P}/Same/view.json`]: '{"s":1}',
        [`${P}/B-New/view.json`]: '{}',
        [`${P}/A-New/view.json`]: '{}',
        'ignition/script-python/util/code.py': 'x = 1',
      },
    });
    expect(diffProjects(before, after)).toEqual({
      added: [`${P}/A-New`, `${P}/B-New`],
      removed: [`${P}/Old`],
      changed: [`${P}/Home`],
      unchanged: 2,
      fields: [],
    });
  });

  it('sees a file added to a resource folder, and a rename inside it, as a change', async () => {
    const base = await project({ resources: { [`${P}/Home/view.json`]: '{}' } });
    const extraFile = await project({ resources: { [`${P}/Home/view.json`]: '{}', [`${P}/Home/thumbnail.png`]: 'p' } });
    const renamed = await project({
      resources: { [`${P}/Home/view2.json`]: '{}', [`${P}/Home/resource.json`]: resourceJson(['view.json']) },
    });
    expect(diffProjects(base, extraFile).changed).toEqual([`${P}/Home`]);
    // Same resource.json and same bytes under another name: only the name differs, and that is a change.
    expect(diffProjects(base, renamed).changed).toEqual([`${P}/Home`]);
    expect(renamed.resources[0]?.files).toBe(base.resources[0]?.files);
  });

  it('reports changed project.json fields with old and new values', async () => {
    const a = await project({ title: 'Plant', parent: 'global', enabled: true, resources: {} });
    const b = await project({ title: 'Plant v2', parent: '', enabled: false, resources: {} });
    expect(diffProjects(a, b)).toEqual({
      added: [],
      removed: [],
      changed: [],
      unchanged: 0,
      fields: [
        { field: 'title', from: 'Plant', to: 'Plant v2' },
        { field: 'parent', from: 'global', to: null },
        { field: 'enabled', from: true, to: false },
      ],
    });
  });

  it('finds nothing between an export and itself, wrapped in a folder or not', async () => {
    const resources = { [`${P}/Home/view.json`]: '{}', 'ignition/named-query/q/query.sql': 'SELECT 1' };
    const diff = diffProjects(await project({ resources }), await project({ resources, rootFolder: 'Plant' }));
    expect(diff).toEqual({ added: [], removed: [], changed: [], unchanged: 2, fields: [] });
  });
});
