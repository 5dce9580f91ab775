/** Reading a module (.modl): identity from module.xml, and whether it can run on the target gateway. */
import {
  compareVersions,
  formatVersion,
  sameMajorLine,
  tryParseIgnitionVersion,
  versionLine,
  type IgnitionVersion,
} from '../version';
import { foundFile, withXmlMetadata, type LocatedFile, type MetadataDocument } from './archive';
import { quoteUntrusted, type ProblemLog } from './problems';
import type { ModuleFile } from './types';
import { childElement, childText } from './xml';

const INVALID = 'module-xml-invalid';
const MODULE_XML: MetadataDocument = { entry: 'module.xml', missing: 'module-xml-missing', invalid: INVALID };

export async function readModuleFile(
  file: LocatedFile,
  log: ProblemLog,
  target: IgnitionVersion | undefined,
): Promise<ModuleFile | undefined> {
  return withXmlMetadata(file, log, MODULE_XML, (root, zip) => {
    const moduleElement = root.name === 'module' ? root : childElement(root, 'module');
    if (!moduleElement) return log.error(file.path, INVALID, 'module.xml has no <module> element');
    const id = childText(moduleElement, 'id');
    const name = childText(moduleElement, 'name');
    const version = childText(moduleElement, 'version');
    if (!id || !name || !version) {
      const missing = !id ? 'id' : !name ? 'name' : 'version';
      return log.error(file.path, INVALID, `module.xml has no <${missing}>; the module file is incomplete`);
    }
    const requiredIgnitionVersion = childText(moduleElement, 'requiredIgnitionVersion');
    const requiredFrameworkVersion = childText(moduleElement, 'requiredFrameworkVersion');
    if (!checkCompatibility(file, log, requiredIgnitionVersion, target)) return undefined;
    return {
      ...foundFile(file),
      id,
      name,
      version,
      ...(requiredIgnitionVersion ? { requiredIgnitionVersion } : {}),
      ...(requiredFrameworkVersion ? { requiredFrameworkVersion } : {}),
      depends: moduleElement.children
        .filter((child) => child.name === 'depends')
        .map((child) => child.text.trim())
        .filter(Boolean),
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
