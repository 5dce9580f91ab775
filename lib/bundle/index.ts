export { scanBundle } from './scan';
export { parseDriverServiceFile } from './jdbc';
export { parseXml, childElement, childText, XmlError, type XmlElement } from './xml';
export { sha256File } from './hash';
export type {
  BackupFile,
  BundleProblem,
  BundleProblemCode,
  BundleScan,
  FoundFile,
  JdbcJarFile,
  ModuleFile,
  ScanOptions,
  SecretFile,
} from './types';
