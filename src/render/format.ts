import type { PlannedFile } from '../plan/plan-new.js';

/** What prettier formats in a generated crate; Rust is left to rustfmt. */
const PRETTIER_PARSERS: Record<string, string> = {
  '.md': 'markdown',
  '.yml': 'yaml',
  '.yaml': 'yaml',
  '.json': 'json',
};

function parserFor(filePath: string): string | undefined {
  const dot = filePath.lastIndexOf('.');
  return dot === -1 ? undefined : PRETTIER_PARSERS[filePath.slice(dot)];
}

/**
 * Formats Markdown, YAML and JSON with prettier, so conditional template sections never leave
 * stray blank lines. prettier is imported only here, and only when such a file is planned.
 */
export async function formatFiles(files: readonly PlannedFile[]): Promise<PlannedFile[]> {
  if (!files.some((file) => parserFor(file.path))) return [...files];
  const prettier = await import('prettier');
  return Promise.all(
    files.map(async (file) => {
      const parser = parserFor(file.path);
      if (!parser) return file;
      try {
        return { ...file, content: await prettier.format(file.content, { parser, proseWrap: 'preserve' }) };
      } catch (error) {
        const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
        throw new Error(`generated ${file.path} does not parse as ${parser}: ${reason}`);
      }
    }),
  );
}
