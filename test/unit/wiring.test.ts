import { describe, expect, it } from 'vitest';

import { COMPONENTS } from '../../src/catalog/index.js';
import type { Component } from '../../src/catalog/types.js';
import { type PlannedStart, orderStarts, wiringPoints } from '../../src/plan/wiring.js';
import { fileOf, plan } from '../helpers/plan.js';

const block = (component: string, provides: string[] = [], uses: string[] = []): PlannedStart => ({
  component,
  partial: `${component}/app_start`,
  provides,
  uses,
});

describe('start order', () => {
  it('puts each block after the blocks providing what it uses, else keeps catalog order', () => {
    const ordered = orderStarts([block('server', [], ['db', 'queue']), block('db', ['db']), block('worker', ['queue'], ['db'])]);
    expect(ordered.map((b) => b.component)).toEqual(['db', 'worker', 'server']);
  });

  it('refuses a cycle, a missing provider and a local provided twice', () => {
    expect(() => orderStarts([block('a', ['x'], ['y']), block('b', ['y'], ['x'])])).toThrow(/"a", "b" wait for each other/);
    expect(() => orderStarts([block('a', [], ['nobody'])])).toThrow(/"nobody", which no chosen component provides/);
    expect(() => orderStarts([block('a', ['x']), block('b', ['x'])])).toThrow(/both provide the start-up local "x"/);
  });

  // Every pair of built-in components (and all of them) has a valid start order.
  const ids = COMPONENTS.map((c) => c.id);
  const pairs = ids.flatMap((a, i) => ids.slice(i + 1).map((b) => [a, b]));
  it.each([...pairs, ids].map((set) => [set.join('+'), set] as const))('%s wires without a catalog error', (_, set) => {
    for (const db of ['sqlite', 'postgres'] as const) expect(() => plan({ components: [...set], db })).not.toThrow();
  });
});

describe('host templates', () => {
  it('start a provider before the component that uses it', () => {
    const app = fileOf(plan({ components: ['http-server', 'worker', 'db', 'pipeline'], db: 'postgres' }), 'src/app.rs');
    const at = (text: string) => app.indexOf(text);
    expect(at('let db = ')).toBeGreaterThan(-1);
    expect(at('let db = ')).toBeLessThan(at('PgQueue::new('));
    expect(at('let pipeline = ')).toBeLessThan(at('pipeline: pipeline.clone()'));
  });

  it('merge each component router and state field only when the component is there', () => {
    const alone = plan({ components: ['http-server'] });
    expect(fileOf(alone, 'src/http_server/state.rs')).not.toContain('notes');
    expect(alone.files.map((f) => f.path)).not.toContain('src/http_server/routes.rs');
    const withDb = plan({ components: ['http-server', 'db'] });
    expect(fileOf(withDb, 'src/http_server/router.rs')).toContain('app = app.merge(routes::notes::router());');
    expect(fileOf(withDb, 'src/http_server/state.rs')).toContain('pub notes: crate::db::notes::NoteRepository,');
    expect(fileOf(withDb, 'src/app.rs')).toContain('readiness.add("database", db.clone(), crate::db::health_check);');
  });

  it('write build.rs and compose.yaml only when something contributes to them', () => {
    const paths = (components: string[], db: 'sqlite' | 'postgres' = 'sqlite') => plan({ components, db, docker: true }).files.map((f) => f.path);
    expect(paths([])).not.toContain('build.rs');
    expect(paths(['db'])).toContain('build.rs');
    expect(paths(['db'])).not.toContain('compose.yaml');
    expect(paths(['db'], 'postgres')).toContain('compose.yaml');
  });
});

describe('bound addresses', () => {
  it('give App an accessor per listening component, and only for those', () => {
    const app = (components: string[]) => fileOf(plan({ components }), 'src/app.rs');
    const both = app(['http-server', 'grpc']);
    expect(both).toContain('pub fn http_addr(&self) -> std::net::SocketAddr {');
    expect(both).toContain('pub fn grpc_addr(&self) -> std::net::SocketAddr {');
    expect(app(['grpc'])).not.toContain('http_addr');
    expect(app(['pipeline'])).not.toContain('_addr');
  });

  it('put the whole-service tests of a component into tests/service/app.rs only', () => {
    const result = plan({ components: ['http-server', 'grpc'] });
    expect(fileOf(result, 'tests/service/app.rs')).toContain('mod http_server {');
    expect(fileOf(result, 'tests/service/app.rs')).toContain('a_server_that_cannot_bind_stops_the_servers_started_before_it');
    expect(fileOf(plan({ components: ['http-server'] }), 'tests/service/app.rs')).not.toContain('mod startup');
  });

  it('refuse an address no start block of the component provides', () => {
    const listener: Component = {
      id: 'listener',
      title: 'Listener',
      description: 'binds',
      requires: [],
      conflicts: [],
      default: false,
      crates: [],
      env: [],
      templates: [{ dir: 'listener' }],
      wiring: {
        module: 'listener',
        layoutDoc: 'binds',
        start: [{ partial: 'app_start', provides: ['listener'] }],
        addresses: [{ name: 'listener_addr', doc: 'Where it listens.' }],
      },
    };
    const points = () => wiringPoints([listener], () => true, (component, name) => `${component.id}/${name}`);
    expect(points).toThrow(/"listener" exposes the address "listener_addr", but none of its start blocks provides it/);
    listener.wiring.start = [{ partial: 'app_start', provides: ['listener_addr'] }];
    expect(points().addresses).toEqual([{ name: 'listener_addr', doc: 'Where it listens.' }]);
  });
});
