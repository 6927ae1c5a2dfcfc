/**
 * Fetches prefetched frames off the page's main thread. Chromium handles a response body on the
 * thread that asked for it (ResponseBodyLoader): for a cached 200-slice CT that was ≈ 1.2 s of the
 * page's main thread, more than the decode workers' 0.37 s (docs/benchmarks.md). Here it costs this
 * thread instead, and the body goes to the page, then to a decode worker, by transfer.
 */
import { boundaryOfBatch, splitFrameParts } from './frame-fetch-split.ts';
import { FrameFetchRequestSchema, isSinglePartFrame, type BatchFrame, type FrameFetchAnswer } from './frame-fetch-messages.ts';

const scope = globalThis as unknown as {
  location: { href: string };
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

/**
 * A batch: every frame asked must come back, each part matched to its frame by Content-Location;
 * anything else (a refusal, a part missing or extra) gives the whole batch back (status 0 for a
 * malformed answer) and the page asks frame by frame.
 */
async function fetchBatch(id: number, batchUrl: string, frames: readonly string[], accept: string): Promise<void> {
  const response = await fetch(batchUrl, { headers: { accept }, credentials: 'same-origin' });
  const boundary = response.status === 200 ? boundaryOfBatch(response.headers.get('content-type') ?? '') : undefined;
  if (!boundary || !response.body) {
    await response.body?.cancel().catch(() => undefined);
    return scope.postMessage({ id, ok: false, status: response.status === 200 ? 0 : response.status });
  }
  const reader = response.body.getReader();
  const parts = await splitFrameParts(reader, boundary);
  // Absolute URL → the frame URL as the page asked it, which is how the page matches the answers.
  const asked = new Map(frames.map((url) => [new URL(url, scope.location.href).href, url]));
  const answered: BatchFrame[] = [];
  for (const part of parts ?? []) {
    const absolute = new URL(part.location, scope.location.href).href;
    const url = asked.get(absolute);
    if (url === undefined) break;
    asked.delete(absolute);
    answered.push({ url, contentType: part.contentType, body: part.body });
  }
  const complete = parts !== undefined && answered.length === parts.length && asked.size === 0;
  if (!complete || !answered.every((frame) => isSinglePartFrame(200, frame.contentType))) {
    await reader.cancel().catch(() => undefined);
    return scope.postMessage({ id, ok: false, status: 0 });
  }
  scope.postMessage(
    { id, ok: true, frames: answered },
    answered.map((frame) => frame.body),
  );
}

scope.onmessage = (event) => {
  const request = FrameFetchRequestSchema.safeParse(event.data);
  if (!request.success) return;
  const message = request.data;
  // Network failure: status 0, and the page's loader asks again and words what it sees.
  const fetched =
    'batchUrl' in message
      ? fetchBatch(message.id, message.batchUrl, message.frames, message.accept)
      : fetchFrame(message.id, message.url, message.accept);
  fetched.catch(() => scope.postMessage({ id: message.id, ok: false, status: 0 }));
};
