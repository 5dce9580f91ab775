export { ZipError, quoteEntryName, type ZipErrorCode } from './errors';
export { unsafeNameReason } from './entry-checks';
export {
  DEFAULT_MAX_ENTRY_BYTES,
  DEFAULT_ZIP_LIMITS,
  listZipEntries,
  openSafeZip,
  readZipEntry,
  withSafeZip,
  type OpenZipOptions,
  type SafeZip,
  type ZipEntryInfo,
  type ZipLimits,
} from './safe-zip';
