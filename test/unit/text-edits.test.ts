import { describe, expect, it } from 'vitest';

import { mergeCargoToml } from '../../src/add/cargo-merge.js';
import { addEnvVars, addLayoutDoc, addModDecl, addSection } from '../../src/add/text-edits.js';

describe('anchored edits', () => {
  it('adds a mod line into a sorted block, once', () => {
    const lib = '//! Docs.\n\npub mod app;\npub mod config;\npub mod shutdown;\n';
    const once = addModDecl(lib, 'db', 'pub ');
    expect(once).toBe('//! Docs.\n\npub mod app;\npub mod config;\npub mod db;\npub mod shutdown;\n');
    expect(addModDecl(once, 'db', 'pub ')).toBe(once);
  });

  it('adds the first mod line after docs and a multi-line inner attribute', () => {
    const main = '//! Tests.\n#![allow(\n    clippy::unwrap_used,\n    reason = "tests"\n)]\n';
    expect(addModDecl(main, 'db', '')).toBe('//! Tests.\n#![allow(\n    clippy::unwrap_used,\n    reason = "tests"\n)]\n\nmod db;\n');
  });

  it('adds the first mod line at the top of a file without docs', () => {
    expect(addModDecl('pub fn add() {}\n', 'db', 'pub ')).toBe('pub mod db;\n\npub fn add() {}\n');
  });

  it('extends the layout list, or says it cannot', () => {
    const lib = '//! # Layout\n//!\n//! - [`app`]: wiring.\n//!\n';
    expect(addLayoutDoc(lib, 'db', 'the database.')).toContain('//! - [`app`]: wiring.\n//! - [`db`]: the database.\n');
    expect(addLayoutDoc('//! No list.\n', 'db', 'x')).toBeUndefined();
  });

  it('adds only missing env vars and sections', () => {
    const env = '# Log filter.\nRUST_LOG=info\n';
    const vars = [
      { name: 'RUST_LOG', example: 'debug', doc: 'x' },
      { name: 'DATABASE_URL', example: 'sqlite::memory:', doc: 'Where the data is.' },
    ];
    const once = addEnvVars(env, vars);
    expect(once).toBe('# Log filter.\nRUST_LOG=info\n\n# Where the data is.\nDATABASE_URL=sqlite::memory:\n');
    expect(addEnvVars(once, vars)).toBe(once);
    const readme = addSection('# svc\n', '## Database\n\nText.\n');
    expect(addSection(readme, '## Database\n\nOther.\n')).toBe(readme);
  });
});

describe('Cargo.toml merge', () => {
  const deps = (features: string[] = []) => ({
    dependencies: [{ name: 'tokio', version: '1.54', features, defaultFeatures: true }],
    'dev-dependencies': [],
    'build-dependencies': [],
  });

  it('keeps comments and formatting, and adds what is missing', () => {
    const toml = '[package]\nname = "x" # the name\n\n# Ours.\n[dependencies]\nitoa = "1.0" # fast\n';
    const { text } = mergeCargoToml(toml, deps(['macros']));
    expect(text.startsWith(toml)).toBe(true);
    expect(text).toContain('tokio = { version = "1.54", features = ');
  });

  it('keeps a present version, adds missing features, and warns on an incompatible one', () => {
    const { text, warnings } = mergeCargoToml('[dependencies]\ntokio = "0.2"\n', deps(['macros']));
    expect(text).toMatch(/tokio = \{ version = "0\.2", features = \[ ?"macros" ?\] \}/);
    expect(warnings[0]).toContain('tokio is "0.2"');
  });
});
