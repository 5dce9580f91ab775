/**
 * The small metadata documents inside Ignition files, parsed from text with no file or archive attached, so the
 * local bundle scan (lib/bundle) and the artifact store's inspection (inspect.ts) read them the same way.
 */
import { tryParseIgnitionVersion, type IgnitionVersion } from '../version';
import { childElement, childText, parseXml, XmlError, type XmlElement } from './xml';

/** A metadata document is missing a field or cannot be read; the message names the document and the field. */
export class MetadataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MetadataError';
  }
}

/** Text taken from inside an uploaded file, made safe for one-line messages. */
export function quoteUntrusted(text: string): string {
  return JSON.stringify(text.length > 120 ? `${text.slice(0, 120)}...` : text);
}

function parseDocument(entry: string, text: string): XmlElement {
  try {
    return parseXml(text);
  } catch (error) {
    if (error instanceof XmlError) throw new MetadataError(`${entry}: ${error.message}`);
    throw error;
  }
}

export interface ModuleDependency {
  moduleId: string;
  /** Scope letters (G gateway, D designer, C client), null when unstated. */
  scope: string | null;
}

export interface ModuleDescriptor {
  id: string;
  name: string;
  version: string;
  requiredIgnitionVersion?: string;
  requiredFrameworkVersion?: string;
  /** The `<license>` element: the name of the licence document inside the module. */
  license?: string;
  depends: ModuleDependency[];
}

/** module.xml: `<modules><module>` (or a bare `<module>`) with id, name and version required. */
export function parseModuleXml(text: string): ModuleDescriptor {
  const root = parseDocument('module.xml', text);
  const moduleElement = root.name === 'module' ? root : childElement(root, 'module');
  if (!moduleElement) throw new MetadataError('module.xml has no <module> element');
  const id = childText(moduleElement, 'id');
  const name = childText(moduleElement, 'name');
  const version = childText(moduleElement, 'version');
  if (!id || !name || !version) {
    const missing = !id ? 'id' : !name ? 'name' : 'version';
    throw new MetadataError(`module.xml has no <${missing}>; the module file is incomplete`);
  }
  const requiredIgnitionVersion = childText(moduleElement, 'requiredIgnitionVersion');
  if (requiredIgnitionVersion !== undefined && !tryParseIgnitionVersion(requiredIgnitionVersion)) {
    throw new MetadataError(`module.xml has an unreadable requiredIgnitionVersion ${quoteUntrusted(requiredIgnitionVersion)}`);
  }
  const requiredFrameworkVersion = childText(moduleElement, 'requiredFrameworkVersion');
  const license = childText(moduleElement, 'license');
  const depends = moduleElement.children
    .filter((child) => child.name === 'depends' && child.text.trim() !== '')
    .map((child) => ({ moduleId: child.text.trim(), scope: child.attributes.scope?.trim() || null }));
  return {
    id,
    name,
    version,
    ...(requiredIgnitionVersion ? { requiredIgnitionVersion } : {}),
    ...(requiredFrameworkVersion ? { requiredFrameworkVersion } : {}),
    ...(license ? { license } : {}),
    depends,
  };
}

export interface BackupInfo {
  version: IgnitionVersion;
  /** As written (standard, edge, maker...); undefined when blank. */
  edition?: string;
}

/** backupinfo.xml at the root of a .gwbk: the version (required) and edition of the gateway that wrote it. */
export function parseBackupInfo(text: string): BackupInfo {
  const info = parseDocument('backupinfo.xml', text);
  const versionText = childText(info, 'version');
  if (!versionText) throw new MetadataError('backupinfo.xml has no <version>');
  const version = tryParseIgnitionVersion(versionText);
  if (!version) throw new MetadataError(`backupinfo.xml has an unreadable version ${quoteUntrusted(versionText)}`);
  const edition = childText(info, 'edition');
  return { version, ...(edition ? { edition } : {}) };
}

export const DRIVER_SERVICE_FILE = 'META-INF/services/java.sql.Driver';
const JAVA_CLASS_NAME = /^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*$/;

/** Class names from a service file: `#` starts a comment, blank lines are ignored, duplicates dropped. */
export function parseDriverServiceFile(text: string): { classes: string[]; invalid: string[] } {
  const classes: string[] = [];
  const invalid: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    const entry = (line.split('#')[0] ?? '').trim();
    if (entry === '') continue;
    if (!JAVA_CLASS_NAME.test(entry)) invalid.push(entry);
    else if (!classes.includes(entry)) classes.push(entry);
  }
  return { classes, invalid };
}
