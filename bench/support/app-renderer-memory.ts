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
  /** 1×2 only: the layout set back to 1×1 once both stacks were loaded (the prior's frames should go). */
  singleAgain?: { rssMb: number; heapMb: number };
  closedRssMb: number;
  closedHeapMb: number;
  frames: number;
}

export interface AppRendererVisit {
  /** Frames of the current series to wait for. */
  frames?: number;
  /**
   * The viewer's layout: as the patient's CT opens by default (`undefined`), 1×1 chosen as soon
   * as the viewer shows, or 1×2 with the prior's frames waited for as well.
   */
  layout?: '1x1' | '1x2';
  priorFrames?: number;
}

const settle = (ms: number) => new Promise((r) => setTimeout(r, ms));

const grid = `document.querySelector('[data-testid="imaging-compare-grid"]')?.getAttribute('data-layout')`;

/** Distinct frame URLs fetched so far for the series shown in `viewport` (resource timing, which the tab keeps). */
/**
 * The viewer's own tally of decoded slices (data-decoded-count, mount-stack-viewport.ts): frames
 * are fetched by the frame-fetch workers, in batches once cached, so the page's resource timings
 * no longer list them.
 */
const framesOf = (viewport: string, count: number) =>
  `(() => { const v = document.querySelector(${JSON.stringify(viewport)}); const el = v?.hasAttribute('data-decoded-count') ? v : v?.querySelector('[data-decoded-count]'); return Number(el?.getAttribute('data-decoded-count') ?? 0) >= ${count}; })()`;

/**
 * The tab's renderer process: the one whose CPU time grows most while the tab spins. RawTab's
 * own check wants 0.3 s of CPU in a half-second spin, which a tab does not get at a load of 20
 * on two cores (0.09–0.10 s measured): here the spin is longer and the winner must stand out
 * from the other renderers (idle meanwhile) instead of reaching a fixed figure.
 */
async function rendererPidOf(app: BrowserApp, tab: RawTab): Promise<number> {
  const session = await app.browser.newBrowserCDPSession();
  try {
    const cpu = async () => {
      const { processInfo } = await session.send('SystemInfo.getProcessInfo');
      return new Map(processInfo.filter((p) => p.type === 'renderer').map((p) => [p.id, p.cpuTime]));
    };
    for (let attempt = 1; ; attempt++) {
      const before = await cpu();
      await tab.evaluate('(() => { const end = performance.now() + 1500; while (performance.now() < end); return true; })()');
      const after = await cpu();
      const used = [...after].map(([id, t]) => ({ id, used: t - (before.get(id) ?? t) })).sort((a, b) => b.used - a.used);
      const [best, next] = used;
      if (best && best.used >= 0.05 && best.used >= 3 * (next?.used ?? 0)) return best.id;
      if (attempt >= 4) throw new Error(`no renderer stood out while the tab spun: ${JSON.stringify(used.slice(0, 3))}`);
    }
  } finally {
    await session.detach().catch(() => undefined);
  }
}

export async function measureAppRenderer(
  app: BrowserApp,
  patient: { mrn: string; name: string },
  visit: AppRendererVisit = {},
): Promise<AppRendererMemory> {
  const frames = visit.frames ?? 200;
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
    const pid = await rendererPidOf(app, tab);
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
    // The imaging tab appears once the PACS's studies have joined the open record, which may
    // come after the banner says open (a run at load 28 clicked before it was there).
    await tab.waitFor(`!!document.querySelector('[data-testid="tab-imaging"]')`);
    await tab.evaluate(`document.querySelector('[data-testid="tab-imaging"]').click()`);
    await tab.waitFor(`document.querySelector('[data-testid="imaging-panel"]')?.getAttribute('data-state') === 'ready'`);
    if (visit.layout === '1x1') {
      await tab.waitFor(`!!document.querySelector('[data-testid="imaging-layout-1x1"]')`);
      await tab.evaluate(`document.querySelector('[data-testid="imaging-layout-1x1"]').click()`);
      await tab.waitFor(`${grid} === '1x1'`);
    }
    await tab.waitFor(framesOf('[data-testid="imaging-viewport"]', frames), 300_000);
    if (visit.layout === '1x2') {
      await tab.waitFor(`${grid} === '1x2'`);
      await tab.waitFor(framesOf('[data-testid="imaging-compare-viewport"]', visit.priorFrames ?? 1), 300_000);
    }
    await settle(2000);
    const open = processMemory(pid);
    const openHeapMb = await tab.heapUsedMb();
    let singleAgain: AppRendererMemory['singleAgain'];
    if (visit.layout === '1x2') {
      await tab.evaluate(`document.querySelector('[data-testid="imaging-layout-1x1"]').click()`);
      await tab.waitFor(`${grid} === '1x1'`);
      await settle(2000);
      singleAgain = { heapMb: await tab.heapUsedMb(), rssMb: processMemory(pid).rssMb };
    }

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
      ...(singleAgain ? { singleAgain } : {}),
      closedRssMb,
      closedHeapMb,
      frames,
    };
  } finally {
    await tab.close();
  }
}
