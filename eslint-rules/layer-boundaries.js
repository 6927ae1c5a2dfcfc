// @ts-check
// The dependency direction of ARCHITECTURE.md as a lint rule: imports are resolved to the
// folder they land in, so `../host/x.ts` and `../../main/host/x.ts` are judged alike.
import { dirname, relative, resolve } from 'node:path';
import { builtinModules } from 'node:module';
import { IMPORT_CHECK_MESSAGES, packageImportProblem, serviceImportProblem } from './import-checks.js';

/** Layer of a repository-relative path, or undefined outside src/. */
function layerOf(path) {
  const p = path.split('\\').join('/');
  if (p.startsWith('src/shared/')) return 'shared';
  if (p.startsWith('src/adapters/')) return 'adapters';
  if (p.startsWith('src/main/services/')) return 'services';
  if (p.startsWith('src/main/composition/')) return 'composition';
  if (p.startsWith('src/main/electron/') || p.startsWith('src/preload/')) return 'electron';
  if (p.startsWith('src/main/host/')) return 'host';
  if (p.startsWith('src/renderer/')) return 'renderer';
  if (p.startsWith('src/demo-hospital/')) return 'demo';
  if (p.startsWith('src/cli/')) return 'cli';
  return undefined;
}

/** Who may import whom (a layer may always import itself). */
const ALLOWED = {
  shared: [],
  adapters: ['shared'],
  services: ['shared', 'adapters'],
  // The composition root: the one place that wires every service to the others.
  composition: ['shared', 'adapters', 'services'],
  electron: ['shared', 'services', 'composition'],
  host: ['shared', 'services', 'composition'],
  renderer: ['shared'],
  demo: ['shared', 'adapters'],
  cli: ['shared', 'adapters', 'services', 'composition'],
};

const MAY_IMPORT_ELECTRON = new Set(['electron']);
const NO_NODE = new Set(['renderer', 'shared']);
const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

/** @type {import('eslint').Rule.RuleModule} */
const rule = {
  meta: {
    type: 'problem',
    docs: { description: 'enforce the layer rule of ARCHITECTURE.md, service doors, the module graph and package runtimes' },
    schema: [],
    messages: {
      layer: '{{from}} may not import {{to}} ({{source}}): see docs/architecture.md, "Folders".',
      electron: "Only src/main/electron and src/preload may import 'electron'.",
      node: "{{from}} runs in the browser too and may not import Node's '{{source}}'.",
      ...IMPORT_CHECK_MESSAGES,
    },
  },
  create(context) {
    const root = context.cwd;
    const file = relative(root, context.filename);
    const from = layerOf(file);
    if (!from) return {};

    /** @param {import('estree').Node & { source?: unknown }} node */
    function check(node) {
      const sourceNode = /** @type {{ value?: unknown } | null | undefined} */ (node.source);
      const source = sourceNode && typeof sourceNode.value === 'string' ? sourceNode.value : undefined;
      if (!source) return;
      if (source === 'electron' || source.startsWith('electron/')) {
        if (!MAY_IMPORT_ELECTRON.has(from)) context.report({ node, messageId: 'electron' });
        return;
      }
      if (builtins.has(source) || source.startsWith('node:')) {
        if (NO_NODE.has(from)) context.report({ node, messageId: 'node', data: { from, source } });
        return;
      }
      if (!source.startsWith('.')) {
        const problem = packageImportProblem(from, source);
        if (problem) context.report({ node, ...problem });
        return;
      }
      const target = relative(root, resolve(dirname(context.filename), source));
      const to = layerOf(target);
      if (to && to !== from && !ALLOWED[from].includes(to)) {
        context.report({ node, messageId: 'layer', data: { from, to, source } });
        return;
      }
      const problem = serviceImportProblem(file, target, source);
      if (problem) context.report({ node, ...problem });
    }

    return {
      ImportDeclaration: check,
      ExportNamedDeclaration: check,
      ExportAllDeclaration: check,
      ImportExpression: check,
    };
  },
};

export default { rules: { 'layer-boundaries': rule } };
