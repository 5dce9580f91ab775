// Third-party modules: every .modl in user-lib/modules, read from its module.xml. In 8.3 a module runs only
// when its id is in both ACCEPT_MODULE_LICENSES and ACCEPT_MODULE_CERTS; otherwise it is quarantined.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { compareVersions, tagText } from './text.mjs';
import { readZip } from './zip.mjs';

/**
 * @param {{ modulesDir: string, gatewayVersion: string, acceptedLicenses: Set<string>, acceptedCerts: Set<string> }} options
 * @returns {{ file: string, id?: string, name?: string, version?: string, state: 'healthy' | 'quarantined', reasons: string[] }[]}
 */
export function scanModules({ modulesDir, gatewayVersion, acceptedLicenses, acceptedCerts }) {
  let files;
  try {
    files = readdirSync(modulesDir).filter((f) => f.endsWith('.modl')).sort();
  } catch {
    return [];
  }
  return files.map((file) => {
    const { fields, problem } = describeModule(join(modulesDir, file));
    const reasons = problem ? [problem] : trustProblems(fields, gatewayVersion, acceptedLicenses, acceptedCerts);
    return { file, ...fields, state: reasons.length === 0 ? 'healthy' : 'quarantined', reasons };
  });
}

function describeModule(path) {
  let xml;
  try {
    xml = readZip(readFileSync(path)).get('module.xml')?.toString('utf8');
  } catch (cause) {
    return { fields: {}, problem: `not a readable module file: ${cause.message}` };
  }
  if (xml === undefined) return { fields: {}, problem: 'no module.xml inside the .modl' };
  const fields = {
    id: tagText(xml, 'id'),
    name: tagText(xml, 'name'),
    version: tagText(xml, 'version'),
    requiredIgnitionVersion: tagText(xml, 'requiredIgnitionVersion'),
  };
  return { fields, problem: fields.id ? undefined : 'module.xml has no <id>' };
}

function trustProblems(moduleFields, gatewayVersion, acceptedLicenses, acceptedCerts) {
  const { id, requiredIgnitionVersion: required } = moduleFields;
  const problems = [];
  if (required && compareVersions(required, gatewayVersion) > 0) {
    problems.push(`requires Ignition ${required}; this gateway runs ${gatewayVersion}`);
  }
  if (compareVersions(gatewayVersion, '8.3') < 0) return problems;
  if (required && compareVersions(required, '8.3') < 0) {
    problems.push(`built for Ignition ${required}; 8.3 needs the vendor's 8.3 build of this module`);
  }
  if (!acceptedLicenses.has(id)) problems.push(`licence not accepted: add ${id} to ACCEPT_MODULE_LICENSES`);
  if (!acceptedCerts.has(id)) problems.push(`certificate not accepted: add ${id} to ACCEPT_MODULE_CERTS`);
  return problems;
}
