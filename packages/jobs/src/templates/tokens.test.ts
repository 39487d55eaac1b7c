import { describe, expect, it } from 'vitest';
import { compareTokens, generaliseTokens, globMatches, TokenMatch } from './tokens.js';

describe('generaliseTokens', () => {
  it.each([
    ['root', 'guest', '<*>'],
    ['user=root', 'user=guest', 'user=<*>'],
    ['tty=NODEVssh', 'tty=:<*>', 'tty=<*>'],
    ['(uid=<*>)', 'LOGIN(uid=<*>)', '<*>(uid=<*>)'],
    ['()', '(host.example.org)', '(<*>)'],
    ['rhost=<*>', 'rhost=', 'rhost=<*>'],
    ['same', 'same', 'same'],
    ['<*>', 'anything', '<*>'],
  ])('%s and %s give %s', (a, b, general) => {
    expect(generaliseTokens(a, b)).toBe(general);
  });
});

describe('globMatches', () => {
  it('lets <*> stand for any text, empty included', () => {
    expect(globMatches('rhost=<*>', 'rhost=')).toBe(true);
    expect(globMatches('<*>(uid=<*>)', 'LOGIN(uid=0)')).toBe(true);
    expect(globMatches('a<*>b<*>c', 'axxbyyc')).toBe(true);
    expect(globMatches('a<*>b<*>c', 'axxcyyb')).toBe(false);
    expect(globMatches('user=<*>', 'uid=0')).toBe(false);
  });
});

describe('compareTokens', () => {
  it('scores a template token against a message token', () => {
    expect(compareTokens('<*>', 'x')).toBe(TokenMatch.neutral);
    expect(compareTokens('failed', 'failed')).toBe(TokenMatch.match);
    expect(compareTokens('user=<*>', 'user=root')).toBe(TokenMatch.match);
    expect(compareTokens('tty=ssh', 'tty=:0')).toBe(TokenMatch.partial);
    expect(compareTokens('root', 'guest')).toBe(TokenMatch.mismatch);
  });

  it('never generalises upper-case enum words or symbol runs', () => {
    expect(compareTokens('RUNNING', 'SUCCEEDED')).toBe(TokenMatch.conflict);
    expect(compareTokens('action.SCREEN_ON', 'action.TIME_TICK')).toBe(TokenMatch.conflict);
    expect(compareTokens('****', '<*>')).toBe(TokenMatch.conflict);
    expect(compareTokens('RUNNING', '<*>')).toBe(TokenMatch.mismatch);
  });
});
