export { inspectArtifact, type ArtifactSource, type InspectOptions } from './inspect';
export { diffProjects, PROJECT_FIELDS, type ProjectDiff, type ProjectField, type ProjectFieldChange } from './diff';
export { ArtifactRejected, type ArtifactRejectionCode } from './errors';
export { findProjectRoot, guessKind } from './detect';
export {
  ARTIFACT_CONTENT_TYPES,
  ARTIFACT_EXTENSIONS,
  ARTIFACT_KIND_NOUNS,
  ARTIFACT_KINDS,
  ARTIFACT_SIZE_LIMITS,
  ARTIFACT_ZIP_LIMITS,
  hasExpectedExtension,
  isArtifactKind,
  type ArtifactKind,
} from './kinds';
export {
  DRIVER_SERVICE_FILE,
  MetadataError,
  parseBackupInfo,
  parseDriverServiceFile,
  parseModuleXml,
  type BackupInfo,
  type ModuleDependency,
  type ModuleDescriptor,
} from './descriptors';
export type {
  ArtifactMetadata,
  BackupMetadata,
  JdbcDriverMetadata,
  LicenceMetadata,
  ModuleMetadata,
  OtherMetadata,
  ProjectMetadata,
  ProjectResource,
} from './types';
