import path from 'node:path';

import { TargetNotEmptyError, checkTarget } from '../apply/target.js';
import { writeNew } from '../apply/write-new.js';
import { CancelledError, CliError } from '../errors.js';
import type { Preset } from '../pack/types.js';
import { asPackAuthorError } from '../pack/author-errors.js';
import { buildNewPlan } from '../plan/build.js';
import { assertNotACommandTypo } from './did-you-mean.js';
import { type Asker, type NewFlags, gatherAnswers } from './gather-answers.js';
import { printDryRun, printSummary } from './output.js';
import { preflightNew } from './preflight.js';
import { whileWriting } from './signals.js';
import { isInteractive, spinner } from './terminal.js';
import { warnIgnored } from './warnings.js';

/** The built-ins, with the `--template` pack (or the preset's) laid over them. */
async function loadSetup(template: string | undefined) {
  const { builtinSetup, applyPacks } = await import('../pack/setup.js');
  const setup = await builtinSetup();
  if (template === undefined) return setup;
  const { loadPackChain } = await import('../pack/load.js');
  return applyPacks(setup, await loadPackChain(template, process.cwd()));
}

/** `create-rust-async new`: answers → plan → one write → optional format, git and verify. */
export async function runNew(dirArg: string | undefined, flags: NewFlags, how: { commandNamed?: boolean } = {}): Promise<number> {
  if (dirArg !== undefined && dirArg.trim() === '') {
    throw new CliError('the directory is an empty string', 'Name the directory to create, e.g. my-svc, or . for the current one');
  }
  if (!how.commandNamed) assertNotACommandTypo(dirArg);
  const interactive = isInteractive() && !flags.json;
  await preflightNew(flags);
  if (flags.savePreset !== undefined && flags.dryRun) warnIgnored('--save-preset', 'a dry run writes nothing, the preset included');
  if (flags.verbose && !flags.verify) warnIgnored('--verbose', 'it only changes what --verify shows');
  const preset: Preset = flags.preset ? await import('../pack/preset.js').then((m) => m.readPreset(flags.preset as string)) : {};
  const template = flags.template ?? preset.template;
  const setup = await loadSetup(template);
  const asker: Asker | undefined = interactive ? await import('./prompts.js').then((m) => m.loadPrompts()) : undefined;

  // A non-empty directory typed at the prompt is asked about (cancel, or add beside the files, as
  // --force does); given as an argument it stays an error, as scripts expect.
  let force = Boolean(flags.force);
  const checkDir = async (dir: string, asked: boolean) => {
    try {
      return await checkTarget(path.resolve(dir), force);
    } catch (error) {
      if (!(asked && asker && error instanceof TargetNotEmptyError)) throw error;
      if ((await asker.nonEmpty(path.resolve(dir))) === 'cancel') throw new CancelledError();
      force = true;
      return checkTarget(path.resolve(dir), force);
    }
  };
  const answers = await gatherAnswers(
    dirArg,
    { flags, preset, defaults: setup.defaults, locks: setup.locks, catalog: setup.catalog, questions: setup.questions },
    asker,
    checkDir,
  );
  const target = path.resolve(answers.dir);
  const state = await checkTarget(target, force);
  if (flags.force && state !== 'non-empty') warnIgnored('--force', `${target} is ${state === 'missing' ? 'new' : 'empty'}, so there is nothing to keep`);
  // A planning error that names a pack's file is the pack author's to fix.
  const reference = template === undefined ? undefined : (await import('../pack/reference.js')).packReference(template, process.cwd(), target);
  const plan = await buildNewPlan(answers, setup, reference).catch(
    (error: unknown) => {
      throw asPackAuthorError(error, setup.origins);
    },
  );

  if (flags.dryRun) {
    printDryRun(plan, target, Boolean(flags.json));
    return 0;
  }

  const result = await whileWriting((signal) => writeNew(plan.files, target, state, signal));

  const progress = spinner(interactive);
  const notes: string[] = [];
  if (flags.savePreset) {
    const { savePreset } = await import('../pack/preset.js');
    await savePreset(flags.savePreset, answers, template);
    notes.push(`answers saved to ${flags.savePreset}; replay them with --preset ${flags.savePreset}`);
  }
  // Rust from a template pack is not proven rustfmt-clean the way built-in templates are.
  if (plan.files.some((file) => file.origin === 'pack' && file.path.endsWith('.rs'))) {
    progress.start('cargo fmt');
    const { cargoFmt } = await import('../post/cargo.js');
    const outcome = await cargoFmt(target);
    progress.stop();
    if (outcome === 'no-cargo') notes.push('cargo was not found, so files from the template pack were not formatted; run cargo fmt');
    if (outcome === 'failed') notes.push('cargo fmt failed on files from the template pack; run it to see why');
  }
  if (answers.git) {
    progress.start('git init');
    const { gitInit } = await import('../post/git.js');
    const outcome = await gitInit(target, state);
    if (outcome.note) notes.push(outcome.note);
    if (flags.git === true && outcome.done === 'skipped' && outcome.note) warnIgnored('--git', outcome.note);
    progress.stop();
  }
  let verified: string[] = [];
  if (flags.verify) {
    const { verifyCrate } = await import('../post/cargo.js');
    // At a terminal a spinner line with the elapsed time; elsewhere (CI logs) one line per step
    // start and end, so minutes of cargo are never silent.
    const live = interactive && process.stderr.isTTY;
    let ticker: NodeJS.Timeout | undefined;
    try {
      verified = await verifyCrate(target, {
        start(step, total, label) {
          const began = Date.now();
          const line = () => `[${step}/${total}] ${label} in ${answers.dir} (${Math.round((Date.now() - began) / 1000)}s)`;
          if (live && !flags.verbose) {
            progress.start(line());
            ticker = setInterval(() => progress.start(line()), 1000);
          } else process.stderr.write(`[${step}/${total}] ${label} in ${answers.dir} …\n`);
        },
        done(step, total, label, seconds) {
          clearInterval(ticker);
          progress.stop();
          process.stderr.write(`[${step}/${total}] ${label} passed (${seconds.toFixed(1)}s)\n`);
        },
        live: flags.verbose ? process.stderr : undefined,
        failure: process.stderr,
      });
    } finally {
      clearInterval(ticker);
      progress.stop();
    }
  }

  printSummary({ plan, answers, target, written: result.written, unchanged: result.unchanged, verified, notes }, Boolean(flags.json));
  return 0;
}
