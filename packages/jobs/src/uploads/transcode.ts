import type { Transform } from 'node:stream';
import { createUtf16ToUtf8, detectEncoding } from '../formats/decode.js';

/** For receiveFile: UTF-16 files (by BOM or shape) are stored as UTF-8; UTF-8 needs no transform. */
export function utf8Transcoder(head: Buffer): Transform | null {
  const encoding = detectEncoding(head);
  return encoding === 'utf8' ? null : createUtf16ToUtf8(encoding);
}
