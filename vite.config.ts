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
 * Cornerstone's DICOM image loader (5.14) sends each frame to its decode worker and takes the
 * decoded pixels back by structured clone: both ways a full copy on the page's main thread
 * (≈ 5 ms per 525 kB frame, ≈ 1 s per 200-slice CT, plus the garbage), though it computes a
 * transfer list (`transferPixelData`) that it never passes. This hands both buffers over with
 * Comlink's `transfer` instead: the frame's buffer to the worker when the frame is the whole
 * buffer (a WADO-RS single-part answer; never a view into a cached DICOM file, which a wadouri
 * frame is), and the decoded pixels back, copied first when they are a view into a larger or
 * WebAssembly buffer. Fails the build if the loader's code no longer matches.
 * Upstream issue text: docs/benchmarks.md ("Decode worker transfer").
 */
const DECODE_TRANSFER_PATCHES: readonly { file: RegExp; find: RegExp; replace: string; prelude: string }[] = [
  {
    file: /@cornerstonejs[\\/]dicom-image-loader[\\/]dist[\\/]esm[\\/]imageLoader[\\/]decodeImageFrame\.js$/,
    find: /webWorkerManager\.executeTask\('dicomImageLoader', 'decodeTask', \{/,
    replace: 'huizhenExecuteDecodeTask(webWorkerManager, pixelData, {',
    prelude: [
      "import { transfer as huizhenTransfer } from 'comlink';",
      'function huizhenExecuteDecodeTask(manager, pixelData, args, taskOptions) {',
      '  const buffer = pixelData && pixelData.buffer;',
      '  const whole = buffer instanceof ArrayBuffer && pixelData.byteOffset === 0 && pixelData.byteLength === buffer.byteLength;',
      "  return manager.executeTask('dicomImageLoader', 'decodeTask', huizhenTransfer(args, whole ? [buffer] : []), taskOptions);",
      '}',
    ].join('\n'),
  },
  {
    file: /@cornerstonejs[\\/]dicom-image-loader[\\/]dist[\\/]esm[\\/]decodeImageFrameWorker\.js$/,
    find: /callbackFn\?\.\(postProcessed\);\s*return postProcessed;/,
    replace: 'callbackFn?.(postProcessed);\n    return huizhenTransferBack(postProcessed);',
    prelude: [
      "import { transfer as huizhenTransfer } from 'comlink';",
      'function huizhenTransferBack(frame) {',
      '  let pixels = frame && frame.pixelData;',
      '  if (!pixels || !(pixels.buffer instanceof ArrayBuffer)) return frame;',
      '  if (pixels.byteOffset !== 0 || pixels.byteLength !== pixels.buffer.byteLength) {',
      '    pixels = pixels.slice();',
      '    frame.pixelData = pixels;',
      '  }',
      '  return huizhenTransfer(frame, [pixels.buffer]);',
      '}',
    ].join('\n'),
  },
];

function cornerstoneDecodeTransfer(): Plugin {
  return {
    name: 'huizhen:cornerstone-decode-transfer',
    enforce: 'pre',
    transform(code, id) {
      const patch = DECODE_TRANSFER_PATCHES.find((p) => p.file.test(id.split('?')[0] ?? id));
      if (!patch) return null;
      if (!patch.find.test(code)) this.error(`${id} no longer matches ${patch.find}: re-check the decode transfer patch in vite.config.ts`);
      return { code: `${patch.prelude}\n${code.replace(patch.find, patch.replace)}`, map: null };
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
  plugins: [react(), cornerstoneTextStyleWithoutInlineAttribute(), cornerstoneDecodeTransfer()],
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
  // Worker bundles get their own plugins: the decode worker's half of the transfer patch.
  worker: { format: 'es', plugins: () => [cornerstoneDecodeTransfer()] },
  server: { host: '127.0.0.1', strictPort: false },
  preview: { host: '127.0.0.1' },
});
