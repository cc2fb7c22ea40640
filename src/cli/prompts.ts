import type { Component, DbKind, QueueKind } from '../catalog/types.js';
import { CancelledError } from '../errors.js';
import type { Asker } from './gather-answers.js';

/**
 * The questions `new` asks at a terminal, one per flag. @inquirer/prompts is imported only here,
 * and this module only when there is a terminal to ask.
 */
/** `text` cut to `width` columns at a clause boundary where one is near, with an ellipsis. */
export function oneLine(text: string, width: number): string {
  if (text.length <= width) return text;
  const cut = text.slice(0, width - 1);
  const clause = cut.lastIndexOf(', ');
  return `${clause > width / 2 ? cut.slice(0, clause) : cut.trimEnd()}…`;
}

/** One line per queue at the prompt: what it costs to run. */
const QUEUE_HINTS: Record<QueueKind, string> = {
  memory: 'in-process only, lost with the process',
  postgres: 'durable, in the database you already have',
  redis: 'durable, Redis Streams',
  nats: 'durable, NATS JetStream',
};

export async function loadPrompts(): Promise<Asker> {
  const inquirer = await import('@inquirer/prompts');
  const ask = async <T>(question: Promise<T>): Promise<T> => {
    try {
      return await question;
    } catch (error) {
      // Ctrl-C at a prompt: nothing has been written yet.
      if (error instanceof Error && error.name === 'ExitPromptError') throw new CancelledError();
      throw error;
    }
  };
  return {
    name: (fallback, validate) =>
      ask(
        inquirer.input({
          message: 'Crate name (also the directory):',
          default: fallback,
          validate: (value) => validate(value.trim()) ?? true,
        }),
      ).then((value) => value.trim()),
    components: (catalog: readonly Component[], preselected: readonly string[]) => {
      // One short line per component so every one is on screen at 80 columns; the highlighted
      // one's description shows below the list, cut to one line; the answer echoes only ids.
      const width = Math.max(...catalog.map((component) => component.id.length));
      const columns = Math.max(40, (process.stdout.columns || 80) - 2);
      return ask(
        inquirer.checkbox({
          message: 'Components:',
          pageSize: catalog.length,
          loop: false,
          choices: catalog.map((component) => ({
            value: component.id,
            name: `${component.id.padEnd(width)}  ${component.title}`,
            short: component.id,
            description: oneLine(component.description, columns),
            checked: preselected.includes(component.id),
          })),
        }),
      );
    },
    nonEmpty: (dir) =>
      ask(
        inquirer.select<'cancel' | 'ignore'>({
          message: `${dir} is not empty. What now?`,
          choices: [
            { value: 'cancel', name: 'Cancel', description: 'stop here; nothing is written' },
            { value: 'ignore', name: 'Ignore the files and continue', description: 'add the generated files beside yours; none of yours is changed' },
          ],
        }),
      ),
    db: (fallback: DbKind) =>
      ask(
        inquirer.select<DbKind>({
          message: 'Database for the db component:',
          default: fallback,
          choices: [
            { value: 'sqlite', name: 'sqlite — embedded file, no server needed', short: 'sqlite' },
            { value: 'postgres', name: 'postgres — production server', short: 'postgres' },
          ],
        }),
      ),
    queue: (fallback, choices) =>
      ask(
        inquirer.select<QueueKind>({
          message: 'Queue for the worker:',
          default: fallback,
          choices: choices.map((value) => ({ value, name: `${value} — ${QUEUE_HINTS[value]}`, short: value })),
        }),
      ),
    confirm: (message, fallback) => ask(inquirer.confirm({ message, default: fallback })),
    question: (question) => {
      if (question.type === 'confirm') return ask(inquirer.confirm({ message: question.message, default: Boolean(question.default) }));
      if (question.type === 'select' && question.choices) {
        return ask(
          inquirer.select({
            message: question.message,
            default: String(question.default),
            choices: question.choices.map((value) => ({ value })),
          }),
        );
      }
      return ask(inquirer.input({ message: question.message, default: String(question.default) }));
    },
  };
}
