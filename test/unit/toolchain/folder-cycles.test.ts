import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..', '..');

/**
 * The folder a source file belongs to, as the architecture counts modules: each module under
 * src/main/services, each adapter under src/adapters (its shared contract files count as
 * "adapters"), each runtime under src/main, each renderer feature and each other renderer
 * folder (app shell, api, i18n, lib…), and the other top-level folders of src whole.
 */
export function folderOf(path: string): string | undefined {
  const parts = path.split('\\').join('/').split('/');
  if (parts[0] !== 'src' || parts.length < 3) return undefined;
  const inFolder = (depth: number) => parts.length > depth + 1;
  if (parts[1] === 'main' && parts[2] === 'services' && inFolder(3)) return parts.slice(0, 4).join('/');
  if (parts[1] === 'main' && inFolder(2)) return parts.slice(0, 3).join('/');
  if (parts[1] === 'adapters' && inFolder(2)) return parts.slice(0, 3).join('/');
  if (parts[1] === 'renderer' && parts[2] === 'features' && inFolder(3)) return parts.slice(0, 4).join('/');
  if (parts[1] === 'renderer' && inFolder(2)) return parts.slice(0, 3).join('/');
  return parts.slice(0, 2).join('/');
}

const IMPORT = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)['"](\.[^'"]+)['"]/g;

/** Folder → the folders its files import (relative imports; packages are not ours). */
export function folderGraph(files: ReadonlyMap<string, string>): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  for (const [file, text] of files) {
    const from = folderOf(file);
    if (!from) continue;
    const edges = graph.get(from) ?? new Set<string>();
    graph.set(from, edges);
    for (const match of text.matchAll(IMPORT)) {
      const to = folderOf(relative(root, resolve(root, dirname(file), match[1]!)));
      if (to && to !== from) edges.add(to);
    }
  }
  return graph;
}

/** Every group of folders that import each other round a loop (Tarjan's strongly connected components). */
export function folderCycles(graph: ReadonlyMap<string, ReadonlySet<string>>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (node: string) => {
    index.set(node, next);
    low.set(node, next);
    next += 1;
    stack.push(node);
    onStack.add(node);
    for (const to of graph.get(node) ?? []) {
      if (!index.has(to)) {
        visit(to);
        low.set(node, Math.min(low.get(node)!, low.get(to)!));
      } else if (onStack.has(to)) {
        low.set(node, Math.min(low.get(node)!, index.get(to)!));
      }
    }
    if (low.get(node) !== index.get(node)) return;
    const component: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      component.push(member);
    } while (member !== node);
    if (component.length > 1) cycles.push(component.sort());
  };
  for (const node of [...graph.keys()].sort()) if (!index.has(node)) visit(node);
  return cycles;
}

function sourceFiles(): Map<string, string> {
  const files = new Map<string, string>();
  for (const entry of readdirSync(join(root, 'src'), { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !/\.(ts|tsx)$/.test(entry.name)) continue;
    const path = relative(root, join(entry.parentPath, entry.name));
    files.set(path, readFileSync(join(root, path), 'utf8'));
  }
  return files;
}

describe('no two folders of src/ import each other, directly or round a loop', () => {
  const files = sourceFiles();

  it('the folder-level import graph of src/ has no cycle', () => {
    const graph = folderGraph(files);
    expect(graph.size).toBeGreaterThan(20);
    expect(graph.get('src/main/composition')).toContain('src/main/services/patient-record');
    expect(folderCycles(graph)).toEqual([]);
  });

  it('catches a planted cycle, direct or through a third folder', () => {
    const direct = new Map(files).set(
      'src/main/services/cache/planted.ts',
      "import { x } from '../patient-record/index.ts';\nexport { x };\n",
    );
    expect(folderCycles(folderGraph(direct)).flat()).toEqual(
      expect.arrayContaining(['src/main/services/cache', 'src/main/services/patient-record']),
    );
    const loop = new Map(files)
      .set('src/main/services/audit/planted.ts', "export { a } from '../identity/planted.ts';\n")
      .set('src/main/services/identity/planted.ts', "export { b } from '../timeline/planted.ts';\n")
      .set('src/main/services/timeline/planted.ts', "const c = await import('../audit/index.ts');\nexport { c };\n");
    expect(folderCycles(folderGraph(loop)).flat()).toEqual(
      expect.arrayContaining(['src/main/services/audit', 'src/main/services/identity', 'src/main/services/timeline']),
    );
  });
});
