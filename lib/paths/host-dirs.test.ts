import { chmod, chown, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatHostDirReport, prepareHostDirectories, writeSecretFile, type HostDirRequest } from './index';

// The chown tests need root, as the test machines and CI containers run; without root they fail with EPERM.
const runningAsRoot = process.getuid?.() === 0;
let base: string;

beforeEach(async () => {
  base = await mkdtemp(join(tmpdir(), 'sy-hostdirs-'));
});
afterEach(async () => {
  await rm(base, { recursive: true, force: true });
});

async function modeOf(path: string): Promise<number> {
  return (await stat(path)).mode & 0o777;
}

function layout(): HostDirRequest[] {
  return [
    { field: 'volumes.data', hostPath: join(base, 'gw', 'data'), kind: 'data' },
    { field: 'modules', hostPath: join(base, 'gw', 'modules'), kind: 'modules' },
    { field: 'secrets', hostPath: join(base, 'gw', 'secrets'), kind: 'secrets' },
  ];
}

describe('creating missing folders', () => {
  it('creates with secure modes and hands them to the gateway user as root', async () => {
    const report = await prepareHostDirectories(layout(), { asRoot: true });
    expect(report.problems).toEqual([]);
    expect(report.created.map((item) => item.path)).toEqual([
      join(base, 'gw'),
      join(base, 'gw', 'data'),
      join(base, 'gw', 'modules'),
      join(base, 'gw', 'secrets'),
    ]);
    expect(await modeOf(join(base, 'gw', 'data'))).toBe(0o750);
    expect(await modeOf(join(base, 'gw', 'secrets'))).toBe(0o700);
    const owner = await stat(join(base, 'gw', 'secrets'));
    expect([owner.uid, owner.gid]).toEqual([2003, 2003]);
    expect(report.created[3]).toMatchObject({ field: 'secrets', mode: 0o700, owner: { uid: 2003, gid: 2003 } });
  });

  it('uses a custom uid/gid', async () => {
    await prepareHostDirectories([{ field: 'data', hostPath: join(base, 'd'), kind: 'data' }], {
      asRoot: true,
      uid: 4242,
      gid: 4343,
    });
    const created = await stat(join(base, 'd'));
    expect([created.uid, created.gid]).toEqual([4242, 4343]);
  });

  it('does not chown without root and reports the owner it could not set', async () => {
    const myUid = process.getuid?.() ?? 0;
    const report = await prepareHostDirectories(layout().slice(0, 1), { asRoot: false, checkOwnership: true });
    const created = await stat(join(base, 'gw', 'data'));
    expect(created.uid).toBe(myUid);
    expect(report.created.every((item) => item.owner === undefined)).toBe(true);
    expect(report.problems.map((item) => item.code)).toEqual(['owner-not-set', 'owner-not-set']);
    expect(report.problems[1]?.fix).toBe(`sudo chown 2003:2003 '${join(base, 'gw', 'data')}'`);
  });

  it('dry run reports what it would create and touches nothing', async () => {
    const report = await prepareHostDirectories(layout(), { dryRun: true, asRoot: true });
    expect(report.dryRun).toBe(true);
    expect(report.created).toHaveLength(4);
    expect(await readdir(base)).toEqual([]);
    expect(formatHostDirReport(report)[0]).toMatch(/^would create .*gw \(0750\) for volumes\.data$/);
  });

  it('asks for a missing secret file instead of inventing it, creating its folder', async () => {
    const secret = join(base, 'secrets', 'gateway-admin-password');
    const report = await prepareHostDirectories(
      [{ field: 'secrets.adminPassword', hostPath: secret, kind: 'secrets', type: 'file' }],
      { asRoot: runningAsRoot, checkOwnership: false },
    );
    expect(await modeOf(join(base, 'secrets'))).toBe(0o700);
    expect(report.problems).toEqual([
      expect.objectContaining({ code: 'missing-file', path: secret, field: 'secrets.adminPassword' }),
    ]);
  });

  it('refuses to build through a file', async () => {
    await writeFile(join(base, 'blocker'), 'x');
    const report = await prepareHostDirectories([{ field: 'jdbc', hostPath: join(base, 'blocker', 'jdbc'), kind: 'jdbc' }]);
    expect(report.created).toEqual([]);
    expect(report.problems[0]).toMatchObject({ code: 'not-a-directory', path: join(base, 'blocker') });
  });
});

