import type { Component, DbKind } from '../catalog/types.js';
import { CancelledError } from '../errors.js';

/**
 * The questions `new` asks at a terminal, one per flag. @inquirer/prompts is imported only here,
 * and this module only when there is a terminal to ask.
 */
export async function loadPrompts() {
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
    name: (fallback: string, validate: (value: string) => string | undefined) =>
      ask(
        inquirer.input({
          message: 'Crate name (also the directory):',
          default: fallback,
          validate: (value) => validate(value.trim()) ?? true,
        }),
      ).then((value) => value.trim()),
    components: (catalog: readonly Component[]) =>
      ask(
        inquirer.checkbox({
          message: 'Components:',
          choices: catalog.map((component) => ({
            value: component.id,
            name: `${component.id} — ${component.description}`,
            checked: component.default,
          })),
        }),
      ),
    db: () =>
      ask(
        inquirer.select<DbKind>({
          message: 'Database for the db component:',
          choices: [
            { value: 'sqlite', name: 'sqlite — embedded file, no server needed' },
            { value: 'postgres', name: 'postgres — production server' },
          ],
        }),
      ),
    confirm: (message: string, fallback: boolean) => ask(inquirer.confirm({ message, default: fallback })),
  };
}
