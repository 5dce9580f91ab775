/** Reading a gateway backup (.gwbk): the version and edition that wrote it, from backupinfo.xml. */
import { compareVersions, formatVersion, tryParseIgnitionVersion, type IgnitionVersion } from '../version';
import { foundFile, withXmlMetadata, type LocatedFile, type MetadataDocument } from './archive';
import { quoteUntrusted, type ProblemLog } from './problems';
import type { BackupFile } from './types';
import { childText } from './xml';

const INVALID = 'backupinfo-invalid';
const BACKUP_INFO: MetadataDocument = { entry: 'backupinfo.xml', missing: 'backupinfo-missing', invalid: INVALID };

export async function readBackupFile(
  file: LocatedFile,
  log: ProblemLog,
  target: IgnitionVersion | undefined,
): Promise<BackupFile | undefined> {
  return withXmlMetadata(file, log, BACKUP_INFO, (info) => {
    const versionText = childText(info, 'version');
    if (!versionText) return log.error(file.path, INVALID, 'backupinfo.xml has no <version>');
    const version = tryParseIgnitionVersion(versionText);
    if (!version) {
      return log.error(file.path, INVALID, `backupinfo.xml has an unreadable version ${quoteUntrusted(versionText)}`);
    }
    if (target && compareVersions(version, target) > 0) {
      return log.error(
        file.path,
        'backup-newer-than-gateway',
        `was made by Ignition ${formatVersion(version)}, newer than the gateway's ${formatVersion(target)}; ` +
          'a gateway cannot restore a newer backup: upgrade the gateway or use an older backup',
      );
    }
    const edition = childText(info, 'edition');
    return { ...foundFile(file), version: formatVersion(version), ...(edition ? { edition } : {}) };
  });
}