describe('existing folders are reported, never changed', () => {
  it('reports a too-open mode and a wrong owner and leaves both alone', async () => {
    const modules = join(base, 'modules');
    await mkdir(modules);
    await chmod(modules, 0o777);
    const report = await prepareHostDirectories([{ field: 'modules', hostPath: modules, kind: 'modules' }], {
      uid: 2003,
      gid: 2003,
      checkOwnership: true,
    });
    expect(report.created).toEqual([]);
    expect(report.unchanged).toEqual([expect.objectContaining({ path: modules, mode: 0o777 })]);
    expect(report.problems.map((item) => item.code).sort()).toEqual(['mode-too-open', 'wrong-owner']);
    expect(report.problems.find((item) => item.code === 'mode-too-open')?.fix).toBe(`chmod 750 '${modules}'`);
    expect(await modeOf(modules)).toBe(0o777);
  });

  it('accepts a stricter mode and the right owner', async () => {
    const data = join(base, 'data');
    await mkdir(data, { mode: 0o700 });
    await chmod(data, 0o700);
    const { uid, gid } = await stat(data);
    const report = await prepareHostDirectories([{ field: 'data', hostPath: data, kind: 'data' }], {
      uid,
      gid,
      checkOwnership: true,
    });
    expect(report.problems).toEqual([]);
    expect(report.unchanged).toHaveLength(1);
  });

  it('flags secret files readable by group or others, but not 0600 ones', async () => {
    const secrets = join(base, 'secrets');
    await mkdir(secrets, { mode: 0o700 });
    await chmod(secrets, 0o700);
    await writeFile(join(secrets, 'license-key'), 'LK-123', { mode: 0o644 });
    await chmod(join(secrets, 'license-key'), 0o644);
    await writeSecretFile(join(secrets, 'gateway-admin-password'), 'hunter2');
    const report = await prepareHostDirectories([{ field: 'secrets', hostPath: secrets, kind: 'secrets' }], {
      checkOwnership: false,
    });
    expect(report.problems).toEqual([
      expect.objectContaining({ code: 'secret-readable', path: join(secrets, 'license-key') }),
    ]);
    // The report names files, never their contents.
    expect(JSON.stringify(report)).not.toContain('LK-123');
    expect(JSON.stringify(report)).not.toContain('hunter2');
  });

  it('flags a secrets folder open to the group', async () => {
    const secrets = join(base, 'secrets');
    await mkdir(secrets);
    await chmod(secrets, 0o750);
    const report = await prepareHostDirectories([{ field: 'secrets', hostPath: secrets, kind: 'secrets' }], {
      checkOwnership: false,
    });
    expect(report.problems).toEqual([expect.objectContaining({ code: 'mode-too-open', path: secrets })]);
  });

  it('reports a file where a folder was asked for, and a folder where a file was', async () => {
    await writeFile(join(base, 'modules'), 'oops');
    await mkdir(join(base, 'key'));
    const report = await prepareHostDirectories([
      { field: 'modules', hostPath: join(base, 'modules'), kind: 'modules' },
      { field: 'secrets.key', hostPath: join(base, 'key'), kind: 'secrets', type: 'file' },
    ]);
    expect(report.problems.map((item) => item.code)).toEqual(['not-a-directory', 'not-a-file']);
  });

  it('skips mode checks when asked (Windows hosts)', async () => {
    const modules = join(base, 'modules');
    await mkdir(modules);
    await chmod(modules, 0o777);
    const report = await prepareHostDirectories([{ field: 'modules', hostPath: modules, kind: 'modules' }], {
      checkModes: false,
      checkOwnership: false,
    });
    expect(report.problems).toEqual([]);
  });
});

describe('writeSecretFile', () => {
  it('writes 0600 content atomically and leaves no temporary files', async () => {
    const path = join(base, 'encoding-key');
    await writeSecretFile(path, 'first');
    await writeSecretFile(path, Buffer.from('second'));
    expect(await readFile(path, 'utf8')).toBe('second');
    expect(await modeOf(path)).toBe(0o600);
    expect(await readdir(base)).toEqual(['encoding-key']);
  });

  it('hands the file to the gateway user', async () => {
    const path = join(base, 'activation-token');
    await writeSecretFile(path, 'token', { owner: { uid: 2003, gid: 2003 } });
    const info = await stat(path);
    expect([info.uid, info.gid]).toEqual([2003, 2003]);
    await chown(path, 0, 0);
  });

  it('fails cleanly when the folder is missing', async () => {
    await expect(writeSecretFile(join(base, 'nope', 'x'), 'v')).rejects.toThrow(/ENOENT/);
    expect(await readdir(base)).toEqual([]);
  });
});
