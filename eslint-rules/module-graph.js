// @ts-check
// The service modules under src/main/services/ and whom each may import (through the other's
// index.ts). The lint rule enforces it; docs/architecture.md draws it (a test keeps the two
// equal). Adding an edge is a design decision: change it here and regenerate the drawing.

/** @type {Readonly<Record<string, readonly string[]>>} module → modules it may import */
export const MODULE_GRAPH = {
  access: ['api', 'auth', 'clinical-alerts', 'dicomweb-proxy', 'identity', 'privacy'],
  aggregator: [],
  api: ['auth', 'identity'],
  audit: ['durable-files', 'keys'],
  'audit-trail': ['access', 'audit', 'auth', 'cache', 'cache-setup'],
  auth: [],
  cache: ['durable-files', 'keys', 'security'],
  'cache-setup': ['cache', 'security'],
  'clinical-alerts': ['timeline'],
  config: ['clinical-alerts'],
  'data-quality': ['identity', 'timeline'],
  credentials: ['cache-setup', 'durable-files', 'keys'],
  'deidentified-export': ['access', 'api', 'dicomweb-proxy', 'privacy'],
  'durable-files': [],
  'dicomweb-proxy': ['cache'],
  identity: ['cache'],
  keys: ['security'],
  'inbound-broker': ['cache', 'cache-setup', 'credentials', 'inbound-hl7', 'patient-record'],
  'inbound-hl7': ['cache', 'patient-record'],
  'patient-record': ['aggregator', 'api', 'cache', 'data-quality', 'identity'],
  privacy: ['durable-files', 'identity'],
  'quality-stats': ['cache'],
  security: [],
  'source-health': ['aggregator', 'cache'],
  'static-files': ['security'],
  timeline: [],
  worklist: ['access', 'cache', 'keys'],
};

/** Exceptions while a module is being reshaped; empty when the tree keeps every door. */
export const TEMPORARY_EXCEPTIONS = {
  /** Modules whose own files may still import past other modules' doors. */
  deepImportsFrom: /** @type {readonly string[]} */ ([]),
  /** Modules without a door yet: anyone may import their files directly. */
  deepImportsInto: /** @type {readonly string[]} */ ([]),
  /** Edges outside MODULE_GRAPH; '*' means any module. */
  edges: /** @type {Readonly<Record<string, readonly string[]>>} */ ({}),
};

/** Whether a service module may import another (both module folder names). */
export function mayImport(from, to) {
  if (from === to) return true;
  if (MODULE_GRAPH[from]?.includes(to)) return true;
  const temporary = TEMPORARY_EXCEPTIONS.edges[from];
  return temporary !== undefined && (temporary.includes('*') || temporary.includes(to));
}

/** The graph as a mermaid flowchart, the form docs/architecture.md carries. */
export function mermaidOf(graph = MODULE_GRAPH) {
  const id = (/** @type {string} */ m) => m.replace(/-/g, '_');
  const modules = Object.keys(graph).sort();
  const lines = ['flowchart LR', ...modules.map((m) => `  ${id(m)}[${m}]`)];
  for (const from of modules) for (const to of [...(graph[from] ?? [])].sort()) lines.push(`  ${id(from)} --> ${id(to)}`);
  return lines.join('\n');
}
