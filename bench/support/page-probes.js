/* global window, document, MutationObserver, requestAnimationFrame */
// Runs inside the app's page (injected by context.addInitScript), so it is plain browser
// JavaScript: the bench's Node type-check has no DOM. The Node side validates what it returns.
(() => {
  const afterPaint = (set) => requestAnimationFrame(() => setTimeout(() => set(performance.now()), 0));

  window.__benchProbe = {
    /** Share of lit pixels in the viewport canvas > 2%: performance.now() then, else false. */
    litAt(selector) {
      const canvas = document.querySelector(selector)?.querySelector('canvas');
      if (!canvas || canvas.width === 0) return false;
      const ctx = canvas.getContext('2d');
      if (!ctx) return false;
      const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height);
      let lit = 0;
      for (let i = 0; i < data.length; i += 4 * 13) if (data[i] + data[i + 1] + data[i + 2] > 48) lit++;
      return lit / (data.length / (4 * 13)) > 0.02 ? performance.now() : false;
    },

    /** Remembers the time of the next click (the imaging tab, a search result). */
    armClick(closest) {
      window.__benchClickAt = undefined;
      document.addEventListener(
        'click',
        (e) => {
          if (window.__benchClickAt === undefined && e.target?.closest?.(closest)) window.__benchClickAt = e.timeStamp;
        },
        true,
      );
    },
    clickAt: () => window.__benchClickAt,

    /** Times from the next click on a search result to the first painted timeline entry and to ≥ minRows rows painted. */
    armPaint(minRows) {
      const probe = {};
      window.__benchPaint = probe;
      this.armClick('[data-testid="patient-result"]');
      let firstSeen = false;
      let fullSeen = false;
      // The patient shown before the click keeps its views until the new open replaces them (they are
      // mounted per open): its tab and its timeline list must not stop the clock.
      const staleTab = document.querySelector('[data-testid="tab-timeline"]');
      const staleList = document.querySelector('[data-testid="timeline-list"]');
      const fresh = (selector) => [...document.querySelectorAll(selector)].find((e) => e !== staleTab && e !== staleList);
      const observer = new MutationObserver(() => {
        if (window.__benchClickAt === undefined) return;
        // Ward doctors open a patient on the summary: go to the timeline the moment its tab exists,
        // as a doctor after the timeline would (the click costs the figure one event turn).
        const tab = fresh('[data-testid="tab-timeline"]');
        if (tab && tab.getAttribute('aria-selected') !== 'true' && !probe.tabClicked) {
          probe.tabClicked = true;
          tab.click();
        }
        const list = fresh('[data-testid="timeline-list"]');
        if (!firstSeen && list?.querySelector('[data-testid="timeline-entry"]')) {
          firstSeen = true;
          afterPaint((t) => (probe.firstPaint = t - window.__benchClickAt));
        }
        const rows = Number(list?.getAttribute('data-row-count') ?? 0);
        if (!fullSeen && rows >= minRows) {
          fullSeen = true;
          afterPaint((t) => (probe.fullPaint = t - window.__benchClickAt));
        }
        if (firstSeen && fullSeen) observer.disconnect();
      });
      observer.observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-row-count'] });
    },
    paint: () => window.__benchPaint,
    hasFirstPaint: () => window.__benchPaint?.firstPaint !== undefined,

    /** rAF deltas over n frames, scrolling the timeline list by px each frame (0: idle). */
    frameTimes(n, px) {
      return new Promise((resolve, reject) => {
        const list = document.querySelector('[data-testid="timeline-list"]');
        if (!list) return reject(new Error('no timeline list'));
        list.scrollTop = 0;
        const deltas = [];
        let last = -1;
        const tick = (t) => {
          if (last >= 0) deltas.push(t - last);
          last = t;
          if (deltas.length >= n) return resolve(deltas);
          if (px > 0) list.scrollTop += px;
          requestAnimationFrame(tick);
        };
        requestAnimationFrame(tick);
      });
    },

    /**
     * Remembers when the viewer's own tally (data-decoded-count, mount-stack-viewport.ts) first
     * reaches n on the element matching selector: every slice decoded in the cache, not just arrived.
     */
    armDecoded(selector, n) {
      const probe = {};
      window.__benchDecoded = probe;
      const observer = new MutationObserver(() => {
        const el = document.querySelector(selector);
        if (!el || Number(el.dataset.decodedCount ?? 0) < n) return;
        probe.at = performance.now();
        observer.disconnect();
      });
      observer.observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-decoded-count'] });
    },
    decodedAt: () => window.__benchDecoded?.at ?? false,

    /** Counts stack slices that became current and were drawn (Cornerstone's element events). */
    armScroll(selector) {
      const el = document.querySelector(selector);
      const probe = { pending: -1, drawn: new Set(), last: 0, start: performance.now() };
      window.__benchScroll = probe;
      el.addEventListener('CORNERSTONE_STACK_NEW_IMAGE', (e) => (probe.pending = e.detail.imageIdIndex));
      el.addEventListener('CORNERSTONE_IMAGE_RENDERED', () => {
        if (probe.pending <= 0) return;
        probe.drawn.add(probe.pending);
        probe.last = performance.now();
      });
    },
    scrollDrawn(index) {
      return window.__benchScroll.drawn.has(index);
    },
    scroll() {
      const p = window.__benchScroll;
      return { drawn: p.drawn.size, ms: p.last - p.start };
    },
  };
})();
