/**
 * Fetches prefetched frames off the page's main thread. Chromium handles a response body on the
 * thread that asked for it (ResponseBodyLoader): for a cached 200-slice CT that was ≈ 1.2 s of the
 * page's main thread, more than the decode workers' 0.37 s (docs/benchmarks.md). Here it costs this
 * thread instead, and the body goes to the page, then to a decode worker, by transfer.
 */
import { FrameFetchRequestSchema, isSinglePartFrame, type FrameFetchAnswer } from './frame-fetch-messages.ts';

const scope = globalThis as unknown as {
  onmessage: ((event: MessageEvent<unknown>) => void) | null;
  postMessage(message: FrameFetchAnswer, transfer?: Transferable[]): void;
};

async function fetchFrame(id: number, url: string, accept: string): Promise<void> {
  const response = await fetch(url, { headers: { accept }, credentials: 'same-origin' });
  const contentType = response.headers.get('content-type') ?? '';
  if (!isSinglePartFrame(response.status, contentType)) {
    await response.body?.cancel().catch(() => undefined);
    return scope.postMessage({ id, ok: false, status: response.status });
  }
  const body = await response.arrayBuffer();
  scope.postMessage({ id, ok: true, contentType, body }, [body]);
}

scope.onmessage = (event) => {
  const request = FrameFetchRequestSchema.safeParse(event.data);
  if (!request.success) return;
  const { id, url, accept } = request.data;
  // Network failure: status 0, and the page's loader asks again and words what it sees.
  fetchFrame(id, url, accept).catch(() => scope.postMessage({ id, ok: false, status: 0 }));
};
