/**
 * Every fixed path Switchyard knows, in one place: inside the Ignition container, and in a local project.
 * Other modules import these instead of spelling paths themselves.
 */

// ---- inside the container (official image layout) ----
export const IGNITION_HOME = '/usr/local/bin/ignition';
/** The gateway's data folder; the named data volume is mounted here. */
export const IGNITION_DATA_DIR = `${IGNITION_HOME}/data`;
/** Third-party modules (.modl) are picked up from here. */
export const IGNITION_MODULES_DIR = `${IGNITION_HOME}/user-lib/modules`;
/** Where 8.1 gateways keep uploaded JDBC driver jars (unconfirmed for mounted jars: keep it configurable). */
export const IGNITION_JDBC_DIR_81 = `${IGNITION_HOME}/user-lib/jdbc`;
/** Where 8.3 keeps JDBC drivers as config resources (unconfirmed for mounted jars: keep it configurable). */
export const IGNITION_JDBC_DIR_83 = `${IGNITION_DATA_DIR}/config/resources/core/ignition/database-driver`;
/** Seeding marker the Helm chart writes once an empty data volume has been filled from the image. */
export const IGNITION_SEED_MARKER = `${IGNITION_DATA_DIR}/.ignition-seed-complete`;
/** Secret files are mounted here and read through `<VAR>_FILE` environment variables. */
export const CONTAINER_SECRETS_DIR = '/run/secrets/ignition';
/** Switchyard's own mount points for backups to restore (`-r`) and licence files. Our choice, not the image's. */
export const CONTAINER_RESTORE_DIR = '/restore';
export const CONTAINER_LICENSES_DIR = '/licenses';

/** The official image and the Helm chart run the gateway as this non-root user and group. */
export const GATEWAY_UID = 2003;
export const GATEWAY_GID = 2003;

// ---- a local project ----
/** The project marker and spec file; its folder is the project root. */
export const PROJECT_MARKER = 'switchyard.yaml';

/** Folder names inside a project, relative to its root. */
export const PROJECT_DIRS = Object.freeze({
  data: 'data',
  modules: 'modules',
  jdbc: 'jdbc',
  backups: 'backups',
  licenses: 'licenses',
  secrets: 'secrets',
} as const);

export type ProjectDirKind = keyof typeof PROJECT_DIRS;

/** Secret file names recognised in `secrets/`; each becomes `/run/secrets/ignition/<name>` in the container. */
export const SECRET_NAMES = Object.freeze([
  'gateway-admin-password',
  'license-key',
  'activation-token',
  'encoding-key',
] as const);

export type SecretName = (typeof SECRET_NAMES)[number];

export function isSecretName(name: string): name is SecretName {
  return (SECRET_NAMES as readonly string[]).includes(name);
}

/** Container path of a mounted secret, e.g. `/run/secrets/ignition/gateway-admin-password`. */
export function containerSecretPath(name: SecretName): string {
  return `${CONTAINER_SECRETS_DIR}/${name}`;
}

/** Container path of a module file mounted by its base name. */
export function containerModulePath(fileName: string): string {
  return `${IGNITION_MODULES_DIR}/${fileName}`;
}

/** Container path of a backup mounted for restore, as passed to `-r`. */
export function containerRestorePath(fileName: string): string {
  return `${CONTAINER_RESTORE_DIR}/${fileName}`;
}
