/**
 * Every good example renders byte for byte to its golden Compose file, and every golden file is valid
 * against the Compose Specification schema. UPDATE_GOLDEN=1 rewrites the golden files.
 * Every broken example fails with the field path it is broken at.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SpecError, parseSpecYaml, planStack, renderCompose, validateComposeDocument } from '../../lib/gateway';

const examplesDir = join(import.meta.dirname, '../../examples');
const goldenDir = import.meta.dirname;
const good = readdirSync(examplesDir).filter((file) => file.endsWith('.yaml'));
const broken = readdirSync(join(examplesDir, 'broken')).filter((file) => file.endsWith('.yaml'));

/** Renders an example as `switchyard compose render examples/<name>.yaml` does: project name = file name. */
export function renderExample(file: string): string {
  const stack = parseSpecYaml(readFileSync(join(examplesDir, file), 'utf8'));
  const plan = planStack(stack, { projectRoot: examplesDir, scope: { kind: 'project', project: file.replace(/\.yaml$/, '') } });
  return renderCompose(plan);
}

describe('golden Compose files', () => {
  it('covers at least the four documented examples', () => {
    expect(good).toEqual(expect.arrayContaining(['gateway-81.yaml', 'gateway-83-full.yaml', 'redundant-pair.yaml', 'frontend-backend.yaml']));
  });

  it.each(good)('%s renders byte for byte to its golden file', (file) => {
    const golden = join(goldenDir, file.replace(/\.yaml$/, '.compose.yaml'));
    const rendered = renderExample(file);
    if (process.env.UPDATE_GOLDEN === '1') writeFileSync(golden, rendered);
    expect(rendered).toBe(readFileSync(golden, 'utf8'));
  });

  it.each(good)('the golden file of %s is valid Compose', (file) => {
    const golden = readFileSync(join(goldenDir, file.replace(/\.yaml$/, '.compose.yaml')), 'utf8');
    expect(validateComposeDocument(golden)).toEqual([]);
  });

  it('the schema check is not a rubber stamp', () => {
    const golden = readFileSync(join(goldenDir, 'gateway-81.compose.yaml'), 'utf8');
    expect(validateComposeDocument(golden.replace('container_name:', 'container_nam:'))).toEqual([
      expect.stringContaining('must NOT have additional properties "container_nam"'),
    ]);
    expect(validateComposeDocument(golden.replace('interval: "10s"', 'interval: "ten seconds"')).join()).toMatch(/healthcheck.interval: must match format "duration"/);
    expect(validateComposeDocument({ name: 'Has Spaces', services: {} }).join()).toMatch(/name: must match pattern/);
  });
});

const EXPECTED_FAILURES: Record<string, string> = {
  'bad-version.yaml': 'version',
  'deployment-mode-on-81.yaml': 'deploymentMode',
  'duplicate-names.yaml': 'gateways[1].name',
  'heap-above-memory.yaml': 'heap',
  'host-port-twice.yaml': 'gateways[1].ports.http',
  'memory-below-minimum.yaml': 'memory',
  'option-too-new.yaml': 'modules.accept',
  'plain-and-file.yaml': 'environment.GATEWAY_RESTORE_DISABLED_FILE',
  'secret-as-value.yaml': 'environment.GATEWAY_ADMIN_PASSWORD',
  'secret-outside-secrets.yaml': 'secrets.adminPassword',
  'unknown-key.yaml': 'memroy',
  'unknown-peer.yaml': 'gateways[0].gatewayNetwork.connections[0].gateway',
  'unsupported-version.yaml': 'version',
};

describe('broken examples', () => {
  it('each broken example has an expected failure', () => {
    expect(broken.sort()).toEqual(Object.keys(EXPECTED_FAILURES).sort());
  });

  it.each(broken)('%s fails at exactly one field', (file) => {
    let error: unknown;
    try {
      parseSpecYaml(readFileSync(join(examplesDir, 'broken', file), 'utf8'));
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(SpecError);
    expect((error as SpecError).issues.map((issue) => issue.path)).toEqual([EXPECTED_FAILURES[file]]);
  });
});
