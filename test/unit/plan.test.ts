import { describe, expect, it } from 'vitest';

import { depLine, mergeDeps } from '../../src/plan/dependencies.js';
import { fileOf, plan } from '../helpers/plan.js';

describe('plan for the base crate', () => {
  it('writes the layout of DESIGN §3', () => {
    const paths = plan({ ci: false, docker: false }).files.map((f) => f.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'Cargo.toml',
        '.env.example',
        '.gitignore',
        'README.md',
        'src/main.rs',
        'src/lib.rs',
        'src/config.rs',
        'src/error.rs',
        'src/telemetry.rs',
        'src/shutdown.rs',
        'src/app.rs',
        'tests/service/main.rs',
      ]),
    );
    expect(paths.some((p) => p.startsWith('.github/'))).toBe(false);
    expect(paths).not.toContain('Dockerfile');
  });

  it('adds the CI workflow and Docker files only when asked', () => {
    const paths = plan({ ci: true, docker: true }).files.map((f) => f.path);
    expect(paths).toEqual(expect.arrayContaining(['.github/workflows/ci.yml', 'Dockerfile', '.dockerignore']));
  });

  it('puts the crate name where Cargo and Rust need it', () => {
    const result = plan({ name: 'billing-api' });
    expect(fileOf(result, 'Cargo.toml')).toContain('name = "billing-api"');
    expect(fileOf(result, 'src/main.rs')).toContain('use billing_api::app::run as run_service;');
    expect(fileOf(result, 'Dockerfile')).toContain('ENTRYPOINT ["/usr/local/bin/billing-api"]');
  });

  it('is deterministic', () => {
    expect(plan({ name: 'a' })).toEqual(plan({ name: 'a' }));
  });

  it('keeps GitHub expressions in the workflow verbatim', () => {
    expect(fileOf(plan({ ci: true }), '.github/workflows/ci.yml')).toContain('group: ci-${{ github.ref }}');
  });

  it('rejects unknown components', () => {
    expect(() => plan({ components: ['nope'] })).toThrow(/unknown component "nope"/);
  });
});

describe('dependency merging', () => {
  it('unions features, keeps default features off only if everyone turns them off, and sorts', () => {
    const merged = mergeDeps([
      { name: 'tokio', features: ['sync', 'macros'] },
      { name: 'tracing-subscriber', defaultFeatures: false, features: ['fmt'] },
      { name: 'tokio', features: ['time', 'sync'] },
      { name: 'tokio', dev: true, features: ['test-util'] },
    ]);
    expect(merged.dependencies.map(depLine)).toEqual([
      'tokio = { version = "1.54", features = ["macros", "sync", "time"] }',
      'tracing-subscriber = { version = "0.3", default-features = false, features = ["fmt"] }',
    ]);
    expect(merged['dev-dependencies'].map(depLine)).toEqual(['tokio = { version = "1.54", features = ["test-util"] }']);
  });

  it('fails loudly for a crate without a pinned version', () => {
    expect(() => mergeDeps([{ name: 'left-pad' }])).toThrow(/no version pinned for crate "left-pad"/);
  });
});
