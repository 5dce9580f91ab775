import fc from 'fast-check';
import { mkdir, mkdtemp, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findProjectRoot, PathError, PROJECT_MARKER, resolveSpecPath, verifyBindSource } from './index';

let base: string;
let project: string;
let outside: string;

beforeAll(async () => {
  base = await realpath(await mkdtemp(join(tmpdir(), 'sy-paths-')));
  project = join(base, 'plant');
  outside = join(base, 'elsewhere');
  await mkdir(join(project, 'modules', 'nested', 'deeper'), { recursive: true });
  await mkdir(outside, { recursive: true });
  await writeFile(join(project, PROJECT_MARKER), 'name: plant\n');
  await writeFile(join(project, 'modules', 'vendor.modl'), 'zip');
  await writeFile(join(outside, 'stolen.modl'), 'zip');
  await symlink(join(outside, 'stolen.modl'), join(project, 'modules', 'link-out.modl'));
  await symlink(outside, join(project, 'linked-dir'));
  await symlink(join(project, 'modules', 'vendor.modl'), join(project, 'modules', 'link-in.modl'));
  await symlink(join(project, 'modules', 'nested'), join(base, 'shortcut'));
  await symlink(join(project, 'missing-target'), join(project, 'modules', 'dangling.modl'));
});

afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

async function pathError(promise: Promise<unknown>): Promise<PathError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof PathError) return error;
    throw error;
  }
  throw new Error('expected a PathError');
}

describe('findProjectRoot', () => {
  it('finds the marker from the root and from nested folders', async () => {
    expect(await findProjectRoot({ cwd: project })).toEqual({ root: project, specFile: join(project, PROJECT_MARKER) });
    expect((await findProjectRoot({ cwd: join(project, 'modules', 'nested', 'deeper') })).root).toBe(project);
  });

  it('reports the real path when started from a symlinked folder', async () => {
    expect((await findProjectRoot({ cwd: join(base, 'shortcut') })).root).toBe(project);
  });

  it('honours an explicit override, relative to cwd, and checks it', async () => {
    expect((await findProjectRoot({ cwd: base, override: 'plant' })).root).toBe(project);
    const noMarker = await pathError(findProjectRoot({ override: outside }));
    expect(noMarker.field).toBe('project');
    expect(noMarker.reason).toMatch(/switchyard\.yaml/);
    expect((await pathError(findProjectRoot({ override: join(base, 'nope') }))).reason).toMatch(/does not exist/);
    const aFile = await pathError(findProjectRoot({ override: join(project, PROJECT_MARKER) }));
    expect(aFile.reason).toMatch(/is a file/);
  });

  it('says what to do when no project is found', async () => {
    const error = await pathError(findProjectRoot({ cwd: outside }));
    expect(error.field).toBe('cwd');
    expect(error.reason).toMatch(/--project/);
  });
});

describe('resolveSpecPath', () => {
  it('resolves an existing file to its real path', async () => {
    const resolved = await resolveSpecPath('modules[0]', 'modules/vendor.modl', { projectRoot: project, mustExist: true });
    expect(resolved).toEqual({
      field: 'modules[0]',
      relative: 'modules/vendor.modl',
      absolutePath: join(project, 'modules', 'vendor.modl'),
      exists: true,
    });
  });

  it('follows a symlink that stays inside the project', async () => {
    const resolved = await resolveSpecPath('modules[1]', 'modules/link-in.modl', { projectRoot: project });
    expect(resolved.absolutePath).toBe(join(project, 'modules', 'vendor.modl'));
  });

  it('refuses a file symlink that leaves the project', async () => {
    const error = await pathError(resolveSpecPath('modules[2]', 'modules/link-out.modl', { projectRoot: project }));
    expect(error.field).toBe('modules[2]');
    expect(error.value).toBe('modules/link-out.modl');
    expect(error.reason).toMatch(/symbolic link/);
  });

  it('refuses a missing path below a folder symlink that leaves the project', async () => {
    const error = await pathError(resolveSpecPath('jdbc', 'linked-dir/new/driver.jar', { projectRoot: project }));
    expect(error.reason).toMatch(/outside the project/);
  });

  it('allows extra roots when the caller names them', async () => {
    const resolved = await resolveSpecPath('modules[2]', 'modules/link-out.modl', {
      projectRoot: project,
      allowedRoots: [project, outside],
    });
    expect(resolved.absolutePath).toBe(join(outside, 'stolen.modl'));
  });

  it('tells missing-but-allowed from missing-and-required', async () => {
    const later = await resolveSpecPath('backups', 'backups/nightly.gwbk', { projectRoot: project });
    expect(later).toMatchObject({ exists: false, absolutePath: join(project, 'backups', 'nightly.gwbk') });
    const required = await pathError(
      resolveSpecPath('backups', 'backups/nightly.gwbk', { projectRoot: project, mustExist: true }),
    );
    expect(required.reason).toMatch(/does not exist/);
  });

  it('refuses a dangling symlink and a missing project root', async () => {
    expect((await pathError(resolveSpecPath('m', 'modules/dangling.modl', { projectRoot: project }))).reason).toMatch(
      /broken symbolic link/,
    );
    expect((await pathError(resolveSpecPath('m', 'a', { projectRoot: join(base, 'gone') }))).reason).toMatch(
      /project root does not exist/,
    );
  });

  it('checks the Windows length of the resolved path', async () => {
    const deep = `${'d'.repeat(200)}/${'e'.repeat(100)}.modl`;
    await expect(resolveSpecPath('m', deep, { projectRoot: project })).resolves.toMatchObject({ exists: false });
    const error = await pathError(resolveSpecPath('m', deep, { projectRoot: project, windows: true }));
    expect(error.reason).toMatch(/Windows limit/);
  });
});

describe('verifyBindSource', () => {
  it('accepts the bind source the spec means, even through an inside link', async () => {
    await expect(
      verifyBindSource(
        'modules[0]',
        { specValue: 'modules/link-in.modl', source: join(project, 'modules', 'vendor.modl') },
        { projectRoot: project, mustExist: true },
      ),
    ).resolves.toMatchObject({ exists: true });
  });

  it('refuses a bind source that resolves elsewhere', async () => {
    const error = await pathError(
      verifyBindSource(
        'modules[0]',
        { specValue: 'modules/vendor.modl', source: join(outside, 'stolen.modl') },
        { projectRoot: project },
      ),
    );
    expect(error.field).toBe('modules[0]');
    expect(error.reason).toMatch(/resolves to .*stolen\.modl/);
  });

  it('refuses a bind source that is missing when it must exist', async () => {
    const error = await pathError(
      verifyBindSource(
        'backup',
        { specValue: 'backups/x.gwbk', source: join(project, 'backups', 'x.gwbk') },
        { projectRoot: project, mustExist: true },
      ),
    );
    expect(error.reason).toMatch(/does not exist/);
  });
});

describe('property: resolved spec paths stay inside the project, links or not', () => {
  it('never returns a path outside the real project root', async () => {
    const segment = fc.constantFrom('modules', 'linked-dir', 'link-out.modl', 'link-in.modl', 'nested', '..', '.', 'x');
    await fc.assert(
      fc.asyncProperty(fc.array(segment, { minLength: 1, maxLength: 6 }), async (parts) => {
        const value = parts.join('/');
        try {
          const resolved = await resolveSpecPath('f', value, { projectRoot: project });
          expect(resolved.absolutePath.startsWith(`${project}/`)).toBe(true);
        } catch (error) {
          expect(error).toBeInstanceOf(PathError);
        }
      }),
      { numRuns: 300 },
    );
  });
});
