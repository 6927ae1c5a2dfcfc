// Types for module-graph.js, so TypeScript tests can read the graph.
export declare const MODULE_GRAPH: Readonly<Record<string, readonly string[]>>;
export declare const TEMPORARY_EXCEPTIONS: {
  readonly deepImportsFrom: readonly string[];
  readonly deepImportsInto: readonly string[];
  readonly edges: Readonly<Record<string, readonly string[]>>;
};
export declare function mayImport(from: string, to: string): boolean;
export declare function mermaidOf(graph?: Readonly<Record<string, readonly string[]>>): string;
