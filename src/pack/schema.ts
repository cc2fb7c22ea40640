/**
 * JSON schemas for what users write by hand: a preset (answers file) and a template pack's
 * manifest. Validation errors name the file and the field (`components/0/id`).
 */

import { QUEUE_KINDS } from '../catalog/types.js';
import { RULES } from '../catalog/rules.js';

const WHEN = {
  type: 'object',
  additionalProperties: false,
  properties: {
    db: { enum: ['sqlite', 'postgres'] },
    queue: { oneOf: [{ enum: QUEUE_KINDS }, { type: 'array', items: { enum: QUEUE_KINDS } }] },
    ci: { type: 'boolean' },
    docker: { type: 'boolean' },
    component: { type: 'string' },
    answers: { type: 'object', additionalProperties: { type: ['string', 'boolean'] } },
  },
} as const;

/** The answers a preset, a pack's `defaults` or a pack's `lock` may give. */
const ANSWER_PROPERTIES = {
  components: {
    oneOf: [
      { type: 'array', items: { type: 'string', minLength: 1 }, uniqueItems: true },
      { type: 'string' },
    ],
  },
  db: { enum: ['sqlite', 'postgres'] },
  queue: { enum: QUEUE_KINDS },
  ci: { type: 'boolean' },
  docker: { type: 'boolean' },
  git: { type: 'boolean' },
  answers: { type: 'object', additionalProperties: { type: ['string', 'boolean'] } },
} as const;

export const PRESET_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  properties: {
    $schema: { type: 'string' },
    template: { type: 'string', minLength: 1 },
    ...ANSWER_PROPERTIES,
  },
} as const;

const RELATIVE_PATH = { type: 'string', minLength: 1 } as const;

const CRATE = {
  type: 'object',
  additionalProperties: false,
  required: ['name'],
  properties: {
    name: { type: 'string', pattern: '^[A-Za-z0-9_-]+$' },
    version: { type: 'string', minLength: 1 },
    features: { type: 'array', items: { type: 'string' } },
    defaultFeatures: { type: 'boolean' },
    dev: { type: 'boolean' },
    build: { type: 'boolean' },
    rustVersion: { type: 'string', pattern: '^1\\.[0-9]+$' },
    when: WHEN,
  },
} as const;

const IDENT = { type: 'string', pattern: '^[a-z_][a-z0-9_]*$' } as const;
const LOCALS = { type: 'array', items: IDENT } as const;
const TEXT = { type: 'string', minLength: 1 } as const;

/** A list of wiring contributions, each object with these required and optional fields (and `when`). */
function contributions(required: string[], properties: Record<string, object>) {
  return {
    type: 'array',
    items: { type: 'object', additionalProperties: false, required, properties: { ...properties, when: WHEN } },
  } as const;
}

/** A component's contributions to the wiring points (src/catalog/types.ts `Wiring`). */
const WIRING = {
  type: 'object',
  additionalProperties: false,
  required: ['module', 'layoutDoc'],
  properties: {
    module: IDENT,
    layoutDoc: TEXT,
    config: { type: 'string', pattern: '^[A-Z][A-Za-z0-9]*$' },
    start: contributions(['partial'], { partial: TEXT, provides: LOCALS, uses: LOCALS, collects: { type: 'array', items: { enum: ['http', 'grpc'] } } }),
    http: {
      type: 'object',
      additionalProperties: false,
      properties: {
        routes: contributions(['module', 'doc'], { module: IDENT, doc: TEXT }),
        state: contributions(['field', 'type', 'init', 'doc'], { field: IDENT, type: TEXT, init: TEXT, uses: LOCALS, doc: TEXT }),
        readiness: contributions(['name', 'value', 'check'], { name: TEXT, value: TEXT, check: TEXT, uses: LOCALS }),
      },
    },
    grpc: contributions(['init'], { init: TEXT, uses: LOCALS }),
    containers: contributions(['name', 'image', 'environment', 'port', 'healthcheck', 'connect'], {
      name: IDENT,
      image: TEXT,
      environment: { type: 'object', additionalProperties: { type: 'string' } },
      command: { type: 'array', items: TEXT },
      port: { type: 'integer', minimum: 1, maximum: 65535 },
      healthcheck: TEXT,
      connect: { type: 'object', additionalProperties: { type: 'string' } },
    }),
    ports: contributions(['env', 'port'], { env: { type: 'string', pattern: '^[A-Z][A-Z0-9_]*$' }, port: { type: 'integer', minimum: 1, maximum: 65535 } }),
    build: contributions(['partial'], { partial: TEXT }),
    tests: contributions(['module'], { module: IDENT }),
    testEnv: contributions(['name', 'value', 'comment'], { name: { type: 'string', pattern: '^[A-Z][A-Z0-9_]*$' }, value: TEXT, comment: TEXT, realIo: { type: 'boolean' } }),
    addresses: contributions(['name', 'doc'], { name: IDENT, doc: TEXT }),
    appTests: contributions(['partial'], { partial: TEXT }),
    flags: { type: 'object', additionalProperties: WHEN },
    rules: contributions(['rule', 'file', 'test'], { rule: { enum: Object.keys(RULES) }, file: RELATIVE_PATH, test: IDENT, testFile: RELATIVE_PATH, doc: { type: 'boolean' } }),
  },
} as const;

const COMPONENT = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'title', 'description', 'templates', 'wiring'],
  properties: {
    id: { type: 'string', pattern: '^[a-z][a-z0-9-]*$' },
    title: { type: 'string', minLength: 1 },
    description: { type: 'string', minLength: 1 },
    requires: { type: 'array', items: { type: 'string' } },
    conflicts: { type: 'array', items: { type: 'string' } },
    default: { type: 'boolean' },
    rustVersion: { type: 'string', pattern: '^1\\.[0-9]+$' },
    crates: { type: 'array', items: CRATE },
    env: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'example', 'doc'],
        properties: {
          name: { type: 'string', pattern: '^[A-Z][A-Z0-9_]*$' },
          example: { type: 'string' },
          doc: { type: 'string', minLength: 1 },
          when: WHEN,
        },
      },
    },
    templates: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['dir'],
        properties: { dir: RELATIVE_PATH, when: WHEN },
      },
    },
    wiring: WIRING,
  },
} as const;

export const PACK_MANIFEST_FILE = 'rust-async-template.json';

export const PACK_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['name'],
  properties: {
    $schema: { type: 'string' },
    name: { type: 'string', minLength: 1 },
    description: { type: 'string' },
    extends: { type: 'string', minLength: 1 },
    defaults: { type: 'object', additionalProperties: false, properties: ANSWER_PROPERTIES },
    lock: { type: 'object', additionalProperties: false, properties: ANSWER_PROPERTIES },
    questions: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'message', 'default'],
        properties: {
          name: { type: 'string', pattern: '^[a-z][a-z0-9_]*$' },
          message: { type: 'string', minLength: 1 },
          type: { enum: ['input', 'confirm', 'select'] },
          default: { type: ['string', 'boolean'] },
          choices: { type: 'array', items: { type: 'string' }, minItems: 1 },
        },
      },
    },
    overrides: RELATIVE_PATH,
    files: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['dir'],
        properties: { dir: RELATIVE_PATH, when: WHEN },
      },
    },
    components: { type: 'array', items: COMPONENT },
    plopfile: RELATIVE_PATH,
  },
} as const;
