import { describe, expect, it } from 'vitest';
import { rfc3164Format } from './syslog3164.js';
import { rfc5424Format } from './syslog5424.js';
import { fixtureLines } from './test-fixtures.js';

describe('syslog RFC 3164', () => {
  const ctx = { referenceTime: Date.UTC(2024, 2, 10) };
  const parsed = fixtureLines('syslog3164.txt').map((l) => rfc3164Format.parse(l, ctx));

  it('reads PRI, the year-less date, host, tag and pid', () => {
    expect(parsed[0]).toEqual({
      ts: Date.UTC(2023, 9, 11, 22, 14, 15),
      level: 'FATAL',
      host: 'mymachine',
      service: 'su',
      message: "'su root' failed for lonvick on /dev/pts/8",
      fields: { facility: 'auth' },
    });
    expect(parsed[1]).toEqual({
      ts: Date.UTC(2024, 1, 5, 17, 32, 18),
      level: 'INFO',
      host: '10.0.0.99',
      service: 'myapp',
      message: 'Use the BFG!',
      fields: { facility: 'user', pid: '1234' },
    });
  });

  it('accepts lines without PRI (no level) and an RFC 3339 timestamp', () => {
    expect(parsed[2]).toEqual({
      ts: Date.UTC(2024, 2, 3, 10, 0, 1),
      host: 'web-1',
      service: 'sshd',
      message: 'Accepted publickey for deploy from 203.0.113.5 port 51234 ssh2',
      fields: { pid: '20117' },
    });
    expect(parsed[3]?.message).toBe('[12345.678901] eth0: link up');
    expect(parsed[4]).toMatchObject({
      ts: Date.UTC(2024, 2, 3, 9, 0, 3, 120),
      tz: '+01:00',
      level: 'INFO',
      service: 'systemd',
    });
  });

  it('keeps everything after the host when there is no tag, and applies the zone option', () => {
    expect(rfc3164Format.parse('Mar  3 10:00:01 web-1 free text here', ctx)).toMatchObject({
      host: 'web-1',
      message: 'free text here',
    });
    expect(rfc3164Format.parse('Mar  3 10:00:01 web-1 x', { ...ctx, tz: 'America/New_York' })).toMatchObject({
      ts: Date.UTC(2024, 2, 3, 15, 0, 1),
      tz: 'America/New_York',
    });
  });

  it('rejects malformed lines', () => {
    for (const line of [
      '<999>Oct 11 22:14:15 h t: m',
      'Oct 32 22:14:15 h t: m',
      'Oct 11 22:14 h t: m',
      'hello',
      '',
    ]) {
      expect(rfc3164Format.parse(line, ctx)).toBeNull();
    }
  });
});

describe('syslog RFC 5424', () => {
  const parsed = fixtureLines('syslog5424.txt').map((l) => rfc5424Format.parse(l, {}));

  it('reads the RFC examples, dropping the BOM before the message', () => {
    expect(parsed[0]).toEqual({
      ts: Date.UTC(2003, 9, 11, 22, 14, 15, 3),
      tz: 'Z',
      level: 'FATAL',
      host: 'mymachine.example.com',
      service: 'su',
      message: "'su root' failed for lonvick on /dev/pts/8",
      fields: { facility: 'auth', msgid: 'ID47' },
    });
    expect(parsed[1]).toEqual({
      ts: Date.UTC(2003, 7, 24, 12, 14, 15),
      tz: '-07:00',
      level: 'INFO',
      host: '192.0.2.1',
      service: 'myproc',
      message: "%% It's time to make the do-nuts.",
      fields: { facility: 'local4', procid: '8710' },
    });
  });

  it('keeps structured data in fields as sd.<id>.<param>', () => {
    expect(parsed[2]?.fields).toEqual({
      facility: 'local4',
      msgid: 'ID47',
      'sd.exampleSDID@32473.iut': '3',
      'sd.exampleSDID@32473.eventSource': 'Application',
      'sd.exampleSDID@32473.eventID': '1011',
    });
    expect(parsed[2]?.message).toBe('An application event log entry...');
    expect(parsed[3]?.fields?.['sd.examplePriority@32473.class']).toBe('high');
    expect(parsed[3]?.message).toBe('');
    expect(parsed[4]).toMatchObject({
      level: 'ERROR',
      message: 'done',
      fields: { 'sd.meta.note': 'a "quoted" ] value' },
    });
  });

  it('rejects 3164 lines and broken structured data', () => {
    expect(rfc5424Format.parse(fixtureLines('syslog3164.txt')[0] ?? '', {})).toBeNull();
    expect(rfc5424Format.parse('<34>1 2003-10-11T22:14:15Z h a - - [id k="v" msg', {})).toBeNull();
    expect(rfc5424Format.parse('<34>2 2003-10-11T22:14:15Z h a - - - msg', {})).toBeNull();
  });
});
