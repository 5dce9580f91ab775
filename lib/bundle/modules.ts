/** Reading a module (.modl): identity from module.xml, and whether it can run on the target gateway. */
import {
  compareVersions,
  formatVersion,
  sameMajorLine,
  tryParseIgnitionVersion,
  versionLine,
  type IgnitionVersion,
} from '../version';
import { foundFile, readXmlEntry, withArchive, type LocatedFile } from './archive';
import { quoteUntrusted, type ProblemLog } from './problems';
import type { ModuleFile } from './types';
import { childElement, childText } from './xml';

const INVALID = 'module-xml-invalid';

export async function readModuleFile(
  file: LocatedFile,
  log: ProblemLog,
  target: IgnitionVersion | undefined,
): Promise<ModuleFile | undefined> {
  return withArchive(file, log, async (zip) => {
    const root = await readXmlEntry(zip, 'module.xml', file, log, { missing: 'module-xml-missing', invalid: INVALID });
    if (!root) return undefined;
    const module = root.name === 'module' ? root : childElement(root, 'module');
    if (!module) return log.error(file.path, INVALID, 'module.xml has no <module> element');
    const id = childText(module, 'id');
    const name = childText(module, 'name');
    const version = childText(module, 'version');
    if (!id || !name || !version) {
      const missing = !id ? 'id' : !name ? 'name' : 'version';
      return log.error(file.path, INVALID, `module.xml has no <${missing}>; the module file is incomplete`);
    }
    const requiredIgnitionVersion = childText(module, 'requiredIgnitionVersion');
    const requiredFrameworkVersion = childText(module, 'requiredFrameworkVersion');
    if (!checkCompatibility(file, log, requiredIgnitionVersion, target)) return undefined;
    return {
      ...foundFile(file),
      id,
      name,
      version,
      ...(requiredIgnitionVersion ? { requiredIgnitionVersion } : {}),
      ...(requiredFrameworkVersion ? { requiredFrameworkVersion } : {}),
      depends: module.children.filter((child) => child.name === 'depends').map((child) => child.text.trim()).filter(Boolean),
      signed: zip.has('signatures.properties'),
    };
  });
}

/** False (with an error logged) when the module cannot load on the target gateway. */
function checkCompatibility(
  file: LocatedFile,
  log: ProblemLog,
  required: string | undefined,
  target: IgnitionVersion | undefined,
): boolean {
  if (required === undefined) return true;
  const parsed = tryParseIgnitionVersion(required);
  if (!parsed) {
    log.error(file.path, INVALID, `module.xml has an unreadable requiredIgnitionVersion ${quoteUntrusted(required)}`);
    return false;
  }
  if (!target) return true;
  if (!sameMajorLine(parsed, target)) {
    log.error(
      file.path,
      'module-incompatible',
      `built for Ignition ${versionLine(parsed)} (requires ${formatVersion(parsed)}) but the gateway is ` +
        `${formatVersion(target)}; get the ${versionLine(target)} build of this module from its vendor`,
    );
    return false;
  }
  if (compareVersions(parsed, target) > 0) {
    log.error(
      file.path,
      'module-incompatible',
      `requires Ignition ${formatVersion(parsed)} but the gateway is ${formatVersion(target)}; ` +
        'upgrade the gateway or use an older build of the module',
    );
    return false;
  }
  return true;
}
