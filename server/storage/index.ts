// Object storage: settings, the store, content addressing per tenant, and the embedded default.
export { objectStore, setStorageSettings, storageSettings, type StorageSettings } from './settings';
export { ObjectStore, MAX_RANGE_BYTES, type ObjectInfo, type StoredObject, type PutResult, type PutStreamOptions } from './object-store';
export { ObjectNotFoundError, ObjectTooLargeError, StorageUnavailableError, UploadAbortedError } from './errors';
export { contentKey, discardStaged, promoteStaged, stageUpload, sweepStaging, type StagedUpload } from './content';
export { startObjectStorage } from './startup';
