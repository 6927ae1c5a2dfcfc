/**
 * Cornerstone3D, once per page: core, the DICOM image loader (its decoders run in module web
 * workers and WebAssembly, allowed by the CSP's worker-src 'self' and 'wasm-unsafe-eval'), and
 * the tools this viewer offers.
 *
 * Rendering path: Cornerstone's WebGL (vtk.js) when the GPU is real; its CPU renderer when WebGL
 * is missing or is a software rasteriser (SwiftShader, llvmpipe) — measured faster there at
 * viewer sizes (NOTES.md: 16.7 vs 48 ms per 1024 px image), and the headless Chromium of the
 * end-to-end tests is such a case.
 */
import { init as initCore, isCornerstoneInitialized } from '@cornerstonejs/core';
import { init as initLoader } from '@cornerstonejs/dicom-image-loader';
import { capImageCache } from './image-memory.ts';
import { startFrameFetch } from './frame-fetch.ts';
import { installPixelFixes } from './pixel-fixes.ts';
import {
  AngleTool,
  EllipticalROITool,
  LengthTool,
  PanTool,
  StackScrollTool,
  WindowLevelTool,
  ZoomTool,
  addTool,
  init as initTools,
} from '@cornerstonejs/tools';

export type RenderingPath = 'webgl' | 'cpu';

/** The loader's own multipart request stays second choice, for endpoints that only send that. */
export const FRAME_ACCEPT =
  'application/octet-stream; transfer-syntax=*, multipart/related; type="application/octet-stream"; transfer-syntax=*';

let ready: Promise<RenderingPath> | undefined;
let started: RenderingPath | undefined;

/**
 * Decode workers: one per core the machine reports, at most four. Frames now travel to and from
 * them by transfer (vite.config.ts), so a worker costs its codecs' memory, not copies of frames.
 * Four bounds that memory in the renderer's 600 MB budget; only two-core machines were measured.
 */
export const MAX_DECODE_WORKERS = 4;

export function decodeWorkerCount(hardwareConcurrency: number | undefined): number {
  return Math.max(1, Math.min(MAX_DECODE_WORKERS, hardwareConcurrency || 1));
}

/** 'cpu' when WebGL2 is absent or software-rendered. */
export function detectRenderingPath(): RenderingPath {
  const canvas = document.createElement('canvas');
  const gl = canvas.getContext('webgl2');
  if (!gl) return 'cpu';
  const info = gl.getExtension('WEBGL_debug_renderer_info');
  const renderer = info ? String(gl.getParameter(info.UNMASKED_RENDERER_WEBGL)) : String(gl.getParameter(gl.RENDERER));
  gl.getExtension('WEBGL_lose_context')?.loseContext();
  return /swiftshader|llvmpipe|software/i.test(renderer) ? 'cpu' : 'webgl';
}

async function setUp(): Promise<RenderingPath> {
  const path = detectRenderingPath();
  if (!isCornerstoneInitialized()) initCore({ rendering: { useCPURendering: path === 'cpu' }, debug: {} });
  capImageCache();
  initLoader({
    maxWebWorkers: decodeWorkerCount(navigator.hardwareConcurrency),
    // Frames single-part when the endpoint can (one frame per request, as this viewer asks):
    // the loader then hands the body straight to the decoder instead of scanning every byte
    // of a multipart body for its boundary on the main thread (≈ 1.2 s per 200 × 525 kB).
    beforeSend: () => ({ Accept: FRAME_ACCEPT }),
  });
  startFrameFetch(FRAME_ACCEPT);
  installPixelFixes();
  initTools();
  for (const tool of [WindowLevelTool, PanTool, ZoomTool, StackScrollTool, LengthTool, AngleTool, EllipticalROITool]) addTool(tool);
  return path;
}

export function ensureCornerstone(): Promise<RenderingPath> {
  ready ??= setUp().then((path) => (started = path));
  return ready;
}

/** The rendering path once Cornerstone has started, else undefined. */
export function startedRenderingPath(): RenderingPath | undefined {
  return started;
}
