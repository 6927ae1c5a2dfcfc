// @ts-check
// The two checks layer-boundaries.js adds to the layer rule: service modules are entered only
// through their index.ts and along MODULE_GRAPH, and npm packages only where their runtime is.
import { MODULE_GRAPH, TEMPORARY_EXCEPTIONS, mayImport } from './module-graph.js';
import { PACKAGE_RUNTIMES, packageOf, runtimesOf } from './package-layers.js';

const SERVICES = 'src/main/services/';

export const IMPORT_CHECK_MESSAGES = {
  door: "{{source}} reaches past the door of service '{{to}}': import from its index.ts.",
  graph: "Service '{{from}}' may not import service '{{to}}': the module graph (eslint-rules/module-graph.js) has no such edge.",
  undeclared: "Package '{{pkg}}' has no runtime declared in eslint-rules/package-layers.js (node, dom or shared).",
  runtime: "{{from}} runs where '{{pkg}}' ({{runtime}}) cannot: it may import only {{allowed}} packages.",
};

/** @typedef {{ messageId: keyof typeof IMPORT_CHECK_MESSAGES, data: Record<string, string> }} Problem */

/** The service module of a repository-relative path, if any. */
export function serviceModuleOf(path) {
  const p = path.split('\\').join('/');
  if (!p.startsWith(SERVICES)) return undefined;
  const rest = p.slice(SERVICES.length);
  const slash = rest.indexOf('/');
  return slash < 0 ? undefined : rest.slice(0, slash);
}

/**
 * A relative import from one repository-relative file to another, judged as a service import.
 * @returns {Problem | undefined}
 */
export function serviceImportProblem(fromFile, toFile, source) {
  const to = serviceModuleOf(toFile);
  if (!to) return undefined;
  const from = serviceModuleOf(fromFile);
  if (from === to) return undefined;
  if (from !== undefined && !mayImport(from, to)) return { messageId: 'graph', data: { from, to } };
  const isDoor = toFile.split('\\').join('/') === `${SERVICES}${to}/index.ts`;
  const exempt =
    TEMPORARY_EXCEPTIONS.deepImportsInto.includes(to) || (from !== undefined && TEMPORARY_EXCEPTIONS.deepImportsFrom.includes(from));
  if (!isDoor && !exempt) return { messageId: 'door', data: { to, source } };
  return undefined;
}

/**
 * A bare specifier (not relative, not a Node built-in) imported by code of `layer`.
 * @returns {Problem | undefined}
 */
export function packageImportProblem(layer, specifier) {
  const pkg = packageOf(specifier);
  const runtime = PACKAGE_RUNTIMES[pkg];
  if (!runtime) return { messageId: 'undeclared', data: { pkg } };
  const allowed = runtimesOf(layer);
  if (!allowed.includes(runtime)) return { messageId: 'runtime', data: { from: layer, pkg, runtime, allowed: allowed.join('/') } };
  return undefined;
}

export { MODULE_GRAPH };
