export * from './constants';
export { PathError, printablePath } from './errors';
export {
  assertCleanCharacters,
  assertLength,
  assertNoReservedNames,
  assertNotUnc,
  isUncPath,
  MAX_COMPONENT_BYTES,
  MAX_PATH_BYTES,
  WINDOWS_MAX_PATH,
  windowsReservedName,
  type LengthRules,
} from './checks';
export {
  classifyHostPlatform,
  detectHostPlatform,
  HOST_PLATFORMS,
  isWindowsDrivePath,
  toDockerHostPath,
  windowsToDockerDesktopPath,
  windowsToWslPath,
  wslToWindowsPath,
  type HostPathOptions,
  type HostPlatform,
} from './host-path';
export {
  isInside,
  resolveSpecPath,
  validateRelativeSpecPath,
  verifyBindSource,
  type ResolvedSpecPath,
  type ResolveOptions,
} from './validate';
export { findProjectRoot, type ProjectRoot, type ProjectRootOptions } from './project-root';
export { formatHostDirReport, prepareHostDirectories } from './host-dirs';
export {
  DEFAULT_DIR_MODE,
  directoryModeFor,
  octal,
  SECRET_FILE_MODE,
  SECRETS_DIR_MODE,
  type CreatedPath,
  type ExistingPath,
  type HostDirKind,
  type HostDirReport,
  type HostDirRequest,
  type HostPathProblem,
  type HostPathProblemCode,
  type PrepareOptions,
} from './host-dirs-types';
export { writeSecretFile, type SecretWriteOptions } from './secret-file';
