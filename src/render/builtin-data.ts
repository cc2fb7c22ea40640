/** One built-in template file as the build embeds it (scripts/precompile-templates.mjs writes them). */
export interface EmbeddedFile {
  /** Path inside its folder, `/`-separated, sorted within the folder. */
  source: string;
  content: string;
  executable: boolean;
  /** `Handlebars.precompile` output for `.hbs` files. */
  spec?: object;
}

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
