/**
 * Escaping for text that came from the logs. Log content is hostile: a message may hold markup,
 * Markdown syntax, control characters or lone surrogates, and none of it may change the page.
 */

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/**
 * Text safe in HTML and SVG element content and in quoted attribute values. Control characters
 * (not tab or line breaks) become U+FFFD, and so do lone surrogates, so the output is always valid UTF-8 and XML.
 */
export function escapeHtml(text: string): string {
  return replaceUnprintable(text).replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] as string);
}

/** Control characters (C0 but tab, line feed and carriage return; DEL; C1) and lone surrogates, replaced by U+FFFD. */
const UNPRINTABLE =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

export function replaceUnprintable(text: string): string {
  return text.replace(UNPRINTABLE, '\uFFFD');
}

/**
 * Inline Markdown text (a table cell, a list item). The characters CommonMark or GFM read as inline
 * syntax are backslash-escaped, so `<b>` stays text, `|` does not split a table cell, `&amp;` is not
 * an entity and `[x](y)` is not a link; a leading `#`, `+`, `-` or `1.` cannot start a heading or a
 * list. Line breaks become spaces: a cell or an item is one line. Other punctuation is left alone so
 * the Markdown stays readable as plain text.
 */
export function escapeMarkdown(text: string): string {
  return replaceUnprintable(text)
    .replace(/\r\n?|\n|\t/g, ' ')
    .replace(/[\\`*_[\]<>|&~$]/g, '\\$&')
    .replace(/^([#+-])/, '\\$1')
    .replace(/^(\d+)([.)])/, '$1\\$2');
}

/**
 * A fenced code block holding untrusted lines verbatim. The fence is longer than any backtick run
 * inside, so no line can close it early.
 */
export function markdownCodeBlock(lines: readonly string[]): string {
  const body = lines.map((line) => replaceUnprintable(line).replace(/\r\n?/g, '\n')).join('\n');
  const longestRun = Math.max(0, ...(body.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(Math.max(3, longestRun + 1));
  return `${fence}text\n${body}\n${fence}`;
}
