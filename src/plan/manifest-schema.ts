/**
 * The shape of `.create-rust-async.json`, checked before `upgrade` trusts it: a manifest edited by
 * hand into something else is reported with the field, not merged from.
 */
export const MANIFEST_SCHEMA = {
  type: 'object',
  required: ['tool', 'version', 'components', 'answers', 'files'],
  properties: {
    tool: { const: 'create-rust-async' },
    version: { type: 'string', pattern: '^\\d+\\.\\d+\\.\\d+' },
    kind: { const: 'foreign' },
    components: { type: 'array', items: { type: 'string', minLength: 1 } },
    answers: {
      type: 'object',
      required: ['name', 'db', 'ci', 'docker'],
      properties: {
        name: { type: 'string', minLength: 1 },
        db: { enum: ['sqlite', 'postgres'] },
        ci: { type: 'boolean' },
        docker: { type: 'boolean' },
        extra: { type: 'object', additionalProperties: { type: ['string', 'boolean'] } },
      },
    },
    template: { type: 'string', minLength: 1 },
    packs: { type: 'array', items: { type: 'string' } },
    files: { type: 'object', additionalProperties: { type: 'string', pattern: '^sha256-[0-9a-f]{64}$' } },
    blobs: { type: 'object', additionalProperties: { type: 'string', pattern: '^[0-9a-f]{40}$' } },
  },
} as const;
