import { describe, expect, it } from 'vitest';
import { escapeHtml, escapeMarkdown, markdownCodeBlock, replaceUnprintable } from './escape.js';

describe('escapeHtml', () => {
  it('escapes the five characters that matter in content and quoted attributes', () => {
    expect(escapeHtml(`<a href="x" title='y'>&amp;</a>`)).toBe(
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;',
    );
  });

  it('replaces control characters and lone surrogates, keeps tabs, line breaks and real pairs', () => {
    expect(escapeHtml('a\u0000b\u001bc\u007fd\u0085e')).toBe('a\uFFFDb\uFFFDc\uFFFDd\uFFFDe');
    expect(escapeHtml('tab\there\r\nnext')).toBe('tab\there\r\nnext');
    expect(escapeHtml('lone \ud800 and \udc00, pair 😀')).toBe('lone \uFFFD and \uFFFD, pair 😀');
  });
});

describe('escapeMarkdown', () => {
  it('keeps pipes from splitting table cells and markup from rendering', () => {
    expect(escapeMarkdown('a|b')).toBe('a\\|b');
    expect(escapeMarkdown('<script>alert(1)</script>')).toBe('\\<script\\>alert(1)\\</script\\>');
    expect(escapeMarkdown('[click](javascript:x) **bold** `code` ~~s~~ &amp; $x$ \\')).toBe(
      '\\[click\\](javascript:x) \\*\\*bold\\*\\* \\`code\\` \\~\\~s\\~\\~ \\&amp; \\$x\\$ \\\\',
    );
  });

  it('stops a leading character from starting a heading or a list, and joins lines', () => {
    expect(escapeMarkdown('# title')).toBe('\\# title');
    expect(escapeMarkdown('- item')).toBe('\\- item');
    expect(escapeMarkdown('12. item')).toBe('12\\. item');
    expect(escapeMarkdown('one\ntwo\r\nthree\tfour')).toBe('one two three four');
  });

  it('leaves ordinary punctuation readable', () => {
    expect(escapeMarkdown('user 42 logged in from 10.0.0.1 (attempt 2): ok!')).toBe(
      'user 42 logged in from 10.0.0.1 (attempt 2): ok!',
    );
  });
});

describe('markdownCodeBlock', () => {
  it('uses a fence longer than any backtick run inside', () => {
    expect(markdownCodeBlock(['plain'])).toBe('```text\nplain\n```');
    expect(markdownCodeBlock(['a ``` b', 'c ```` d'])).toBe('`````text\na ``` b\nc ```` d\n`````');
  });

  it('keeps lines verbatim but makes control characters visible', () => {
    expect(markdownCodeBlock(['<b>|x|</b>', 'bell\u0007'])).toBe('```text\n<b>|x|</b>\nbell\uFFFD\n```');
  });
});

describe('replaceUnprintable', () => {
  it('is the identity on printable text', () => {
    const text = 'GET /a?b=c HTTP/1.1 200 — ünïcode 日本 😀';
    expect(replaceUnprintable(text)).toBe(text);
  });
});
