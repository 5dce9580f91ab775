/** Reading a gateway backup (.gwbk): the version and edition that wrote it, from backupinfo.xml. */
import { parseBackupInfo } from '../artifacts/descriptors';
import { compareVersions, formatVersion, type IgnitionVersion } from '../version';
import { foundFile, withMetadataDocument, type LocatedFile, type MetadataDocument } from './archive';
import type { ProblemLog } from './problems';
import type { BackupFile } from './types';

const BACKUP_INFO: MetadataDocument = { entry: 'backupinfo.xml', missing: 'backupinfo-missing', invalid: 'backupinfo-invalid' };

export async function readBackupFile(
  file: LocatedFile,
  log: ProblemLog,
  target: IgnitionVersion | undefined,
): Promise<BackupFile | undefined> {
  return withMetadataDocument(file, log, BACKUP_INFO, (text) => {
    const { version, edition } = parseBackupInfo(text);
    if (target && compareVersions(version, target) > 0) {
      return log.error(
        file.path,
        'backup-newer-than-gateway',
        `was made by Ignition ${formatVersion(version)}, newer than the gateway's ${formatVersion(target)}; ` +
          'a gateway cannot restore a newer backup: upgrade the gateway or use an older backup',
      );
    }
    return { ...foundFile(file), version: formatVersion(version), ...(edition ? { edition } : {}) };
  });
}
