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
  type ZipSource,
} from './safe-zip';
export {
  BlockCache,
  bufferSource,
  DEFAULT_BLOCK_SIZE,
  fileHandleSource,
  isRandomAccessSource,
  type BlockCacheOptions,
  type RandomAccessSource,
} from './random-access';
