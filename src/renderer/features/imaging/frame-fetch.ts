/**
 * The page's side of the frame-fetch workers (frame-fetch-worker.ts): a frame URL in, its body's
 * buffer out (or undefined: the caller then lets the loader fetch it as before).
 */
import { FrameFetchAnswerSchema, type FrameFetchAnswer } from './frame-fetch-messages.ts';

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

/** The frame's single-part body fetched off the main thread; undefined when the page's loader should fetch it. */
export function fetchFrameOffPage(url: string): Promise<FetchedFrame | undefined> {
  if (frameAccept !== '') workers ??= startWorkers();
  const pool = workers ?? [];
  if (pool.length === 0) return Promise.resolve(undefined);
  const id = ++lastId;
  const worker = pool[next++ % pool.length]!;
  return new Promise((resolve) => {
    waiting.set(id, (answer) => resolve(answer?.ok ? { contentType: answer.contentType, body: answer.body } : undefined));
    worker.postMessage({ id, url, accept: frameAccept });
  });
}

/** Whether prefetched frames can be fetched off the page (enabled, and no worker failed to start). */
export function frameFetchReady(): boolean {
  return frameAccept !== '' && (workers === undefined || workers.length > 0);
}
