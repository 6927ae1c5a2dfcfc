/**
 * Test-only page for the pixel-correctness harness (test/support/pixel-correctness.ts): the
 * dev harness's ImagingPanel, plus window.__pixelProbe to read what the viewer decoded (the
 * cached image's pixel data, before any display window) and what it drew (the viewport
 * canvas sampled at each image pixel's centre). Built into test-results/, never into
 * dist-renderer.
 */
import '../../../api/zod-csp.ts';
import { Enums, cache, getRenderingEngines, type Types } from '@cornerstonejs/core';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { z } from 'zod';
import { ImagingPanel } from '../ImagingPanel.tsx';

const PropsSchema = z.object({
  studies: z.array(z.object({ studyUid: z.string(), sourceId: z.string(), description: z.string(), modalities: z.array(z.string()) })),
  initialStudyUid: z.string(),
  locale: z.string(),
  maskOverlay: z.boolean(),
});

interface Decoded {
  imageId: string;
  index: number;
  rows: number;
  columns: number;
  color: boolean;
  photometric: string;
  pixels: number[];
}

interface Drawn {
  /** Sampled image pixel indices (row-major), and the canvas RGB drawn at each. */
  indices: number[];
  rgb: number[];
}

/**
 * Where a pixel's centre lands differs between Cornerstone's renderers (CPU: index + ½ of a
 * pixel from the origin; WebGL: the index itself): the page samples both, the test keeps the
 * better, since geometry is not what it checks.
 */
const OFFSETS = [0, 0.5] as const;

function stackViewport(): Types.IStackViewport | undefined {
  for (const engine of getRenderingEngines() ?? []) {
    for (const viewport of engine.getViewports()) {
      const stack = viewport as Types.IStackViewport;
      if (typeof stack.getCurrentImageId === 'function' && stack.getCurrentImageId()) return stack;
    }
  }
  return undefined;
}

/** The viewer's failure as it shows it: code and words. */
function failure(): string | undefined {
  const el = document.querySelector('[data-testid="imaging-error"]');
  return el ? `${el.getAttribute('data-code') ?? ''}: ${el.textContent ?? ''}` : undefined;
}

function decoded(): Decoded | undefined {
  const viewport = stackViewport();
  const imageId = viewport?.getCurrentImageId();
  const image = imageId ? cache.getImage(imageId) : undefined;
  if (!viewport || !imageId || !image) return undefined;
  return {
    imageId,
    index: viewport.getCurrentImageIdIndex(),
    rows: image.rows,
    columns: image.columns,
    color: image.color,
    photometric: image.photometricInterpretation ?? '',
    pixels: Array.from(image.getPixelData() as ArrayLike<number>),
  };
}

/**
 * Grey images are first shown with a window spanning their whole value range, so the canvas is
 * a linear picture of the data (a clinical window clips and would lower any correlation);
 * MONOCHROME1's inversion and colour handling stay as the viewer applies them.
 */
function linearWindow(): boolean {
  const viewport = stackViewport();
  const imageId = viewport?.getCurrentImageId();
  const image = imageId ? cache.getImage(imageId) : undefined;
  if (!viewport || !image) return false;
  if (!image.color) {
    const data = image.getPixelData() as ArrayLike<number>;
    // The loader may have applied Rescale Slope/Intercept already (its preScale).
    const scaled = image.preScale?.scaled === true;
    let lower = Infinity;
    let upper = -Infinity;
    for (let i = 0; i < data.length; i++) {
      const v = scaled ? data[i]! : data[i]! * (image.slope ?? 1) + (image.intercept ?? 0);
      if (v < lower) lower = v;
      if (v > upper) upper = v;
    }
    if (upper <= lower) upper = lower + 1;
    viewport.setProperties({ voiRange: { lower, upper } });
  }
  // Nearest-neighbour: each sampled canvas pixel then shows one image pixel, not a blend.
  viewport.setProperties({ interpolationType: Enums.InterpolationType.NEAREST });
  viewport.render();
  return true;
}

function drawnAt(offset: number): Drawn | undefined {
  const viewport = stackViewport();
  const imageId = viewport?.getCurrentImageId();
  const image = imageId ? cache.getImage(imageId) : undefined;
  const data = viewport?.getImageData();
  if (!viewport || !image || !data) return undefined;
  const canvas = viewport.canvas;
  const ctx = canvas.getContext('2d');
  if (!ctx) return undefined;
  const scale = canvas.width / Math.max(1, canvas.clientWidth);
  const pixels = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
  const step = Math.max(1, Math.floor(Math.sqrt((image.rows * image.columns) / 20_000)));
  const indices: number[] = [];
  const rgb: number[] = [];
  for (let r = 0; r < image.rows; r += step) {
    for (let c = 0; c < image.columns; c += step) {
      const world = data.imageData.indexToWorld?.([c + offset, r + offset, 0]) as Types.Point3 | undefined;
      if (!world) return undefined;
      const [x, y] = viewport.worldToCanvas(world);
      const px = Math.floor(x * scale);
      const py = Math.floor(y * scale);
      if (px < 0 || py < 0 || px >= canvas.width || py >= canvas.height) continue;
      const at = (py * canvas.width + px) * 4;
      indices.push(r * image.columns + c);
      rgb.push(pixels[at]!, pixels[at + 1]!, pixels[at + 2]!);
    }
  }
  return { indices, rgb };
}

function drawn(): Drawn[] {
  return OFFSETS.map((offset) => drawnAt(offset)).filter((d): d is Drawn => d !== undefined);
}

/** Resolves after two animation frames: a render scheduled before then has been drawn. */
function drawnSoon(): Promise<boolean> {
  return new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve(true))));
}

Object.assign(globalThis, { __pixelProbe: { failure, decoded, linearWindow, drawnSoon, drawn } });

const root = document.getElementById('root');
if (!root) throw new Error('no #root');
// The panel fills the height its container gives it (the app's tab does): the page's height here.
root.style.height = '100vh';
// The page's own query (?study=) names the file's study, so one server serves every file.
const params = PropsSchema.parse(await (await fetch(`/harness/studies.json${window.location.search}`)).json());
createRoot(root).render(
  <StrictMode>
    <ImagingPanel {...params} />
  </StrictMode>,
);
