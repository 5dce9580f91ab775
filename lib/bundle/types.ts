import type { SecretName } from '../paths/constants';

/** Common to every file found in a project. */
export interface FoundFile {
  /** Path relative to the project root, with `/` separators, e.g. `modules/vendor.modl`. */
  path: string;
  sizeBytes: number;
  /** Lower-case hex SHA-256 of the file's bytes. */
  sha256: string;
}

export interface ModuleFile extends FoundFile {
  id: string;
  name: string;
  version: string;
  requiredIgnitionVersion?: string;
  requiredFrameworkVersion?: string;
  /** Module ids it depends on (`<depends>`). */
  depends: string[];
  /** The archive carries a signature (`signatures.properties`); unsigned modules need developer mode. */
  signed: boolean;
}

export interface JdbcJarFile extends FoundFile {
  /** Driver classes from META-INF/services/java.sql.Driver; empty for a helper jar (reported as a warning). */
  driverClasses: string[];
}

export interface BackupFile extends FoundFile {
  /** Gateway version that wrote the backup, build stamp dropped, e.g. `8.1.33`. */
  version: string;
  /** As written in backupinfo.xml (standard, edge, maker...); undefined when blank. */
  edition?: string;
}

/** A secret file: name and size only. No hash either: a hash of a short password can be guessed offline. */
export interface SecretFile {
  path: string;
  name: SecretName;
  sizeBytes: number;
}

export type BundleProblemCode =
  | 'unreadable'
  | 'not-a-zip'
  | 'module-xml-missing'
  | 'module-xml-invalid'
  | 'module-incompatible'
  | 'jdbc-no-driver'
  | 'jdbc-bad-service-line'
  | 'backupinfo-missing'
  | 'backupinfo-invalid'
  | 'backup-newer-than-gateway'
  | 'secret-empty'
  | 'secret-trailing-newline'
  | 'secret-unknown'
  | 'unexpected-file'
  | 'unsafe-path'
  | 'unsafe-archive'
  | 'duplicate-module';

export interface BundleProblem {
  /** Project-relative path of the file concerned. */
  path: string;
  code: BundleProblemCode;
  /** `error`: the file is left out of the scan's lists. `warning`: it is listed, but look at it. */
  severity: 'error' | 'warning';
  message: string;
}

export interface BundleScan {
  /** Real path of the scanned project root. */
  root: string;
  targetVersion?: string;
  licenses: FoundFile[];
  modules: ModuleFile[];
  jdbcDrivers: JdbcJarFile[];
  backups: BackupFile[];
  secrets: SecretFile[];
  problems: BundleProblem[];
}

export interface ScanOptions {
  /** Gateway version the bundle is for; enables the module-line and backup-version checks. */
  targetVersion?: string;
}
