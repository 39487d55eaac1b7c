/** Longest file name kept for display, in characters. */
export const FILENAME_MAX_CHARS = 255;

// C0 and C1 controls, DEL, and the bidirectional overrides and isolates that can make a name read
// differently from what it is (U+202A-U+202E, U+2066-U+2069).
// biome-ignore lint/suspicious/noControlCharactersInRegex: these are the characters being removed
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/**
 * The client's file name as shown in listings and reports: its last path component, without control or
 * bidi-override characters, at most FILENAME_MAX_CHARS long; "upload.log" when nothing is left. It is
 * never used to name a stored file (stored files are named by upload id).
 */
export function displayFilename(name: string | undefined): string {
  const base = (name ?? '').split(/[/\\]/).pop() ?? '';
  const clean = base.replace(UNSAFE, '').trim();
  const kept = [...clean].slice(0, FILENAME_MAX_CHARS).join('');
  return kept === '' || kept === '.' || kept === '..' ? 'upload.log' : kept;
}
