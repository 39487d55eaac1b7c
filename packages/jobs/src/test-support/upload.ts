import type { NewUpload } from '../uploads/repository.js';

/** An upload as the tests record it (`insertUpload`): a plain-text file taken as is, with `fields` changed. */
export function testUpload(
  fields: Partial<NewUpload> & Pick<NewUpload, 'storedPath' | 'sizeBytes'>,
): NewUpload {
  return {
    id: 'u1',
    filename: 'file.log',
    sha256: 'x',
    compression: 'none',
    requestedFormat: null,
    format: 'plain',
    formatConfidence: 1,
    service: null,
    options: {},
    ...fields,
  };
}
