/**
 * The app's own renderer process through one patient: empty, record open, 200-slice CT loaded,
 * closed — in a tab Playwright does not instrument (see RawTab), measured for that process
 * alone. An Electron window is one such renderer; the browser's other renderers (its prewarmed
 * omnibox popup, a spare renderer) and DevTools' response buffers are not the app.
 */
import type { BrowserApp } from './browser-app.ts';
import { RawTab } from './raw-tab.ts';
import { processMemory } from './renderer-probe.ts';

export interface AppRendererMemory {
  pid: number;
  emptyRssMb: number;
  emptyHeapMb: number;
  /** VmHWM once the record was open, before the viewer: the timeline's own peak. */
  timelinePeakMb: number;
  /** VmHWM once the record and all slices were loaded: the process's peak so far. */
  openPeakMb: number;
  openRssMb: number;
  openHeapMb: number;
  closedRssMb: number;
  closedHeapMb: number;
  frames: number;
}

const settle = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function measureAppRenderer(
  app: BrowserApp,
  patient: { mrn: string; name: string },
  frames = 200,
): Promise<AppRendererMemory> {
  const tab = await RawTab.open(app.browser);
  try {
    await tab.navigate(app.served.host.newLoginUrl());
    await tab.waitFor(`document.readyState === 'complete' && location.pathname === '/'`);
    // The workstation's one session is already the demo ward doctor's; this tab joins it.
    await tab.evaluate(
      `fetch('/api/signInLocal', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'doctor', password: 'huizhen-demo' }) }).then((r) => r.status)`,
    );
    await tab.call('Page.reload');
    await tab.waitFor(`!!document.querySelector('[data-testid="patient-search-input"]')`);
    await settle(1000);
    const pid = await tab.rendererPid();
    const emptyHeapMb = await tab.heapUsedMb();
    const emptyRssMb = processMemory(pid).rssMb;

    const name = JSON.stringify(patient.name);
    await tab.evaluate(`document.querySelector('[data-testid="patient-search-input"]').focus()`);
    await tab.type(patient.mrn);
    await tab.waitFor(`[...document.querySelectorAll('[data-testid="patient-result"]')].some((e) => e.textContent.includes(${name}))`);
    await tab.evaluate(
      `[...document.querySelectorAll('[data-testid="patient-result"]')].find((e) => e.textContent.includes(${name})).click()`,
    );
    await tab.waitFor(
      `document.querySelector('[data-testid="patient-banner"]')?.getAttribute('data-state') === 'open' && document.querySelector('[data-testid="patient-banner-name"]')?.textContent.includes(${name})`,
    );
    await settle(1000);
    const timelinePeakMb = processMemory(pid).peakRssMb;
    await tab.evaluate(`performance.setResourceTimingBufferSize(10000); performance.clearResourceTimings(); true`);
    await tab.evaluate(`document.querySelector('[data-testid="tab-imaging"]').click()`);
    await tab.waitFor(`document.querySelector('[data-testid="imaging-panel"]')?.getAttribute('data-state') === 'ready'`);
    const framesLoaded = `new Set(performance.getEntriesByType('resource').map((e) => e.name).filter((n) => /\\/frames\\/\\d+/.test(n))).size >= ${frames}`;
    await tab.waitFor(framesLoaded, 300_000);
    await settle(2000);
    const open = processMemory(pid);
    const openHeapMb = await tab.heapUsedMb();

    await tab.evaluate(`document.querySelector('[data-testid="patient-banner-close"]').click()`);
    // No banner at all: ward staff see their worklist once no patient is open.
    await tab.waitFor(`/empty|idle/.test(document.querySelector('[data-testid="patient-banner"]')?.getAttribute('data-state') ?? 'empty')`);
    await settle(1000);
    const closedHeapMb = await tab.heapUsedMb();
    const closedRssMb = processMemory(pid).rssMb;
    return {
      pid,
      emptyRssMb,
      emptyHeapMb,
      timelinePeakMb,
      openPeakMb: open.peakRssMb,
      openRssMb: open.rssMb,
      openHeapMb,
      closedRssMb,
      closedHeapMb,
      frames,
    };
  } finally {
    await tab.close();
  }
}
