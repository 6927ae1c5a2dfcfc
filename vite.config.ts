import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

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
  plugins: [react()],
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
  },
  server: { host: '127.0.0.1', strictPort: false },
  preview: { host: '127.0.0.1' },
});
