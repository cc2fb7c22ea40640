import type { Component, DbKind } from '../catalog/types.js';
import { CancelledError } from '../errors.js';
import type { Asker } from './gather-answers.js';

/**
 * The questions `new` asks at a terminal, one per flag. @inquirer/prompts is imported only here,
 * and this module only when there is a terminal to ask.
 */
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
    components: (catalog: readonly Component[], preselected: readonly string[]) =>
      ask(
        inquirer.checkbox({
          message: 'Components:',
          choices: catalog.map((component) => ({
            value: component.id,
            name: `${component.id} — ${component.description}`,
            checked: preselected.includes(component.id),
          })),
        }),
      ),
    db: (fallback: DbKind) =>
      ask(
        inquirer.select<DbKind>({
          message: 'Database for the db component:',
          default: fallback,
          choices: [
            { value: 'sqlite', name: 'sqlite — embedded file, no server needed' },
            { value: 'postgres', name: 'postgres — production server' },
          ],
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
