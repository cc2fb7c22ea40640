import { describe, expect, it } from 'vitest';

import { assertNotACommandTypo, editDistance } from '../../src/cli/did-you-mean.js';
import { oneLine } from '../../src/cli/prompts.js';

describe('editDistance', () => {
  it.each([
    ['list', 'list', 0],
    ['lst', 'list', 1],
    ['generat', 'generate', 1],
    ['nwe', 'new', 2],
    ['one', 'new', 2],
    ['billing', 'list', 5],
    ['', 'add', 3],
  ])('%s → %s is %i', (a, b, distance) => {
    expect(editDistance(a, b)).toBe(distance);
  });
});

describe('assertNotACommandTypo', () => {
  it.each(['lst', 'lis', 'ad', 'nw', 'templat', 'generte'])('refuses %s', (word) => {
    expect(() => assertNotACommandTypo(word)).toThrow(/did you mean/);
  });
  // Two edits from a three-letter command are most three-letter words; paths are never typos.
  it.each(['one', 'api', 'app', 'billing', './lst', 'svc/lst', undefined])('accepts %s', (word) => {
    expect(() => assertNotACommandTypo(word)).not.toThrow();
  });
});

describe('oneLine', () => {
  it('keeps short text, and cuts long text at a clause within the width', () => {
    expect(oneLine('short', 78)).toBe('short');
    const cut = oneLine('sqlx pool (SQLite by default, or PostgreSQL), startup retry with backoff, migrations, a repository, a health check', 78);
    expect(cut.length).toBeLessThanOrEqual(78);
    expect(cut).toBe('sqlx pool (SQLite by default, or PostgreSQL), startup retry with backoff…');
  });
});
