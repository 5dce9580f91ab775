import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { containerName, dnsName, memberKey, networkName, ownerLabels, slugify, type NamingScope } from './naming';

// A DNS label (RFC 1123) is also a valid Docker container name ([a-zA-Z0-9][a-zA-Z0-9_.-]*).
const DNS_LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
const anyPart = fc.oneof(fc.string({ maxLength: 80 }), fc.string({ unit: 'grapheme', maxLength: 30 }), fc.stringMatching(/^[a-z0-9-]{1,70}$/));

describe('dnsName', () => {
  it('keeps short plain parts readable', () => {
    expect(dnsName(['acme', 'plant1', 'dev'])).toBe('sy-acme-plant1-dev');
  });

  it('appends a hash when a part has a dash, so the joined name cannot be ambiguous', () => {
    const a = dnsName(['a-b', 'c']);
    const b = dnsName(['a', 'b-c']);
    expect(a).toMatch(/^sy-a-b-c-[0-9a-f]{8}$/);
    expect(b).toMatch(/^sy-a-b-c-[0-9a-f]{8}$/);
    expect(a).not.toBe(b);
  });

  it('folds accents and drops quotes, and hashes what it lost', () => {
    expect(dnsName(['Usine "Élan" Nord'])).toMatch(/^sy-usine-elan-nord-[0-9a-f]{8}$/);
    expect(dnsName(['\u{1F3ED}'])).toMatch(/^sy-x-[0-9a-f]{8}$/);
  });

  it('shortens very long names to 63 characters with a hash suffix', () => {
    const long = 'a'.repeat(200);
    const name = dnsName([long, 'gateway']);
    expect(name).toHaveLength(63);
    expect(name).toMatch(/^sy-a+-[0-9a-f]{8}$/);
    expect(dnsName([long, 'gateway2'])).not.toBe(name);
  });

  it('never produces a name that DNS or Docker would refuse', () => {
    fc.assert(
      fc.property(fc.array(anyPart, { minLength: 1, maxLength: 4 }), (parts) => {
        const name = dnsName(parts);
        expect(name).toMatch(DNS_LABEL);
        expect(name.length).toBeLessThanOrEqual(63);
      }),
      { numRuns: 2000 },
    );
  });

  it('gives distinct names to distinct inputs', () => {
    fc.assert(
      fc.property(fc.array(anyPart, { minLength: 2, maxLength: 3 }), fc.array(anyPart, { minLength: 2, maxLength: 3 }), (a, b) => {
        fc.pre(JSON.stringify(a) !== JSON.stringify(b));
        expect(dnsName(a)).not.toBe(dnsName(b));
      }),
      { numRuns: 2000 },
    );
    // The classic near misses, which random strings rarely hit.
    const nearMisses = [['ab', 'c'], ['a', 'bc'], ['a-b', 'c'], ['a', 'b-c'], ['A', 'b'], ['a', 'b'], ['a b', 'c'], ['a', 'b', 'c'], ['é', 'x'], ['e', 'x'], ['', 'x'], ['x', '']];
    const names = nearMisses.map(dnsName);
    expect(new Set(names).size).toBe(nearMisses.length);
  });
});

describe('memberKey and slugify', () => {
  it('keeps clean names and hashes the rest', () => {
    expect(memberKey('frontend')).toBe('frontend');
    expect(memberKey('front-end')).toBe('front-end');
    expect(memberKey('Front End')).toMatch(/^front-end-[0-9a-f]{8}$/);
    expect(slugify(' Ünïcode -- "quoted" ')).toBe('unicode-quoted');
  });

  it('is a valid, distinct Compose service key for every name', () => {
    fc.assert(
      fc.property(anyPart, anyPart, (a, b) => {
        expect(memberKey(a)).toMatch(/^[a-z0-9][a-z0-9-]*$/);
        if (a !== b) expect(memberKey(a)).not.toBe(memberKey(b));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('scoped names and labels', () => {
  const environment: NamingScope = { kind: 'environment', tenant: 'acme', site: 'dallas', environment: 'prod' };
  const project: NamingScope = { kind: 'project', project: 'demo' };

  it('names a control-plane environment sy-<tenant>-<site>-<env>, with one network per site', () => {
    expect(containerName(environment, 'plant', 1)).toBe('sy-acme-dallas-prod');
    expect(containerName(environment, 'db', 2)).toBe('sy-acme-dallas-prod-db');
    expect(networkName(environment)).toBe('sy-acme-dallas');
    expect(networkName({ ...environment, environment: 'dev' })).toBe('sy-acme-dallas');
  });

  it('names a local project sy-<project>-<gateway>', () => {
    expect(containerName(project, 'plant', 1)).toBe('sy-demo-plant');
    expect(networkName(project)).toBe('sy-demo');
  });

  it('labels the owner', () => {
    expect(ownerLabels(environment)).toEqual({
      'io.switchyard.managed-by': 'switchyard',
      'io.switchyard.tenant': 'acme',
      'io.switchyard.site': 'dallas',
      'io.switchyard.environment': 'prod',
    });
    expect(ownerLabels(environment, 'site')).not.toHaveProperty('io.switchyard.environment');
    expect(ownerLabels(project)).toEqual({ 'io.switchyard.managed-by': 'switchyard', 'io.switchyard.project': 'demo' });
  });
});
