import { describe, expect, it } from 'vitest';

import { COMPONENTS } from '../../src/catalog/index.js';
import { PACK_SCHEMA } from '../../src/pack/schema.js';
import { validate } from '../../src/pack/validate.js';

// A team pack's component is written in the same terms as a built-in one: every wiring point and
// field the built-ins use must be accepted in a pack manifest too, or packs cannot wire in.
describe('pack manifest schema', () => {
  it.each(COMPONENTS.map((component) => [component.id, component] as const))('accepts the built-in %s written as a pack component', (_, component) => {
    const manifest = JSON.parse(JSON.stringify({ name: 'as-a-pack', components: [component] })) as unknown;
    expect(() => validate(PACK_SCHEMA, manifest, 'rust-async-template.json')).not.toThrow();
  });
});
