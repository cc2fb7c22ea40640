import path from 'node:path';

import { locateCrate } from '../add/locate.js';
import { planAdd } from '../add/plan-add.js';
import { describeChanges, writeChanges } from '../apply/write-changes.js';
import type { DbKind } from '../catalog/types.js';
import { DB_KINDS } from '../catalog/types.js';
import { CancelledError, CliError } from '../errors.js';
import { asPackAuthorError } from '../pack/author-errors.js';
import { applyPacks, builtinSetup } from '../pack/setup.js';
import { parseQueue } from '../plan/answers.js';
import { assertClean } from '../post/git.js';
import { formatSummary, summarizeChanges } from './change-summary.js';
import { whileWriting } from './signals.js';
import { isInteractive } from './terminal.js';
import { warnIgnored } from './warnings.js';

interface AddFlags {
  path?: string;
  package?: string;
  db?: string;
  queue?: string;
  template?: string;
  dryRun?: boolean;
  json?: boolean;
  yes?: boolean;
  allowDirty?: boolean;
  overwrite?: boolean;
}

/** `create-rust-async add <component...>`: adds modules to an existing crate, idempotently. */
export async function runAdd(ids: string[], flags: AddFlags): Promise<number> {
  if (flags.db !== undefined && !(DB_KINDS as readonly string[]).includes(flags.db)) {
    throw new CliError(`unknown --db ${JSON.stringify(flags.db)}`, `Use one of: ${DB_KINDS.join(', ')}`);
  }
  const queue = flags.queue === undefined ? undefined : parseQueue(flags.queue);
  const crate = await locateCrate(flags.path ?? '.', flags.package);
  const builtin = await builtinSetup();
  let setup = builtin;
  // `--template` is typed relative to where the command runs; the crate's own is stored relative to the crate.
  const own = crate.manifest?.template === undefined ? undefined : { spec: crate.manifest.template, from: crate.root };
  const pack = flags.template === undefined ? own : { spec: flags.template, from: process.cwd() };
  if (pack) {
    const { loadPackChain } = await import('../pack/load.js');
    const { samePack } = await import('../pack/reference.js');
    const withPack = await applyPacks(builtin, await loadPackChain(pack.spec, pack.from));
    // A crate made with the pack gets all of it; any other crate only the pack's components, not
    // its house files and overrides, which belong to `new`.
    setup =
      own && (pack === own || (await samePack(pack, own)))
        ? withPack
        : { ...withPack, base: builtin.base, templates: new Map([...withPack.templates, ...builtin.templates]) };
  }

  // A crate that has the worker keeps its queue: --queue applies when the worker is added.
  const hasWorker = crate.manifest?.components.includes('worker') ?? false;
  // A crate that has db keeps its driver: --db then must not change what the other components
  // are planned against, and is reported as ignored.
  const hasDb = crate.manifest?.components.includes('db') ?? false;
  const db = hasDb ? undefined : (flags.db as DbKind | undefined);
  let plan: Awaited<ReturnType<typeof planAdd>>;
  try {
    plan = await planAdd({ crate, requested: ids, setup, db, queue: hasWorker ? undefined : queue, overwrite: Boolean(flags.overwrite) });
  } catch (error) {
    throw asPackAuthorError(error, setup.origins);
  }
  const out = (text: string) => process.stdout.write(text);
  if (flags.db !== undefined && !plan.adding.includes('db')) {
    warnIgnored(
      `--db ${flags.db}`,
      hasDb
        ? `${crate.name} has the db component already${crate.manifest?.answers.db ? ` (with ${crate.manifest.answers.db})` : ''}, and add does not change its driver`
        : 'it applies only when db is one of the components added',
    );
  }
  if (flags.queue !== undefined && !plan.adding.includes('worker')) {
    warnIgnored(
      `--queue ${flags.queue}`,
      hasWorker
        ? `${crate.name} has the worker already${crate.manifest?.answers.queue ? ` (with ${crate.manifest.answers.queue})` : ''}, and add does not change its queue`
        : 'it applies only when worker is one of the components added',
    );
  }
  if (flags.allowDirty && flags.dryRun) warnIgnored('--allow-dirty', 'a dry run writes nothing, so it does not check for uncommitted changes');
  if (plan.adding.length === 0) {
    if (flags.json) out(`${JSON.stringify({ ok: true, crate: crate.root, added: [], present: plan.present, changes: [] }, null, 2)}\n`);
    else out(`Nothing to do: ${plan.present.join(', ')} ${plan.present.length === 1 ? 'is' : 'are'} already in ${crate.name}.\n`);
    return 0;
  }
  if (!flags.dryRun && !flags.allowDirty) await assertClean(crate.root, 'add');
  if (plan.required.length > 0 && !flags.yes && !flags.json && !flags.dryRun && isInteractive()) {
    const { confirm } = await import('@inquirer/prompts');
    const ok = await confirm({ message: `${plan.required.join(', ')} will be added too (required). Continue?`, default: true }).catch(() => false);
    if (!ok) throw new CancelledError();
  }

  if (plan.conflicts.length > 0) {
    // Nothing is written: a crate half-changed, or changed around the user's edits, may not build.
    const files = plan.conflicts.map((c) => c.path).join(', ');
    throw new CliError(
      `add ${plan.adding.join(', ')} would change ${files}, which you edited where the change goes; nothing was written`,
      `Make these changes by hand, commit, then run add again (or pass --overwrite to replace the files):\n${plan.manualSteps.map((step) => `- ${step}`).join('\n')}`,
    );
  }

  if (flags.dryRun) {
    const diff = await describeChanges(plan.changes);
    // A diff of a new component runs to a thousand lines: the table says what changes at a glance.
    const summary = await summarizeChanges(plan.changes);
    if (flags.json) {
      out(`${JSON.stringify({ ok: true, dryRun: true, crate: crate.root, adding: plan.adding, changes: plan.changes.map((c) => c.path), summary, diff, manualSteps: plan.manualSteps }, null, 2)}\n`);
    } else {
      out(`Dry run: add ${plan.adding.join(', ')} to ${crate.name} (nothing written)\n\n${formatSummary(summary)}\n\n${diff}`);
    }
    return 0;
  }

  await whileWriting((signal) => writeChanges(crate.root, plan.changes, signal));
  const { keepBlobs } = await import('../upgrade/git-objects.js');
  await keepBlobs(crate.root, plan.bases);

  const created = plan.changes.filter((c) => c.before === undefined).map((c) => c.path);
  const modified = plan.changes.filter((c) => c.before !== undefined).map((c) => c.path);
  if (flags.json) {
    out(
      `${JSON.stringify(
        { ok: true, crate: crate.root, added: plan.adding, required: plan.required, present: plan.present, created, modified, warnings: plan.warnings, manualSteps: plan.manualSteps },
        null,
        2,
      )}\n`,
    );
    return 0;
  }
  const lines = [`Added ${plan.adding.join(', ')} to ${crate.name} (${path.relative(process.cwd(), crate.root) || '.'}).`];
  if (plan.required.length > 0) lines.push(`${plan.required.join(', ')} ${plan.required.length === 1 ? 'was' : 'were'} added because another component requires it.`);
  if (plan.present.length > 0) lines.push(`Already present: ${plan.present.join(', ')}.`);
  lines.push(...created.map((f) => `  + ${f}`), ...modified.map((f) => `  ~ ${f}`));
  for (const warning of plan.warnings) lines.push(`Warning: ${warning}.`);
  if (plan.manualSteps.length > 0) lines.push('', 'To finish by hand:', ...plan.manualSteps.map((step) => `- ${step}`));
  lines.push('', 'Then: cargo test');
  out(`${lines.join('\n')}\n`);
  return 0;
}
