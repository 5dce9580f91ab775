export { scanBundle } from './scan';
export { parseDriverServiceFile } from '../artifacts/descriptors';
export { parseXml, childElement, childText, XmlError, type XmlElement } from '../artifacts/xml';
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
