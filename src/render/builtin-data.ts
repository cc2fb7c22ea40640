/**
 * One built-in template file as the build embeds it (scripts/precompile-templates.mjs writes them):
 * a `.hbs` file as its `Handlebars.precompile` output only, any other file as its text.
 */
export type EmbeddedFile = {
  /** Path inside its folder, `/`-separated, sorted within the folder. */
  source: string;
  executable: boolean;
} & ({ spec: object } | { content: string });

/** Template folder name → its files. */
export type EmbeddedTemplates = Record<string, EmbeddedFile[]>;

/**
 * The built-in templates compiled into the package. Running from source there are none (templates
 * are read from disk); the bundle build replaces this module with one that imports the data file
 * next to the bundle, which is loaded only by commands that render templates.
 */
export async function embeddedTemplates(): Promise<EmbeddedTemplates | undefined> {
  return undefined;
}
