/**
 * A tab that Playwright does not instrument, for memory figures. Playwright turns on the
 * DevTools Network agent in every page it drives, and Chromium then keeps every response body
 * for DevTools (≈ 160 MB of image frames with a 200-slice CT open) — memory an Electron user
 * never has. This tab is created and driven over raw CDP in the browser's default context,
 * which a non-persistent Playwright launch leaves alone: Runtime, Page and Input only.
 */
import type { Browser, CDPSession } from '@playwright/test';

type Reply = { result?: unknown; error?: unknown };

export class RawTab {
  readonly #cdp: CDPSession;
  readonly #targetId: string;
  readonly #sessionId: string;
  readonly #pending = new Map<number, (reply: Reply) => void>();
  #nextId = 1;

  private constructor(cdp: CDPSession, targetId: string, sessionId: string) {
    this.#cdp = cdp;
    this.#targetId = targetId;
    this.#sessionId = sessionId;
    cdp.on('Target.receivedMessageFromTarget', (event) => {
      const message = JSON.parse(event.message) as { id?: number } & Reply;
      const resolve = message.id === undefined ? undefined : this.#pending.get(message.id);
      if (!resolve) return;
      this.#pending.delete(message.id!);
      resolve(message);
    });
  }

  static async open(browser: Browser, viewport = { width: 1280, height: 800 }): Promise<RawTab> {
    const cdp = await browser.newBrowserCDPSession();
    const { targetId } = await cdp.send('Target.createTarget', { url: 'about:blank' });
    // Not flattened: Playwright's CDPSession cannot address a child session id, but it can relay.
    const { sessionId } = await cdp.send('Target.attachToTarget', { targetId, flatten: false });
    const tab = new RawTab(cdp, targetId, sessionId);
    await tab.call('Runtime.enable');
    await tab.call('Page.enable');
    await tab.call('Emulation.setDeviceMetricsOverride', { ...viewport, deviceScaleFactor: 1, mobile: false });
    return tab;
  }

  async call(method: string, params: object = {}): Promise<unknown> {
    const id = this.#nextId++;
    const reply = new Promise<Reply>((resolve) => this.#pending.set(id, resolve));
    await this.#cdp.send('Target.sendMessageToTarget', { sessionId: this.#sessionId, message: JSON.stringify({ id, method, params }) });
    const { result, error } = await reply;
    if (error) throw new Error(`${method}: ${JSON.stringify(error)}`);
    return result;
  }

  async evaluate(expression: string): Promise<unknown> {
    const result = (await this.call('Runtime.evaluate', { expression, awaitPromise: true, returnByValue: true })) as {
      result?: { value?: unknown };
      exceptionDetails?: unknown;
    };
    if (result.exceptionDetails) throw new Error(`${expression.slice(0, 80)}: ${JSON.stringify(result.exceptionDetails).slice(0, 300)}`);
    return result.result?.value;
  }

  async waitFor(expression: string, timeoutMs = 180_000): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (Date.now() < until) {
      if (await this.evaluate(expression).catch(() => false)) return;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`timed out waiting for ${expression}`);
  }

  async navigate(url: string): Promise<void> {
    await this.call('Page.navigate', { url });
  }

  async type(text: string): Promise<void> {
    await this.call('Input.insertText', { text });
    await this.call('Input.dispatchKeyEvent', { type: 'keyDown', key: 'Enter', code: 'Enter', windowsVirtualKeyCode: 13, text: '\r' });
    await this.call('Input.dispatchKeyEvent', { type: 'keyUp', key: 'Enter', code: 'Enter', windowsVirtualKeyCode: 13 });
  }

  /** The JS heap in use after two full collections, MB. */
  async heapUsedMb(): Promise<number> {
    await this.call('HeapProfiler.collectGarbage');
    await this.call('HeapProfiler.collectGarbage');
    const { usedSize } = (await this.call('Runtime.getHeapUsage')) as { usedSize: number };
    return usedSize / (1024 * 1024);
  }

  /**
   * This tab's renderer process: the one whose CPU time grows while the tab spins for half a
   * second (CDP lists processes but does not say which tab lives in which).
   */
  async rendererPid(): Promise<number> {
    const cpu = async () => {
      const { processInfo } = await this.#cdp.send('SystemInfo.getProcessInfo');
      return new Map(processInfo.filter((p) => p.type === 'renderer').map((p) => [p.id, p.cpuTime]));
    };
    const before = await cpu();
    await this.evaluate('(() => { const end = performance.now() + 500; while (performance.now() < end); return true; })()');
    const after = await cpu();
    let best = 0;
    let pid = 0;
    for (const [id, t] of after) {
      const used = t - (before.get(id) ?? 0);
      if (used > best) [best, pid] = [used, id];
    }
    if (!pid || best < 0.3) throw new Error(`no renderer spent the half second the tab spun (most: ${best.toFixed(2)} s)`);
    return pid;
  }

  async close(): Promise<void> {
    await this.#cdp.send('Target.closeTarget', { targetId: this.#targetId }).catch(() => undefined);
    await this.#cdp.detach().catch(() => undefined);
  }
}
