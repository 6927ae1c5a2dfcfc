/**
 * Renderer figures (the in-page halves live in page-probes.js): when the timeline first paints after a patient is
 * chosen, rAF frame times during a scripted scroll, and the renderer processes' memory as the
 * OS sees it (JS heap figures leave out decoded pixel buffers, which live outside the heap).
 */
import { readFileSync } from 'node:fs';
import type { Browser, Page } from '@playwright/test';
import { z } from 'zod';
import { probe, waitForProbe } from './viewer-probe.ts';

/** Arms the page probe: the next click on a search result starts the clock; the first painted timeline entry and the first frame with ≥ minRows rows stop it. */
export async function armPaintProbe(page: Page, minRows: number): Promise<void> {
  await page.evaluate(`window.__benchProbe.armPaint(${minRows})`);
}

const Paint = z.object({ firstPaint: z.number().optional(), fullPaint: z.number().optional() });

export async function readPaintProbe(page: Page): Promise<{ firstPaintMs: number; fullPaintMs?: number }> {
  await waitForProbe(page, 'hasFirstPaint', undefined, { timeout: 120_000 });
  const p = await probe(page, Paint, 'window.__benchProbe.paint()');
  return { firstPaintMs: p.firstPaint!, ...(p.fullPaint !== undefined ? { fullPaintMs: p.fullPaint } : {}) };
}

/** rAF deltas (ms) over `frames` frames; `pxPerFrame` > 0 scrolls the timeline list by that much each frame. */
export async function frameTimes(page: Page, frames: number, pxPerFrame: number): Promise<number[]> {
  return probe(page, z.array(z.number()), `window.__benchProbe.frameTimes(${frames}, ${pxPerFrame})`);
}

export interface RendererMemory {
  /** Sum over renderer processes of resident memory now and at its peak (VmRSS, VmHWM), MB. */
  rssMb: number;
  peakRssMb: number;
  processes: number;
}

/** Resident memory of one process now and at its peak (VmRSS, VmHWM), MB; throws if it has exited. */
export function processMemory(pid: number): { rssMb: number; peakRssMb: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
  return { rssMb: kb('VmRSS') / 1024, peakRssMb: kb('VmHWM') / 1024 };
}

/** Renderer processes by PID from the browser's own process list (CDP SystemInfo), read from /proc. */
export async function rendererMemory(browser: Browser): Promise<RendererMemory> {
  const session = await browser.newBrowserCDPSession();
  try {
    const { processInfo } = await session.send('SystemInfo.getProcessInfo');
    let rss = 0;
    let peak = 0;
    let processes = 0;
    for (const p of processInfo.filter((x) => x.type === 'renderer')) {
      let memory: { rssMb: number; peakRssMb: number };
      try {
        memory = processMemory(p.id);
      } catch {
        continue; // exited since the list was taken
      }
      rss += memory.rssMb;
      peak += memory.peakRssMb;
      processes++;
    }
    return { rssMb: rss, peakRssMb: peak, processes };
  } finally {
    await session.detach();
  }
}
