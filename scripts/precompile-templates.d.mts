// Types for the build script's module, which the unit tests import.
export declare const COMPILE_OPTIONS: { strict: boolean; noEscape: boolean };
export declare function templatesModule(root: string): Promise<string>;
