// Only what a module's index.ts exports is its public API: this lists, per service module, the
// door exports nobody outside uses, and the files other code imports past a door.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MODULE_GRAPH, TEMPORARY_EXCEPTIONS, mermaidOf } from '../../../eslint-rules/module-graph.js';
import { crossModuleImports, doorExports, isDoor, SERVICES_DIR, serviceModules, sourceFiles } from './service-imports.ts';

const root = join(import.meta.dirname, '..', '..', '..');
const modules = serviceModules(root);
const doorless = new Set<string>(TEMPORARY_EXCEPTIONS.deepImportsInto);
const deepImporters = new Set<string>(TEMPORARY_EXCEPTIONS.deepImportsFrom);
const imports = crossModuleImports(root, sourceFiles(root, 'src'));

/** Strongly connected groups of more than one module (Tarjan), each sorted. */
function cyclesOf(graph: Readonly<Record<string, readonly string[]>>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    for (const w of graph[v] ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (stack.includes(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const group: string[] = [];
      let w: string | undefined;
      do {
        w = stack.pop();
        if (w !== undefined) group.push(w);
      } while (w !== undefined && w !== v);
      if (group.length > 1) cycles.push(group.sort());
    }
  };
  for (const v of Object.keys(graph)) if (!index.has(v)) visit(v);
  return cycles;
}

describe('every service module has one door', () => {
  it.each(modules.filter((m) => !doorless.has(m)))('%s has an index.ts', (module) => {
    expect(existsSync(join(root, SERVICES_DIR, module, 'index.ts'))).toBe(true);
  });
});

describe('doors export only what other modules use', () => {
  it('no door exports a name nobody outside its module imports', () => {
    const unused: Record<string, string[]> = {};
    for (const module of modules.filter((m) => !doorless.has(m))) {
      const used = new Set(imports.filter((s) => s.module === module).flatMap((s) => s.names));
      const idle = doorExports(root, `${SERVICES_DIR}/${module}/index.ts`).filter((name) => !used.has(name));
      if (idle.length > 0) unused[module] = idle;
    }
    expect(unused).toEqual({});
  });

  it('no file outside a module imports past its door (beyond the temporary exceptions)', () => {
    const deep = imports
      .filter((s) => !isDoor(s.to) && !doorless.has(s.module) && !(s.fromModule && deepImporters.has(s.fromModule)))
      .map((s) => `${s.from} → ${s.to}`);
    expect(deep).toEqual([]);
  });
});

describe('the module graph', () => {
  it('names every service module, and only those', () => {
    const reshaped = modules.filter((m) => doorless.has(m));
    expect(Object.keys(MODULE_GRAPH).sort()).toEqual(modules.filter((m) => !reshaped.includes(m)));
  });

  it('declares no edge the code does not use', () => {
    const used = new Set(imports.filter((s) => s.fromModule).map((s) => `${s.fromModule} → ${s.module}`));
    const stale = Object.entries(MODULE_GRAPH)
      .flatMap(([from, tos]) => tos.map((to) => `${from} → ${to}`))
      .filter((edge) => !used.has(edge));
    expect(stale).toEqual([]);
  });

  it('has no cycle', () => {
    expect(cyclesOf(MODULE_GRAPH)).toEqual([]);
  });

  it('is drawn in docs/architecture.md exactly as eslint-rules/module-graph.js declares it', () => {
    const doc = readFileSync(join(root, 'docs', 'architecture.md'), 'utf8');
    const block = `\`\`\`mermaid\n${mermaidOf()}\n\`\`\``;
    expect(doc.includes(block), `docs/architecture.md should carry, under "Service modules":\n${block}`).toBe(true);
  });
});
