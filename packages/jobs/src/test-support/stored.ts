import type { Store } from '@logsift/db';
import type { EntryRow } from '../query/entries.js';
import type { RecordRef, StoredRecord } from '../segments/rehydrate.js';
import { UploadRecords } from '../segments/upload-records.js';
import { findUpload } from '../uploads/repository.js';

/** Every record stored for upload `id`, in file order, as queries return them. */
export async function storedRecords(store: Store, id: string): Promise<StoredRecord[]> {
  const upload = findUpload(store, id);
  if (!upload) throw new Error(`no upload ${id}`);
  const records = new UploadRecords(store.sqlite, upload);
  const refs: RecordRef[] = [];
  records.metas.forEach((_, c) => {
    const segment = records.segment(c);
    for (let row = 0; row < segment.rows; row++) refs.push({ segment, row });
  });
  return records.rows(refs);
}

/** The rows of storedRecords. */
export async function storedRows(store: Store, id: string): Promise<EntryRow[]> {
  return (await storedRecords(store, id)).map((r) => r.row);
}
