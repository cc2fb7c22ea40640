/**
 * One file to create or change in an existing project: what planning (`add`, plop generators)
 * produces and the writer applies, so the type belongs to the plan rather than to either side.
 */
export interface FileChange {
  /** Path relative to the project root, `/`-separated. */
  path: string;
  /** The content the plan was computed from; `undefined` for a new file. */
  before: string | undefined;
  /** The content to write; `undefined` removes the file (`upgrade`, for a file the templates dropped). */
  after: string | undefined;
}
