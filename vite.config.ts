import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import type { Plugin } from 'vite';

/**
 * Cornerstone Tools draws measurement labels as SVG <text> with
 * `setAttribute('style', …)` (no text selection, a drop shadow). Under style-src 'self' that is
 * an inline style: blocked, and reported as a CSP violation on every label. The same
 * declarations set through the CSSOM (`style.cssText`) are not inline markup and are allowed,
 * so this rewrites that one call. Fails the build if Cornerstone's code no longer matches, so an
 * upgrade cannot silently bring the violation back.
 */
function cornerstoneTextStyleWithoutInlineAttribute(): Plugin {
  const file = /@cornerstonejs[\\/]tools[\\/]dist[\\/]esm[\\/]drawingSvg[\\/]drawTextBox\.js$/;
  const call = "textElement.setAttribute('style', combinedStyle);";
  return {
    name: 'huizhen:cornerstone-text-style-csp',
    enforce: 'pre',
    transform(code, id) {
      if (!file.test(id.split('?')[0] ?? id)) return null;
      if (!code.includes(call)) this.error(`drawTextBox.js no longer contains ${call}: re-check the CSP workaround in vite.config.ts`);
      return { code: code.replace(call, 'textElement.style.cssText = combinedStyle;'), map: null };
    },
  };
}

/**
 * The build's warnings that ask nothing of anyone: the codecs' Emscripten glue and xmlbuilder2's
 * URL helper import Node built-ins on branches that never run in a browser. Anything else is shown.
 */
const NODE_BRANCH_OF_BROWSER_PACKAGES =
  /Module "(fs|path|url)" has been externalized for browser compatibility, imported by "[^"]*node_modules\/(@cornerstonejs\/codec-[\w-]+|@oozcitak\/url)\//;

const rendererRoot = fileURLToPath(new URL('./src/renderer', import.meta.url));
const outDir = fileURLToPath(new URL('./dist-renderer', import.meta.url));

/**
 * The renderer build. The output must run unchanged under the strict CSP of ARCHITECTURE.md,
 * served from app://huizhen/ (Electron) and from http://127.0.0.1:PORT/ (browser host):
 * relative asset URLs, no inline <script> or <style>, no data: fonts, no modulepreload polyfill
 * (Vite emits that as an inline script).
 */
export default defineConfig({
  root: rendererRoot,
  base: './',
  plugins: [react(), cornerstoneTextStyleWithoutInlineAttribute()],
  build: {
    outDir,
    emptyOutDir: true,
    target: 'es2022',
    modulePreload: { polyfill: false },
    // Everything as files: img-src allows data: but font-src does not, so never inline assets.
    assetsInlineLimit: 0,
    cssCodeSplit: true,
    sourcemap: false,
    reportCompressedSize: false,
    // The viewer's chunk (Cornerstone3D, ≈4.3 MB) is loaded only when images are opened.
    chunkSizeWarningLimit: 6_000,
    rolldownOptions: {
      onwarn(warning, show) {
        // Plugin timings are for whoever profiles the build, not for someone starting the app.
        if (warning.code === 'PLUGIN_TIMINGS' || NODE_BRANCH_OF_BROWSER_PACKAGES.test(warning.message)) return;
        show(warning);
      },
    },
  },
  // Cornerstone3D (src/renderer/features/imaging): the DICOM image loader starts its decode
  // worker with `new Worker(new URL(…), { type: 'module' })`, which pre-bundling would break, so
  // it stays out of optimizeDeps; its CommonJS dependencies (dicom-parser, the codecs' WASM
  // glue) must be pre-bundled for the dev server to import them as ES modules. Workers are ES
  // modules (worker-src 'self'; no blob: workers). `vite build` emits the worker and the .wasm
  // files as assets with no extra plugin.
  optimizeDeps: {
    exclude: ['@cornerstonejs/dicom-image-loader'],
    include: [
      'dicom-parser',
      '@cornerstonejs/metadata',
      '@cornerstonejs/codec-libjpeg-turbo-8bit/decodewasmjs',
      '@cornerstonejs/codec-charls/decodewasmjs',
      '@cornerstonejs/codec-openjpeg/decodewasmjs',
      '@cornerstonejs/codec-openjph/wasmjs',
    ],
  },
  worker: { format: 'es' },
  server: { host: '127.0.0.1', strictPort: false },
  preview: { host: '127.0.0.1' },
});
