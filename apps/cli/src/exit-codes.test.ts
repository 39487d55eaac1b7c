import { describe, expect, it } from 'vitest';
import { CliError, EXIT, exitCodeFor, exitCodeForStatus, isUnreachable } from './exit-codes.js';
import { errorFromNetwork, errorFromResponse, parseErrorBody } from './http/response-error.js';

const errno = (code: string, message = code) => Object.assign(new Error(message), { code });

describe('exit codes', () => {
  it('maps HTTP statuses: auth 4, not found 5, invalid request 2, anything else 1', () => {
    expect([401, 403, 404, 400, 415, 422, 409, 413, 500, 503].map(exitCodeForStatus)).toEqual([
      4, 4, 5, 2, 2, 2, 1, 1, 1, 1,
    ]);
  });

  it('recognises a refused connection however undici wraps it', () => {
    expect(isUnreachable(errno('ECONNREFUSED'))).toBe(true);
    expect(isUnreachable(new TypeError('fetch failed', { cause: errno('ENOTFOUND') }))).toBe(true);
    expect(isUnreachable(new AggregateError([errno('ECONNREFUSED'), errno('ECONNREFUSED')]))).toBe(true);
    expect(isUnreachable(errno('UND_ERR_CONNECT_TIMEOUT'))).toBe(true);
    // A connection cut after it was made is not "is it running?".
    expect(isUnreachable(errno('ECONNRESET'))).toBe(false);
    expect(isUnreachable(new Error('boom'))).toBe(false);
  });

  it('gives every thrown value an exit code', () => {
    expect(exitCodeFor(new CliError('x', EXIT.auth))).toBe(4);
    expect(exitCodeFor(errno('ECONNREFUSED'))).toBe(3);
    expect(exitCodeFor(errno('ENOENT'))).toBe(5);
    expect(exitCodeFor(new Error('unexpected'))).toBe(1);
    expect(exitCodeFor('a string')).toBe(1);
  });
});

describe('server errors as messages', () => {
  it("reads the API's error body", () => {
    expect(
      parseErrorBody('{"error":{"code":"upload_not_found","message":"upload x does not exist"}}'),
    ).toEqual({
      code: 'upload_not_found',
      message: 'upload x does not exist',
    });
    expect(parseErrorBody('<html>Bad Gateway</html>')).toBeUndefined();
    expect(parseErrorBody('{"error":"plain"}')).toBeUndefined();
  });

  it('tells a refused token from a missing one', () => {
    const body = '{"error":{"code":"unauthorized","message":"unknown token"}}';
    const refused = errorFromResponse(401, body, true);
    expect([refused.message, refused.exitCode, refused.code]).toEqual([
      'the server refused the token: run logsift login',
      4,
      'unauthorized',
    ]);
    expect(errorFromResponse(401, body, false).message).toBe(
      'no token: run logsift login, pass --token, or set LOGSIFT_TOKEN',
    );
  });

  it("passes the server's message on with the status's exit code", () => {
    const notReady = errorFromResponse(
      409,
      '{"error":{"code":"report_not_ready","message":"the report of upload u1 is not ready yet (status processing)"}}',
      true,
    );
    expect([notReady.message, notReady.exitCode, notReady.code]).toEqual([
      'the report of upload u1 is not ready yet (status processing)',
      1,
      'report_not_ready',
    ]);
    const proxy = errorFromResponse(502, '<html>Bad Gateway</html>\n', true);
    expect([proxy.message, proxy.exitCode]).toEqual([
      'the server answered HTTP 502: <html>Bad Gateway</html>',
      1,
    ]);
  });

  it('words network failures for the person at the terminal', () => {
    const refused = errorFromNetwork(errno('ECONNREFUSED'), 'http://127.0.0.1:3000');
    expect([refused.message, refused.exitCode]).toEqual([
      'cannot reach logsift at http://127.0.0.1:3000: is it running? (npm start)',
      3,
    ]);
    const cut = errorFromNetwork(errno('UND_ERR_SOCKET', 'other side closed'), 'http://h:1');
    expect([cut.message, cut.exitCode]).toEqual([
      'the connection to http://h:1 failed: other side closed',
      1,
    ]);
  });
});
