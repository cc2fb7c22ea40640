import type { When } from '../catalog/types.js';
import type { Answers } from './answers.js';

/** Whether a catalog item's condition holds for these answers (no condition always holds). */
export function holds(when: When | undefined, answers: Pick<Answers, 'db' | 'ci' | 'docker'>): boolean {
  if (!when) return true;
  return (Object.keys(when) as (keyof When)[]).every((key) => when[key] === answers[key]);
}
