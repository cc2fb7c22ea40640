import path from 'node:path';

import { checkTarget } from '../apply/target.js';
import { writeNew } from '../apply/write-new.js';
import { CancelledError } from '../errors.js';
import { buildNewPlan } from '../plan/build.js';
import { type Asker, type NewFlags, gatherAnswers } from './answers-from-flags.js';
import { printDryRun, printSummary } from './output.js';
import { isInteractive, spinner } from './terminal.js';

/** `create-rust-async new`: answers → plan → one write → optional git and verify. */
export async function runNew(dirArg: string | undefined, flags: NewFlags): Promise<number> {
  const interactive = isInteractive() && !flags.json;
  const asker: Asker | undefined = interactive ? await import('./prompts.js').then((m) => m.loadPrompts()) : undefined;

  const answers = await gatherAnswers(dirArg, flags, asker, (dir) => checkTarget(path.resolve(dir), Boolean(flags.force)));
  const target = path.resolve(answers.dir);
  const state = await checkTarget(target, Boolean(flags.force));
  const plan = await buildNewPlan(answers);

  if (flags.dryRun) {
    printDryRun(plan, target, Boolean(flags.json));
    return 0;
  }

  // Ctrl-C while writing: stop between files and let the writer remove what it staged.
  const abort = new AbortController();
  const onSigint = () => abort.abort();
  process.on('SIGINT', onSigint);
  let result;
  try {
    result = await writeNew(plan.files, target, state, abort.signal);
  } finally {
    process.off('SIGINT', onSigint);
  }
  if (abort.signal.aborted) throw new CancelledError();

  const progress = spinner(interactive);
  const notes: string[] = [];
  if (answers.git) {
    progress.start('git init');
    const { gitInit } = await import('../post/git.js');
    const outcome = await gitInit(target);
    if (outcome.note) notes.push(outcome.note);
    progress.stop();
  }
  let verified: string[] = [];
  if (flags.verify) {
    const { verifyCrate } = await import('../post/cargo.js');
    try {
      verified = await verifyCrate(target, (label) => progress.start(`${label} (in ${answers.dir})`));
    } finally {
      progress.stop();
    }
  }

  printSummary({ plan, answers, target, written: result.written, unchanged: result.unchanged, verified, notes }, Boolean(flags.json));
  return 0;
}
