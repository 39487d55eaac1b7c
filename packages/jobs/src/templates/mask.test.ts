import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { maskInto, maskMessage, signatureCapacity } from './mask.js';

describe('maskMessage', () => {
  it.each([
    ['integers and negative numbers', 'count=-42 after 7 tries', 'count=<*> after <*> tries'],
    ['decimals', 'ratio 0.75 of 3.5', 'ratio <*> of <*>'],
    ['hex values with and without 0x', 'addr 0x7fff5fbff8a8 crc deadbeef12', 'addr <*> crc <*>'],
    ['IPv4 addresses with a port', 'from 192.168.0.1:22 port 22', 'from <*> port <*>'],
    ['IPv6 addresses', 'ip fe80::1ff:fe23:4567:890a and ::1 up', 'ip <*> and <*> up'],
    ['MAC addresses', 'MAC 00:1a:2b:3c:4d:5e seen', 'MAC <*> seen'],
    ['UUIDs', 'id 123e4567-e89b-12d3-a456-426614174000 done', 'id <*> done'],
    ['absolute paths', 'open /var/log/syslog failed', 'open <*> failed'],
    ['relative and home paths', 'run ./configure, then ../x and ~/bin/x', 'run <*>, then <*> and <*>'],
    ['Windows paths', 'copy C:\\Users\\bob\\a.txt now', 'copy <*> now'],
    [
      'block ids',
      'Deleting block blk_-1608999687919862906 of job_1445144423722_0020',
      'Deleting block <*> of <*>',
    ],
    ['durations', 'took 12ms then 1.5s and 2h30m', 'took <*> then <*> and <*>'],
    ['sizes', 'size 10KB of 3.5MB', 'size <*> of <*>'],
    ['e-mail addresses', 'mail to alice@example.com sent', 'mail to <*> sent'],
    ['URLs, query string included', 'see http://wiki.apache.org/x?id=1&b=c now', 'see <*> now'],
    ['dates, clock times, day and month names', 'at Sun Jul 10 03:55:17 2005 ok', 'at <*> ok'],
    [
      'values after a key, keeping the key',
      'uid=0 euid=0 (HWID=1973) Calories:12',
      'uid=<*> euid=<*> (HWID=<*>) Calories:<*>',
    ],
    [
      'a list of variables of any length as one',
      'ask 10.0.0.1:50010 to delete blk_1 blk_2 blk_3',
      'ask <*> to delete <*>',
    ],
    [
      'a value after a run of dots',
      'icache prefetch depth.............0',
      'icache prefetch depth.............<*>',
    ],
    ['host names with digits', 'Invalid user from MININT-FNANLI5.fareast.corp', 'Invalid user from <*>'],
  ])('masks %s', (_kind, message, signature) => {
    expect(maskMessage(message)).toBe(signature);
  });

  it('keeps words, words with slashes, empty values and hex-letter words', () => {
    expect(maskMessage('Input/output error: tty=NODEVssh ruser= face cafe')).toBe(
      'Input/output error: tty=NODEVssh ruser= face cafe',
    );
  });

  it('collapses whitespace to single spaces', () => {
    expect(maskMessage('  spaced\tout   words \r\n')).toBe('spaced out words');
    expect(maskMessage('')).toBe('');
  });

  it('is idempotent and stays within the buffer size it asks for', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (message) => {
        const out = new Uint16Array(signatureCapacity(message.length));
        const length = maskInto(message, out);
        expect(length).toBeLessThanOrEqual(out.length);
        const signature = maskMessage(message);
        expect(maskMessage(signature)).toBe(signature);
      }),
      { numRuns: 2000 },
    );
  });
});
