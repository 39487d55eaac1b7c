/** Uploaded records stored by chunk and column, and read back. */
export type { RecordRef, StoredRecord } from './rehydrate.js';
export { UploadRecords, type UploadSource } from './upload-records.js';
