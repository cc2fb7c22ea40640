import { readFile } from 'node:fs/promises';
import path from 'node:path';

import { CliError } from '../errors.js';
import { isInside } from '../paths/inside.js';
import type { FileChange } from '../plan/changes.js';
import { ensurePackage } from '../tools/ensure-package.js';

/** A generator prompt, as plop (inquirer) declares it; only what is needed to answer it. */
interface PlopPrompt {
  name: string;
  message?: string;
  default?: unknown;
}

interface PlopAction {
  type?: string;
  path?: string;
  template?: string;
  templateFile?: string;
  pattern?: string | RegExp;
  data?: Record<string, unknown>;
  skipIfExists?: boolean;
  unique?: boolean;
  separator?: string;
}

/**
 * A plopfile's generators, run through this tool's plan instead of plop's own writers: node-plop
 * loads the plopfile (its helpers, partials and generators), and each `add`, `modify` and `append`
 * action becomes an in-memory change. So `--dry-run`, conflict checks and the rollback-on-failure
 * writer hold for a team's existing generators too. Other action types (custom ones run arbitrary
 * code that writes on its own) are refused by name.
 */
export async function loadPlopfile(plopfile: string, destination: string) {
  const { default: nodePlop } = await ensurePackage<typeof import('node-plop')>('node-plop', "the template pack's plopfile");
  // A plopfile that throws, or loads a helper pack missing from the pack's node_modules, is the
  // pack author's to fix.
  const plop = await nodePlop(plopfile, { destBasePath: destination, force: false }).catch((error: unknown) => {
    const reason = error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error);
    throw new CliError(`plopfile ${plopfile} failed to load: ${reason.replace(/[.\s]+$/, '')}`, "Fix the plopfile; helper packs it loads must be installed in the pack's node_modules");
  });

  const generator = (name: string) => {
    const names = plop.getGeneratorList().map((g) => g.name);
    if (!names.includes(name)) {
      throw new CliError(`the plopfile has no generator "${name}"`, `Choose one of: ${names.join(', ') || '(none)'}`);
    }
    return plop.getGenerator(name);
  };

  return {
    generators: () => plop.getGeneratorList(),
    prompts: (name: string) => (generator(name).prompts as PlopPrompt[] | undefined) ?? [],

    /** Every change the generator's actions make, computed against the files on disk. */
    async plan(name: string, answers: Record<string, unknown>): Promise<FileChange[]> {
      const gen = generator(name);
      const actions = (typeof gen.actions === 'function' ? gen.actions(answers) : gen.actions) as unknown[];
      const tree = new Map<string, { before: string | undefined; after: string | undefined }>();
      const read = async (file: string) => {
        if (!tree.has(file)) {
          const before = await readFile(path.join(destination, file), 'utf8').catch(() => undefined);
          tree.set(file, { before, after: before });
        }
        return tree.get(file) as { before: string | undefined; after: string | undefined };
      };

      for (const [index, raw] of (actions ?? []).entries()) {
        if (typeof raw === 'string') continue; // a comment line for the console
        if (typeof raw === 'function' || typeof raw !== 'object' || raw === null) {
          throw new CliError(`generator "${name}" action ${index} is a function`, 'Only add, modify and append actions can run through the plan');
        }
        const action = raw as PlopAction;
        const data = { ...answers, ...action.data };
        if (!['add', 'modify', 'append'].includes(action.type ?? '')) {
          throw new CliError(`generator "${name}" action ${index} has type "${action.type}"`, 'Only add, modify and append actions can run through the plan');
        }
        const file = outputPath(destination, plop.renderString(action.path ?? '', data), `generator "${name}" action ${index}`);
        // getPlopfilePath() is the plopfile's directory, not the file.
        const body = plop.renderString(await templateOf(action, plop.getPlopfilePath(), `generator "${name}" action ${index}`), data);
        const entry = await read(file);

        if (action.type === 'add') {
          if (entry.after !== undefined) {
            if (action.skipIfExists) continue;
            throw new CliError(`${file} already exists (generator "${name}" action ${index})`, 'Remove it, or set skipIfExists on the action');
          }
          entry.after = body;
        } else if (entry.after === undefined) {
          throw new CliError(`${file} does not exist, so it cannot be changed (generator "${name}" action ${index})`, 'Add it first');
        } else if (action.type === 'modify') {
          entry.after = entry.after.replace(action.pattern ?? /$/, body);
        } else {
          // append: plop's default is unique, so running a generator twice adds nothing twice.
          if ((action.unique ?? true) && entry.after.includes(body)) continue;
          const separator = action.separator ?? '\n';
          if (action.pattern) {
            entry.after = entry.after.replace(action.pattern, (match) => `${match}${separator}${body}`);
          } else {
            const lead = entry.after === '' || entry.after.endsWith('\n') ? '' : separator;
            entry.after = `${entry.after}${lead}${body}${body.endsWith('\n') ? '' : '\n'}`;
          }
        }
      }
      return [...tree.entries()]
        .filter(([, entry]) => entry.after !== undefined && entry.after !== entry.before)
        .map(([file, entry]) => ({ path: file, before: entry.before, after: entry.after as string }));
    },
  };
}

/** The action's template; `templateFile` is relative to the plopfile's directory, as in plop. */
async function templateOf(action: PlopAction, plopfileDir: string, origin: string): Promise<string> {
  if (action.template !== undefined) return action.template;
  if (action.templateFile === undefined) return '';
  const file = path.resolve(plopfileDir, action.templateFile);
  return readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new CliError(`${origin}: templateFile "${action.templateFile}" cannot be read (${error.code ?? error.message}: ${file})`, 'Fix the path in the plopfile');
  });
}

/** The action's path relative to the project; a path that leaves the project is refused. */
function outputPath(destination: string, rendered: string, origin: string): string {
  const absolute = path.resolve(destination, rendered);
  const relative = path.relative(destination, absolute);
  // The project root itself is inside, but it is a folder, not a file an action can write.
  if (relative === '' || !isInside(absolute, destination)) {
    throw new CliError(`${origin} would write "${rendered}", outside the project`, 'Use a path inside the project');
  }
  return relative.split(path.sep).join('/');
}
