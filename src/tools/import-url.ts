/**
 * Imports an ES module outside the bundle by its `file:` URL (a tool installed on first use). In
 * the bundle the launcher supplies this import (src/launch/launcher.ts): the bundle's own code is
 * compiled through `vm`, where `import()` of a file is not available without an experimental flag.
 */
export const importUrl = (url: string): Promise<unknown> => import(url);
