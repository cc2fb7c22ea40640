import type { When } from '../catalog/types.js';
import { type Answers, defaultQueue } from './answers.js';

/**
 * Whether a condition holds for these answers (no condition always holds). `components` are the
 * resolved ids, so a condition can test for a component pulled in by `requires`.
 */
export function holds(
  when: When | undefined,
  answers: Pick<Answers, 'db' | 'ci' | 'docker' | 'extra' | 'queue'> & { components: readonly string[] },
): boolean {
  if (!when) return true;
  if (when.db !== undefined && when.db !== answers.db) return false;
  if (when.queue !== undefined) {
    const queue = answers.queue ?? defaultQueue(answers);
    if (!(typeof when.queue === 'string' ? [when.queue] : when.queue).includes(queue)) return false;
  }
  if (when.ci !== undefined && when.ci !== answers.ci) return false;
  if (when.docker !== undefined && when.docker !== answers.docker) return false;
  if (when.component !== undefined && !answers.components.includes(when.component)) return false;
  return Object.entries(when.answers ?? {}).every(([name, value]) => answers.extra[name] === value);
}
