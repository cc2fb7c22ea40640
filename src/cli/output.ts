import path from 'node:path';

import type { Answers } from '../plan/answers.js';
import type { Plan } from '../plan/plan-new.js';
import { contentBytes, isBinary } from '../render/binary.js';

/** Where the user goes next; the same list in text and in `--json`. */
function nextSteps(answers: Answers, target: string): string[] {
  const relative = path.relative(process.cwd(), target) || '.';
  const steps = relative === '.' ? [] : [`cd ${relative.includes(' ') ? JSON.stringify(relative) : relative}`];
  steps.push('cp .env.example .env', 'cargo test', 'cargo run');
  if (answers.components.includes('db') && answers.db === 'postgres') {
    steps.splice(steps.length - 2, 0, '# start Postgres and set DATABASE_URL in .env (see README.md)');
  }
  if (answers.components.includes('worker') && answers.queue === 'redis') {
    steps.splice(steps.length - 2, 0, '# start Redis and set REDIS_URL in .env (see README.md)');
  }
  return steps;
}

function size(content: string): string {
  const bytes = contentBytes(content).length;
  return bytes < 1024 ? `${bytes} B` : `${(bytes / 1024).toFixed(1)} kB`;
}

/** `--dry-run`: every file that would be created, with its size and first meaningful line. */
export function printDryRun(plan: Plan, target: string, json: boolean): void {
  if (json) {
    const files = plan.files.map((file) => ({ path: file.path, bytes: contentBytes(file.content).length }));
    process.stdout.write(`${JSON.stringify({ ok: true, dryRun: true, dir: target, name: plan.name, components: plan.components, files }, null, 2)}\n`);
    return;
  }
  const lines = [`Dry run: would create ${plan.files.length} files in ${target} (nothing written)`, ''];
  const width = Math.max(...plan.files.map((file) => file.path.length));
  for (const file of plan.files) {
    const first = isBinary(file.content) ? '(binary)' : (file.content.split('\n').find((line) => line.trim() !== '') ?? '');
    lines.push(`  + ${file.path.padEnd(width)}  ${size(file.content).padStart(8)}  ${first.trim().slice(0, 60)}`);
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}

export interface Summary {
  plan: Plan;
  answers: Answers;
  target: string;
  written: string[];
  unchanged: string[];
  verified: string[];
  notes: string[];
}

export function printSummary(summary: Summary, json: boolean): void {
  const { plan, answers, target } = summary;
  const steps = nextSteps({ ...answers, components: plan.components }, target);
  if (json) {
    const result = {
      ok: true,
      dir: target,
      name: plan.name,
      components: plan.components,
      added: plan.added,
      db: plan.components.includes('db') ? answers.db : undefined,
      files: summary.written,
      unchanged: summary.unchanged,
      verified: summary.verified,
      notes: summary.notes,
      nextSteps: steps,
    };
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    return;
  }
  const chosen = plan.components.length > 0 ? plan.components.join(', ') : 'no components';
  const lines = [`Created ${plan.name} in ${target} (${chosen}; ${summary.written.length} files).`];
  if (plan.added.length > 0) lines.push(`Added ${plan.added.join(', ')}, required by the components you chose.`);
  if (summary.unchanged.length > 0) lines.push(`${summary.unchanged.length} files were already there with the same content.`);
  if (summary.verified.length > 0) lines.push(`Verified: ${summary.verified.join(', ')} passed.`);
  for (const note of summary.notes) lines.push(`Note: ${note}.`);
  lines.push('', 'Next steps:', ...steps.map((step) => `  ${step}`));
  process.stdout.write(`${lines.join('\n')}\n`);
}
