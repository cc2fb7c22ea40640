import { BASE } from './base.js';
import { DB } from './components/db.js';
import { GRPC } from './components/grpc.js';
import { HTTP_CLIENT } from './components/http-client.js';
import { HTTP_SERVER } from './components/http-server.js';
import { PIPELINE } from './components/pipeline.js';
import { WORKER } from './components/worker.js';
import type { Component } from './types.js';

export { BASE };
export type { Component };

/**
 * The built-in components, in the order they are offered and wired (`app::run` starts them in
 * this order, so a component comes after the ones whose handles it uses).
 * Adding one is a folder under `templates/` plus an entry in `components/` listed here.
 */
export const COMPONENTS: readonly Component[] = [
  DB,
  HTTP_CLIENT,
  PIPELINE,
  WORKER,
  GRPC,
  HTTP_SERVER,
];
