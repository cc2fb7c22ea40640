/**
 * Packages that only team template packs need, with the exact versions installed on first use
 * (src/tools/ensure-package.ts). They match the devDependencies the tests run against (a unit test
 * checks), so users get the versions that were tested.
 */
export const TOOL_PACKAGES = {
  /** Formats Markdown, YAML and JSON rendered from a pack's templates. */
  prettier: '3.10.1',
  /** Runs a pack's plopfile generators. */
  'node-plop': '0.32.3',
} as const;

export type ToolPackage = keyof typeof TOOL_PACKAGES;
