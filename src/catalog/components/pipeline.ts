import type { Component } from '../types.js';

/** Stages joined by bounded channels: backpressure, events, replies, draining shutdown. */
export const PIPELINE: Component = {
  id: 'pipeline',
  title: 'channel pipeline',
  description: 'stages joined by bounded mpsc (backpressure), broadcast events, oneshot replies, spawn_blocking for CPU work, draining shutdown',
  requires: [],
  conflicts: [],
  default: true,
  crates: [],
  env: [
    { name: 'PIPELINE_CHANNEL_CAPACITY', example: '64', doc: 'Pipeline: capacity of each channel between stages (a full one makes producers wait), 1 to 65536.' },
    { name: 'PIPELINE_CONCURRENCY', example: '4', doc: 'Pipeline: items the transform stage works on at once (1 to 1024).' },
    { name: 'PIPELINE_EVENTS_CAPACITY', example: '256', doc: 'Pipeline: events kept for slow subscribers before they are told they lagged (1 to 65536).' },
  ],
  templates: [{ dir: 'pipeline/common' }, { dir: 'pipeline/http', when: { component: 'http-server' } }],
  wiring: {
    module: 'pipeline',
    layoutDoc: 'stages joined by bounded channels, with events, replies and a draining shutdown',
    config: 'PipelineConfig',
    start: [{ partial: 'app_start', provides: ['pipeline'] }],
    http: {
      routes: [{ module: 'items', doc: '`/pipeline/items`: submit work and await the reply' }],
      state: [
        {
          field: 'pipeline',
          type: 'crate::pipeline::PipelineHandle',
          init: 'pipeline.clone()',
          uses: ['pipeline'],
          doc: 'The channel pipeline behind `POST /pipeline/items`.',
        },
      ],
    },
    tests: [{ module: 'pipeline' }, { module: 'items_routes', when: { component: 'http-server' } }],
    rules: [
      { rule: 'mpsc', file: 'src/pipeline.rs', test: 'items_flow_in_order_through_every_stage', testFile: 'tests/service/pipeline.rs' },
      { rule: 'broadcast', file: 'src/pipeline.rs', test: 'a_lagging_subscriber_is_told_and_catches_up', testFile: 'tests/service/pipeline.rs' },
      { rule: 'oneshot', file: 'src/pipeline.rs', test: 'a_failing_item_is_reported_and_the_rest_pass', testFile: 'tests/service/pipeline.rs' },
      { rule: 'bounded', file: 'src/pipeline.rs', test: 'a_full_pipeline_makes_producers_wait_and_try_submit_reports_full', testFile: 'tests/service/pipeline.rs' },
      { rule: 'async-locks', file: 'src/pipeline.rs', test: 'redaction_rules_apply_to_later_items', testFile: 'tests/service/pipeline.rs' },
      { rule: 'await-points', file: 'src/pipeline.rs', test: 'redaction_rules_apply_to_later_items', testFile: 'tests/service/pipeline.rs' },
      { rule: 'result-option', file: 'src/pipeline.rs', test: 'a_failing_item_is_reported_and_the_rest_pass', testFile: 'tests/service/pipeline.rs' },
      { rule: 'select', file: 'src/pipeline/stages.rs', test: 'shutdown_drains_accepted_items_and_every_stage_ends', testFile: 'tests/service/pipeline.rs' },
      { rule: 'structured', file: 'src/pipeline/stages.rs', test: 'shutdown_drains_accepted_items_and_every_stage_ends', testFile: 'tests/service/pipeline.rs' },
      { rule: 'no-blocking', file: 'src/pipeline/stages.rs', test: 'cpu_work_runs_on_the_blocking_pool', testFile: 'tests/service/pipeline.rs' },
      { rule: 'async-overhead', file: 'src/pipeline/stages.rs', test: 'cpu_work_runs_on_the_blocking_pool', testFile: 'tests/service/pipeline.rs' },
      { rule: 'yield-now', file: 'src/pipeline/stages.rs', test: 'items_flow_in_order_through_every_stage', testFile: 'tests/service/pipeline.rs' },
      { rule: 'contention', file: 'src/pipeline.rs', test: 'a_failing_item_is_reported_and_the_rest_pass', testFile: 'tests/service/pipeline.rs' },
      { rule: 'tokio-test', file: 'src/pipeline.rs', test: 'a_lagging_subscriber_is_told_and_catches_up', testFile: 'tests/service/pipeline.rs' },
      { rule: 'time-pause', file: 'src/pipeline.rs', test: 'a_full_pipeline_makes_producers_wait_and_try_submit_reports_full', testFile: 'tests/service/pipeline.rs' },
      { rule: 'fakes', file: 'src/pipeline.rs', test: 'a_full_pipeline_makes_producers_wait_and_try_submit_reports_full', testFile: 'tests/service/pipeline.rs' },
      { rule: 'integration-tests', file: 'src/pipeline.rs', test: 'shutdown_drains_accepted_items_and_every_stage_ends', testFile: 'tests/service/pipeline.rs' },
    ],
  },
};
