/**
 * The upload row a benchmark inserts for a file it made itself (insertUpload's NewUpload): every field
 * a real upload has, named after the file, so only what differs is spelled out.
 */
export function benchUpload(id, fields = {}) {
  return {
    id,
    filename: 'access.log',
    storedPath: '/dev/null',
    sizeBytes: 1,
    sha256: id,
    compression: 'none',
    requestedFormat: null,
    format: 'combined',
    formatConfidence: 1,
    service: null,
    options: {},
    ...fields,
  };
}
