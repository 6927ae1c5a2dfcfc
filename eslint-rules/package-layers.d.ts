// Types for package-layers.js, so TypeScript tests can read the declarations.
export declare const PACKAGE_RUNTIMES: Readonly<Record<string, 'node' | 'dom' | 'shared'>>;
export declare function runtimesOf(layer: string): string[];
export declare function packageOf(specifier: string): string;
