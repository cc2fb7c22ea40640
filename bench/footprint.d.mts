// Types for bench/footprint.mjs, which the packed-tarball test uses too.
export declare function installedPackages(nodeModules: string): Promise<string[]>;
export declare function installedBytes(dir: string): Promise<number>;
