import { describe, expect, it } from 'vitest';

import { DURABLE_QUEUES, QUEUE_KINDS } from '../../src/catalog/types.js';
import { checkQueue, defaultQueue, parseQueue } from '../../src/plan/answers.js';
import { holds } from '../../src/plan/when.js';
import { fileOf, plan } from '../helpers/plan.js';

const answers = { db: 'sqlite' as const, ci: false, docker: false, extra: {}, components: ['worker'] };

describe('the worker queue', () => {
  it('defaults to postgres only where the crate has the db component on PostgreSQL', () => {
    expect(defaultQueue({ components: ['db', 'worker'], db: 'postgres' })).toBe('postgres');
    expect(defaultQueue({ components: ['worker'], db: 'postgres' })).toBe('memory');
    expect(defaultQueue({ components: ['db', 'worker'], db: 'sqlite' })).toBe('memory');
  });

  it('refuses postgres without PostgreSQL, and unknown kinds, with the fix', () => {
    expect(() => checkQueue('postgres', { components: ['worker'], db: 'sqlite' })).toThrow(/no db component on PostgreSQL/);
    expect(() => checkQueue('redis', { components: ['worker'], db: 'sqlite' })).not.toThrow();
    expect(() => parseQueue('kafka')).toThrow(/unknown --queue "kafka"/);
    expect(QUEUE_KINDS.map((kind) => parseQueue(kind))).toEqual([...QUEUE_KINDS]);
  });

  it('conditions take one kind or a list, and a crate without a stored queue has the default', () => {
    expect(holds({ queue: 'redis' }, { ...answers, queue: 'redis' })).toBe(true);
    expect(holds({ queue: 'redis' }, { ...answers, queue: 'memory' })).toBe(false);
    expect(holds({ queue: DURABLE_QUEUES }, { ...answers, queue: 'redis' })).toBe(true);
    expect(holds({ queue: DURABLE_QUEUES }, answers)).toBe(false);
    expect(holds({ queue: 'postgres' }, { ...answers, db: 'postgres', components: ['db', 'worker'] })).toBe(true);
  });

  it('writes only the chosen backend', () => {
    const paths = (queue: 'memory' | 'redis') => plan({ components: ['worker'], queue }).files.map((f) => f.path);
    expect(paths('memory')).not.toContain('src/worker/durable.rs');
    expect(paths('redis')).toEqual(expect.arrayContaining(['src/worker/durable.rs', 'src/worker/durable/redis_streams.rs', 'tests/service/durable_queue.rs']));
    expect(paths('redis')).not.toContain('src/worker/durable/postgres.rs');
    const pg = plan({ components: ['db', 'worker'], db: 'postgres' });
    expect(pg.files.map((f) => f.path)).toContain('src/worker/durable/postgres.rs');
    expect(fileOf(pg, 'tests/service/durable_queue/backend.rs')).toContain('PgQueue');
  });
});
