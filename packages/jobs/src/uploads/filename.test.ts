import { describe, expect, it } from 'vitest';
import { displayFilename, FILENAME_MAX_CHARS } from './filename.js';

describe('displayFilename', () => {
  it('keeps the last path component of either separator', () => {
    expect(displayFilename('../../etc/passwd')).toBe('passwd');
    expect(displayFilename('C:\\logs\\..\\app.log')).toBe('app.log');
    expect(displayFilename('logs/')).toBe('upload.log');
    expect(displayFilename('..')).toBe('upload.log');
  });

  it('drops NUL, other controls and bidi overrides, and keeps other Unicode', () => {
    expect(displayFilename('pa\u0000ss\u202ewd.log')).toBe('passwd.log');
    expect(displayFilename('\u2066évènement\u2069 🚀.log')).toBe('évènement 🚀.log');
    expect(displayFilename('\u0000\u0001')).toBe('upload.log');
    expect(displayFilename(undefined)).toBe('upload.log');
  });

  it('cuts long names at a character boundary', () => {
    expect(displayFilename('a'.repeat(10_000))).toBe('a'.repeat(FILENAME_MAX_CHARS));
    expect([...displayFilename('😀'.repeat(300))]).toHaveLength(FILENAME_MAX_CHARS);
  });
});
