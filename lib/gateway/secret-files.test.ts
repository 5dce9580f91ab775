import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseStack } from './parse';
import { checkSecretFiles, secretProblem } from './secret-files';

describe('secretProblem', () => {
  it('accepts one line without a line end', () => {
    expect(secretProblem(Buffer.from('s3cret'))).toBeUndefined();
  });

  it('warns about one trailing LF', () => {
    expect(secretProblem(Buffer.from('s3cret\n'))).toEqual({ severity: 'warning', message: expect.stringContaining('ends with a line break') });
  });

  it.each([
    ['', 'is empty'],
    ['\n', 'is empty'],
    ['   \n', 'is empty'],
    ['s3cret\r\n', 'carriage return'],
    ['s3cret\r', 'carriage return'],
    ['line1\nline2', 'more than one line'],
    ['s3cret\n\n', 'more than one line'],
  ])('refuses %j: %s', (content, problem) => {
    expect(secretProblem(Buffer.from(content))).toEqual({ severity: 'error', message: expect.stringContaining(problem) });
  });

  it('reports a missing file', () => {
    expect(secretProblem(null)).toEqual({ severity: 'error', message: expect.stringMatching(/does not exist/) });
  });
});

describe('checkSecretFiles', () => {
  const root = mkdtempSync(join(tmpdir(), 'sy-secrets-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  mkdirSync(join(root, 'secrets'));
  writeFileSync(join(root, 'secrets/gateway-admin-password'), 'correct horse\n');
  writeFileSync(join(root, 'secrets/license-key'), '');
  writeFileSync(join(root, 'secrets/db-password'), 'TopSecretValue\r\n');

  it('names the field and file of each bad secret, never its content', async () => {
    const stack = parseStack({
      gateways: [{
        name: 'plant', version: '8.3.4',
        secrets: { adminPassword: 'secrets/gateway-admin-password', licenseKey: 'secrets/license-key', encodingKey: 'secrets/encoding-key' },
      }],
      containers: [{ name: 'db', image: 'postgres:16', secrets: { POSTGRES_PASSWORD: 'secrets/db-password' } }],
    });
    const { errors, warnings } = await checkSecretFiles(stack, root);
    expect(warnings).toEqual([{ path: 'gateways[0].secrets.adminPassword', message: expect.stringContaining('ends with a line break') }]);
    expect(errors).toEqual([
      { path: 'gateways[0].secrets.licenseKey', message: expect.stringMatching(/^secrets\/license-key is empty/) },
      { path: 'gateways[0].secrets.encodingKey', message: expect.stringMatching(/^secrets\/encoding-key does not exist/) },
      { path: 'containers[0].secrets.POSTGRES_PASSWORD', message: expect.stringContaining('carriage return') },
    ]);
    expect(JSON.stringify([errors, warnings])).not.toMatch(/TopSecretValue|correct horse/);
  });
});
