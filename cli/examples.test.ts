/** Every shipped example validates and renders; every broken example is refused with the offending field named. */
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { main } from './main';

async function run(args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(args, { out: (t) => { stdout += t; }, err: (t) => { stderr += t; } });
  return { code, stdout, stderr };
}

const good = readdirSync('examples').filter((f) => f.endsWith('.yaml'));
const broken = readdirSync('examples/broken').filter((f) => f.endsWith('.yaml'));

describe('shipped examples', () => {
  it('has examples of both kinds', () => {
    expect(good.length).toBeGreaterThanOrEqual(4);
    expect(broken.length).toBeGreaterThanOrEqual(8);
  });

  it.each(good)('%s validates cleanly and renders a Compose file', async (file) => {
    const validated = await run(['compose', 'validate', `examples/${file}`]);
    expect(validated).toMatchObject({ code: 0, stderr: '' });
    expect(validated.stdout).toMatch(/^valid: /);
    const rendered = await run(['compose', 'render', `examples/${file}`]);
    expect(rendered.code).toBe(0);
    expect(rendered.stdout).toMatch(/^services:$/m);
  });

  it.each(broken)('broken/%s is refused, naming the field', async (file) => {
    const result = await run(['compose', 'validate', `examples/broken/${file}`]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    // The first problem line starts with the field path, e.g. "  gateways[1].name: ...".
    expect(result.stderr).toMatch(/is invalid:\n {2}[A-Za-z_][\w.[\]-]*: \S/);
  });
});
