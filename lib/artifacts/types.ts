/** What inspection records about each kind of artifact: plain JSON, stored beside the version. */
import type { ModuleDependency } from './descriptors';

/** One resource folder of a project (the folder holding resource.json). */
export interface ProjectResource {
  /** Folder path relative to the project root, e.g. `com.inductiveautomation.perspective/views/Main/Home`. */
  path: string;
  moduleId: string;
  typeId: string;
  /** resource.json sits directly in `<moduleId>/<typeId>/`. */
  singleton: boolean;
  /** Files in the folder, resource.json included. */
  files: number;
  /** SHA-256 over the folder's sorted `name NUL sha256 LF` lines (names relative to the folder). */
  sha256: string;
}

export interface ProjectMetadata {
  kind: 'project';
  sizeBytes: number;
  /** From project.json; null when absent. A project's name is not in the export (it is the import's choice). */
  title: string | null;
  description: string | null;
  /** Parent project name; null when absent or blank. */
  parent: string | null;
  enabled: boolean | null;
  inheritable: boolean | null;
  /** The single top-level folder the export sat in (`MyProject/`), or null when project.json is at the root. */
  rootFolder: string | null;
  /** Sorted by path. */
  resources: ProjectResource[];
  /** Resources per module id, and per `<moduleId>/<typeId>`. */
  counts: { byModule: Record<string, number>; byType: Record<string, number> };
  /** Files outside every resource folder (project.json not counted). */
  otherFiles: number;
}

export interface BackupMetadata {
  kind: 'backup';
  sizeBytes: number;
  /** Gateway version that wrote it, build stamp dropped, e.g. `8.3.4`. */
  version: string;
  edition: string | null;
  /** Gateway (system) name, null when the backup holds it only in its SQLite database (8.1). */
  gatewayName: string | null;
  /** Where gatewayName was read, null when unknown. */
  gatewayNameSource: 'system-properties' | null;
  /** redundancy.xml's `redundancy.noderole` (Independent, Master, Backup), null when absent. */
  redundancyRole: string | null;
  /** Names of the folders under projects/ that hold a project.json, sorted. */
  projects: string[];
}

export interface ModuleMetadata {
  kind: 'module';
  sizeBytes: number;
  id: string;
  name: string;
  version: string;
  requiredIgnitionVersion: string | null;
  requiredFrameworkVersion: string | null;
  /** module.xml's `<license>`: the licence document's name inside the module. */
  licence: string | null;
  dependencies: ModuleDependency[];
  /** Carries signatures.properties; unsigned modules load only in developer mode. */
  signed: boolean;
}

export interface JdbcDriverMetadata {
  kind: 'jdbc-driver';
  sizeBytes: number;
  driverClasses: string[];
  /** Where the classes came from: the java.sql.Driver service file, or class entries named *Driver.class. */
  driverClassesFrom: 'service-file' | 'class-names';
  /** From META-INF/MANIFEST.MF, null when absent. */
  implementationTitle: string | null;
  implementationVersion: string | null;
}

/** Nothing of a licence's content is kept: keys may be sensitive. */
export interface LicenceMetadata {
  kind: 'licence';
  sizeBytes: number;
  lines: number;
}

export interface OtherMetadata {
  kind: 'other';
  sizeBytes: number;
  /** Entry count when the file is a zip, else null. */
  zipEntries: number | null;
}

export type ArtifactMetadata =
  | ProjectMetadata
  | BackupMetadata
  | ModuleMetadata
  | JdbcDriverMetadata
  | LicenceMetadata
  | OtherMetadata;
