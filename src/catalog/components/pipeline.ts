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
  },
};
