// @ts-check
// The service modules under src/main/services/ and whom each may import (through the other's
// index.ts). The lint rule enforces it; docs/architecture.md draws it (a test keeps the two
// equal). Adding an edge is a design decision: change it here and regenerate the drawing.

/** @type {Readonly<Record<string, readonly string[]>>} module → modules it may import */
export const MODULE_GRAPH = {
  access: ['api', 'auth', 'dicomweb-proxy', 'identity', 'privacy'],
  aggregator: [],
  // api → access is the api ↔ access cycle (the dispatcher maps AccessDeniedError to 403).
  api: ['access', 'auth', 'identity'],
  audit: ['cache'],
  auth: [],
  cache: ['security'],
  config: [],
  credentials: ['cache'],
  'dicomweb-proxy': ['cache'],
  identity: [],
  'inbound-hl7': ['cache'],
  privacy: ['cache', 'identity'],
  security: [],
  'static-files': ['security'],
  timeline: [],
};

/**
 * TEMPORARY: modules being reshaped in parallel work. workstation/ is being dissolved into
 * src/main/composition and services/patient-record; cache/ is being split and its key
 * derivation moved to a keys module. Remove each entry once its module has a door and
 * imports others only through theirs.
 */
export const TEMPORARY_EXCEPTIONS = {
  /** Modules whose own files may still import past other modules' doors. */
  deepImportsFrom: ['workstation', 'cache'],
  /** Modules without a door yet: anyone may import their files directly. */
  deepImportsInto: ['workstation'],
  /** Edges outside MODULE_GRAPH; '*' means any module. */
  edges: /** @type {Readonly<Record<string, readonly string[]>>} */ ({
    workstation: ['*'],
    credentials: ['workstation'],
    'inbound-hl7': ['workstation'],
  }),
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
