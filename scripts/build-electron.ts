import { mkdir } from 'node:fs/promises';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type BuildOptions, type Metafile } from 'esbuild';

const projectDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * The Electron bundles. All are CommonJS with `electron` left external (Electron provides
 * it at runtime). The main bundle carries every dependency, so the packaged app needs no
 * node_modules. The preload is built for the renderer: a sandboxed preload can `require` only
 * 'electron' and a few polyfilled Node modules, and cannot load ESM at all. The inbound HL7
 * conversion worker (a worker thread of main) is its own bundle beside main.cjs, where
 * `defaultConversionWorkerEntry()` looks for it.
 */
/**
 * Modules that find files beside themselves (`createRequire(import.meta.url)`, xhr2 and dcmjs
 * loaders) need `import.meta.url`, which a CommonJS bundle does not have: esbuild would leave it
 * undefined and the app would crash at load. Each bundle defines it from its own file name.
 */
const importMetaUrlInCommonJs: BuildOptions = {
  define: { 'import.meta.url': '__huizhenImportMetaUrl' },
  banner: { js: "const __huizhenImportMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
};

export function electronBuildOptions(root = projectDir): {
  main: BuildOptions;
  preload: BuildOptions;
  inboundWorker: BuildOptions;
  cacheWriter: BuildOptions;
} {
  const common: BuildOptions = {
    bundle: true,
    format: 'cjs',
    external: ['electron'],
    sourcemap: true,
    metafile: true,
    logLevel: 'warning',
    legalComments: 'eof',
  };
  return {
    main: {
      ...common,
      ...importMetaUrlInCommonJs,
      entryPoints: [path.join(root, 'src/main/electron/main.ts')],
      outfile: path.join(root, 'dist/electron/main.cjs'),
      platform: 'node',
      target: 'node24',
    },
    inboundWorker: {
      ...common,
      ...importMetaUrlInCommonJs,
      entryPoints: [path.join(root, 'src/main/services/inbound-hl7/conversion-worker.ts')],
      outfile: path.join(root, 'dist/electron/inbound-hl7-worker.cjs'),
      platform: 'node',
      target: 'node24',
    },
    cacheWriter: {
      ...common,
      ...importMetaUrlInCommonJs,
      entryPoints: [path.join(root, 'src/main/services/cache/record-writer-worker.ts')],
      outfile: path.join(root, 'dist/electron/cache-writer-worker.cjs'),
      platform: 'node',
      target: 'node24',
    },
    preload: {
      ...common,
      entryPoints: [path.join(root, 'src/preload/preload.ts')],
      outfile: path.join(root, 'dist/electron/preload.cjs'),
      platform: 'browser',
      // Electron 45's Chromium; the preload never runs anywhere else.
      target: 'chrome140',
      // zod (which validates every reply from main) brings all its locales along; minifying
      // keeps the script parsed on every page load to about half.
      minify: true,
    },
  };
}

/** Every module the bundle still `require`s at runtime. */
export function externalImports(metafile: Metafile): string[] {
  const found = new Set<string>();
  for (const output of Object.values(metafile.outputs)) {
    for (const imported of output.imports) if (imported.external) found.add(imported.path);
  }
  return [...found].sort();
}

export async function buildElectron(root = projectDir): Promise<void> {
  const options = electronBuildOptions(root);
  await mkdir(path.join(root, 'dist/electron'), { recursive: true });
  const [, preload, worker, writer] = await Promise.all([
    build(options.main),
    build(options.preload),
    build(options.inboundWorker),
    build(options.cacheWriter),
  ]);
  // The workers run without Electron's module: they may require nothing but Node's own.
  for (const [name, result] of [
    ['inbound HL7 worker', worker],
    ['cache writer', writer],
  ] as const) {
    const requires = externalImports(result.metafile ?? { inputs: {}, outputs: {} }).filter(
      (imported) => !imported.startsWith('node:') && !builtinModules.includes(imported),
    );
    if (requires.length > 0) throw new Error(`the ${name} bundle requires: ${requires.join(', ')}`);
  }
  // A preload that requires anything but 'electron' would fail only at runtime, in the sandbox.
  const preloadRequires = externalImports(preload.metafile ?? { inputs: {}, outputs: {} });
  if (preloadRequires.some((name) => name !== 'electron')) {
    throw new Error(`the sandboxed preload may only require 'electron', but requires: ${preloadRequires.join(', ')}`);
  }
  console.log('built dist/electron/main.cjs, preload.cjs, inbound-hl7-worker.cjs and cache-writer-worker.cjs');
}

if (import.meta.main) {
  await buildElectron();
}
