/** Reading a module (.modl): identity from module.xml, and whether it can run on the target gateway. */
import {
  compareVersions,
  formatVersion,
  sameMajorLine,
  tryParseIgnitionVersion,
  versionLine,
  type IgnitionVersion,
} from '../version';
import { parseModuleXml } from '../artifacts/descriptors';
import { foundFile, withMetadataDocument, type LocatedFile, type MetadataDocument } from './archive';
import type { ProblemLog } from './problems';
import type { ModuleFile } from './types';

const MODULE_XML: MetadataDocument = { entry: 'module.xml', missing: 'module-xml-missing', invalid: 'module-xml-invalid' };

export async function readModuleFile(
  file: LocatedFile,
  log: ProblemLog,
  target: IgnitionVersion | undefined,
): Promise<ModuleFile | undefined> {
  return withMetadataDocument(file, log, MODULE_XML, (text, zip) => {
    const { depends, license: _license, ...descriptor } = parseModuleXml(text);
    if (!checkCompatibility(file, log, descriptor.requiredIgnitionVersion, target)) return undefined;
    return {
      ...foundFile(file),
      ...descriptor,
      depends: depends.map((dependency) => dependency.moduleId),
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
  // parseModuleXml has refused an unreadable requirement already.
  const parsed = required === undefined ? undefined : tryParseIgnitionVersion(required);
  if (!parsed || !target) return true;
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
