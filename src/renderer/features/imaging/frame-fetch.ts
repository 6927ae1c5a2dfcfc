/**
 * The page's side of the frame-fetch workers (frame-fetch-worker.ts): a frame URL in, its body's
 * buffer out (or undefined: the caller then lets the loader fetch it as before). Frames of a
 * registered series are asked in batches (frame-fetch-batches.ts) when the proxy's cache holds them.
 */
import { FrameBatches, FRAMES_PER_BATCH, type PlannedBatch } from './frame-fetch-batches.ts';
import { FrameFetchAnswerSchema, type FrameFetchAnswer, type FrameFetchRequest } from './frame-fetch-messages.ts';

/**
 * Two: one thread handles ≈ 6 ms of body per 525 kB frame, so eight frames in flight would queue
 * on one; more than two would only share the same two cores the machines measured have.
 */
const MAX_FETCH_WORKERS = 2;

export interface FetchedFrame {
  contentType: string;
  body: ArrayBuffer;
}

let workers: Worker[] | undefined;
/** What the loader's own frame requests send (cornerstone-setup.ts), so both hit the same cached answer. */
let frameAccept = '';
let next = 0;
let lastId = 0;
const waiting = new Map<number, (answer: FrameFetchAnswer | undefined) => void>();
const batches = new FrameBatches();
/**
 * Frames of batches sent (or arrived) and not yet asked for by the loader. A frame never asked
 * (the tab switched series) is dropped after HELD_MS; asked later, it is fetched alone.
 */
const held = new Map<string, { frame: Promise<FetchedFrame | undefined>; since: number }>();
const HELD_MS = 30_000;
/** Batches ahead of the loader: one answering while the next is read. */
const HELD_AHEAD = 2 * FRAMES_PER_BATCH;

function settle(id: number, answer: FrameFetchAnswer | undefined): void {
  waiting.get(id)?.(answer);
  waiting.delete(id);
}

function startWorkers(): Worker[] {
  const count = Math.max(1, Math.min(MAX_FETCH_WORKERS, navigator.hardwareConcurrency || 1));
  return Array.from({ length: count }, () => {
    const worker = new Worker(new URL('./frame-fetch-worker.ts', import.meta.url), { type: 'module', name: 'huizhen-frame-fetch' });
    worker.onmessage = (event: MessageEvent<unknown>) => {
      const answer = FrameFetchAnswerSchema.safeParse(event.data);
      if (answer.success) settle(answer.data.id, answer.data);
    };
    // A worker that cannot start (CSP, an old build) gives every frame back to the page's loader.
    worker.onerror = () => {
      workers = [];
      for (const id of [...waiting.keys()]) settle(id, undefined);
    };
    return worker;
  });
}

/**
 * Enabled with Cornerstone; the workers themselves start with the first prefetched frame, i.e. after
 * the first image is on screen (prefetch starts then): their scripts never compete with it.
 */
export function startFrameFetch(accept: string): void {
  if (typeof Worker === 'undefined') return;
  frameAccept = accept;
}

function post(
  message: { url: string; accept: string } | { batchUrl: string; frames: string[]; accept: string },
  worker: Worker,
): Promise<FrameFetchAnswer | undefined> {
  const id = ++lastId;
  return new Promise((resolve) => {
    waiting.set(id, resolve);
    const request: FrameFetchRequest = { ...message, id };
    worker.postMessage(request);
  });
}

function nextWorker(): Worker | undefined {
  if (frameAccept !== '') workers ??= startWorkers();
  const pool = workers ?? [];
  return pool.length === 0 ? undefined : pool[next++ % pool.length];
}

function fetchAlone(url: string): Promise<FetchedFrame | undefined> {
  const worker = nextWorker();
  if (!worker) return Promise.resolve(undefined);
  return post({ url, accept: frameAccept }, worker).then((answer) =>
    answer?.ok && 'body' in answer ? { contentType: answer.contentType, body: answer.body } : undefined,
  );
}

/** Sends a batch; each of its frames is held until the loader asks for it. A refused batch leaves them to be fetched alone. */
function sendBatch(batch: PlannedBatch, worker: Worker): void {
  const answered = post({ batchUrl: batch.batchUrl, frames: batch.frames, accept: frameAccept }, worker).then((answer) => {
    const frames = answer?.ok && 'frames' in answer ? answer.frames : undefined;
    if (!frames) batches.refused(batch);
    return new Map(frames?.map((frame) => [frame.url, { contentType: frame.contentType, body: frame.body }]));
  });
  const since = Date.now();
  for (const url of batch.frames) held.set(url, { frame: answered.then((byUrl) => byUrl.get(url)), since });
}

function dropStale(): void {
  const now = Date.now();
  for (const [url, entry] of held) if (now - entry.since > HELD_MS) held.delete(url);
}

/** A series' frame URLs in display order, so its prefetched frames can be asked in batches. */
export function registerSeriesFrames(frameUrls: readonly string[]): void {
  batches.register(frameUrls);
}

/** The frame's single-part body fetched off the main thread; undefined when the page's loader should fetch it. */
export function fetchFrameOffPage(url: string): Promise<FetchedFrame | undefined> {
  const worker = nextWorker();
  if (!worker) return Promise.resolve(undefined);
  dropStale();
  let entry = held.get(url);
  if (!entry) {
    const batch = batches.plan(url);
    if (batch) sendBatch(batch, worker);
    entry = held.get(url);
    if (!entry) return fetchAlone(url);
  }
  held.delete(url);
  // Keep the next batch on its way while this one is handed out.
  if (held.size < HELD_AHEAD - FRAMES_PER_BATCH) {
    const ahead = batches.plan(url, false);
    const other = ahead && nextWorker();
    if (ahead && other) sendBatch(ahead, other);
  }
  return entry.frame.then((frame) => frame ?? fetchAlone(url));
}

/** Whether prefetched frames can be fetched off the page (enabled, and no worker failed to start). */
export function frameFetchReady(): boolean {
  return frameAccept !== '' && (workers === undefined || workers.length > 0);
}
