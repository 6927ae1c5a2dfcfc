/**
 * Whole-series retrieval for cold series. Measured here, Orthanc serves a 200-slice CT in one
 * WADO-RS series request in 0.4× the time of the 200 frame requests a viewer makes, while a proxy
 * passing frames on one by one costs 1.06–1.49× direct even as a bare pipe (docs/benchmarks.md).
 * So when the viewer first asks for a series' metadata or frames, one retrieve of the whole series
 * "as stored" starts; each instance is cut into its frames as soon as its part has arrived
 * (part10-frames.ts), and each frame is kept exactly as a frame request would have been answered
 * and cached — same bytes, media type and cache name — served from memory until written behind.
 *
 * A frame request for an instance not yet arrived waits for it; when the retrieve fails, stalls
 * or cannot cut an instance, waiting requests go on to ask the PACS for their frame as before.
 * Memory is bounded: an instance larger than MAX_INSTANCE_BYTES stops the retrieve, and beyond
 * MAX_PENDING_BYTES of frames not yet written the retrieve waits for the oldest to be stored.
 */
import { deferAnswer, type DeferredAnswer } from './cached-answer.ts';
import { openFromPacs, PacsBodyError, type PacsOpenAnswer } from './fetch-from-pacs.ts';
import { boundaryOf } from './multipart.ts';
import { createMultipartStream } from './multipart-stream.ts';
import type { PacsSource } from './pacs-fetches.ts';
import { cutFrames, cutFramesInPieces, type CutRefusal } from './part10-frames.ts';

/** Every instance as stored: nothing transcoded, so frames are the bytes a frame request gets. */
export const SERIES_ACCEPT = 'multipart/related; type="application/dicom"; transfer-syntax=*';
/** An instance larger than this is not held whole in memory: the retrieve stops, frames are asked one by one. */
const MAX_INSTANCE_BYTES = 256 * 1024 * 1024;
/** Frames cut but not yet written behind; the write-behind's own bound (write-behind.ts). */
const MAX_PENDING_BYTES = 192 * 1024 * 1024;
/** No byte from the PACS for this long: the retrieve is given up and waiting requests go on alone. */
const STALL_MS = 5000;
/** A series retrieve transfers at most this much (a bound, not an expectation: 1,000 slices of 512² are 0.5 GB). */
const MAX_SERIES_BYTES = 8 * 1024 * 1024 * 1024;
/** Finished series remembered, so a frame the retrieve could not cut does not start it again. */
const REMEMBERED_SERIES = 256;

/** Why a series retrieve stopped early; logged, never shown (the frames are still served). */
export type ReadAheadStop =
  'pacs-refused' | 'not-multipart' | 'malformed-multipart' | 'instance-too-large' | 'stalled' | 'broke-off' | 'unexpected';

export interface ReadAheadSeries {
  source: PacsSource;
  studyUid: string;
  seriesUid: string;
  patientKey: string;
}

/** A frame cut from the retrieve, to keep under its cache name. */
export interface KeptFrame {
  source: PacsSource;
  name: string;
  patientKey: string;
  encoded: DeferredAnswer;
}

export interface ReadAheadPorts {
  /** The cache name of a single-part `transfer-syntax=*` answer to this frame path. */
  frameName(sourceId: string, framePath: string): string;
  /** Keeps a frame (served from memory, written behind); false when the name is being fetched already. */
  keep(frame: KeptFrame): boolean;
  /** Resolves once `name` is in the cache (storing it now if it waits). */
  untilCached(name: string): Promise<void>;
  /** The retrieve is streaming: the write-behind stays out of its way, as for streamed frames. */
  streaming(delta: 1 | -1): void;
  /** An instance cut: its own data set named the series' study and series (part10-frames.ts checks it). */
  vouched(series: ReadAheadSeries, instanceUid: string): void;
  log(line: string): void;
  clock(): Date;
}

export interface SeriesReadAhead {
  /** Starts the series' retrieve unless one runs or has run since the series was last rearmed. */
  start(series: ReadAheadSeries): void;
  /** Whether a retrieve of the series runs or has run (and was not rearmed since). */
  started(series: ReadAheadSeries): boolean;
  /** A finished retrieve is forgotten, so the next frame asked starts another (the series' metadata was not cached: a purge). */
  rearm(series: ReadAheadSeries): void;
  /** Resolves once the series' retrieve has passed `instanceUid` (cut or refused) or is not running. */
  passed(series: ReadAheadSeries, instanceUid: string): Promise<void>;
  /** Resolves once no retrieve runs. */
  settled(): Promise<void>;
}

/** A kept frame's cache name and the bytes it holds until written. */
interface KeptBytes {
  name: string;
  bytes: number;
}

interface SeriesState {
  running: boolean;
  passed: Set<string>;
  waiters: Set<() => void>;
  done: Promise<void>;
}

function keyOf({ source, studyUid, seriesUid, patientKey }: ReadAheadSeries): string {
  return `${patientKey}|${source.sourceId}|${studyUid}|${seriesUid}`;
}

class ReadAheadStopped extends Error {
  readonly stop: ReadAheadStop;
  constructor(stop: ReadAheadStop) {
    super(stop);
    this.stop = stop;
  }
}

export function createSeriesReadAhead(ports: ReadAheadPorts): SeriesReadAhead {
  const states = new Map<string, SeriesState>();

  function notify(state: SeriesState): void {
    for (const waiter of state.waiters) waiter();
  }

  function forget(): void {
    // Maps iterate in insertion order: the oldest finished series go first.
    for (const [key, state] of states) {
      if (states.size <= REMEMBERED_SERIES) return;
      if (!state.running) states.delete(key);
    }
  }

  /**
   * Cuts one arrived instance (the chunks its part came in) and keeps its frames; the bytes it
   * keeps waiting to be written. Native frames stay views into the chunks; the rest is joined first.
   */
  function cutInstance(
    series: ReadAheadSeries,
    state: SeriesState,
    part10: readonly Uint8Array[],
    fetchedAt: string,
  ): { name: string; bytes: number }[] {
    const pieced = cutFramesInPieces(part10, series);
    const cut = pieced ?? cutFrames(part10.length === 1 ? part10[0]! : Buffer.concat(part10), series);
    if (!cut.ok) {
      if (cut.sopInstanceUid) state.passed.add(cut.sopInstanceUid);
      logNotCut(series, cut.code);
      return [];
    }
    ports.vouched(series, cut.sopInstanceUid);
    const instancePath = `studies/${series.studyUid}/series/${series.seriesUid}/instances/${cut.sopInstanceUid}`;
    const contentType = `application/octet-stream; transfer-syntax=${cut.transferSyntax}`;
    const kept: KeptBytes[] = [];
    cut.frames.forEach((frame, i) => {
      const name = ports.frameName(series.source.sourceId, `${instancePath}/frames/${i + 1}`);
      const encoded = deferAnswer({ contentType, fetchedAt, form: 'served' }, Array.isArray(frame) ? frame : [frame]);
      if (ports.keep({ source: series.source, name, patientKey: series.patientKey, encoded })) {
        kept.push({ name, bytes: encoded.byteLength });
      }
    });
    state.passed.add(cut.sopInstanceUid);
    return kept;
  }

  function logNotCut(series: ReadAheadSeries, code: CutRefusal): void {
    ports.log(
      `dicomweb-proxy: ${series.source.sourceId}: series read-ahead: an instance was not cut (${code}); its frames are asked one by one`,
    );
  }

  async function run(series: ReadAheadSeries, state: SeriesState): Promise<void> {
    const { source } = series;
    ports.streaming(1);
    let opened: PacsOpenAnswer | undefined;
    let stalled = false;
    try {
      // Frame requests wait on this retrieve: its answer's headers get the same stall bound as its body.
      const silent = new AbortController();
      const headersDue = setTimeout(() => {
        stalled = true;
        silent.abort();
      }, STALL_MS);
      headersDue.unref?.();
      const result = await openFromPacs({
        endpoint: source.endpoint,
        resourcePath: `studies/${series.studyUid}/series/${series.seriesUid}`,
        query: '',
        accept: SERIES_ACCEPT,
        identity: true,
        maxBytes: MAX_SERIES_BYTES,
        signal: silent.signal,
      }).finally(() => clearTimeout(headersDue));
      if (!result.ok) throw new ReadAheadStopped('pacs-refused');
      const answer = result.answer;
      opened = answer;
      const onStall = () => {
        stalled = true;
        answer.cancel();
      };
      const fetchedAt = ports.clock().toISOString();
      const onInstance = (part10: readonly Uint8Array[]) => {
        const kept = cutInstance(series, state, part10, fetchedAt);
        notify(state);
        return kept;
      };
      await consume({ ...answer, chunks: watchedForStall(answer.chunks, onStall) }, onInstance, ports.untilCached);
    } catch (error) {
      opened?.cancel();
      const stop: ReadAheadStop = stalled
        ? 'stalled'
        : error instanceof ReadAheadStopped
          ? error.stop
          : error instanceof PacsBodyError
            ? 'broke-off'
            : 'unexpected';
      ports.log(`dicomweb-proxy: ${source.sourceId}: series read-ahead stopped (${stop}); the frames still missing are asked one by one`);
    } finally {
      ports.streaming(-1);
      state.running = false;
      notify(state);
    }
  }

  return {
    start(series) {
      const key = keyOf(series);
      if (states.has(key)) return;
      const state: SeriesState = { running: true, passed: new Set(), waiters: new Set(), done: Promise.resolve() };
      states.delete(key);
      states.set(key, state);
      state.done = run(series, state);
      forget();
    },
    started(series) {
      return states.has(keyOf(series));
    },
    rearm(series) {
      const key = keyOf(series);
      if (states.get(key)?.running === false) states.delete(key);
    },
    passed(series, instanceUid) {
      const state = states.get(keyOf(series));
      if (!state) return Promise.resolve();
      return new Promise<void>((resolve) => {
        const check = () => {
          if (state.running && !state.passed.has(instanceUid)) return;
          state.waiters.delete(check);
          resolve();
        };
        state.waiters.add(check);
        check();
      });
    },
    async settled() {
      for (;;) {
        const running = [...states.values()].filter((s) => s.running);
        if (running.length === 0) return;
        await Promise.all(running.map((s) => s.done));
      }
    },
  };
}

/**
 * Reads the retrieve's body part by part, handing each instance to `onInstance` once its part has
 * ended; `untilStored` is awaited for the oldest kept frame while too many wait to be written.
 */
async function consume(
  opened: PacsOpenAnswer,
  onInstance: (part10: readonly Uint8Array[]) => KeptBytes[],
  untilStored: (name: string) => Promise<void>,
): Promise<void> {
  const boundary = boundaryOf(opened.contentType);
  if (!opened.contentType.toLowerCase().startsWith('multipart/related') || !boundary) throw new ReadAheadStopped('not-multipart');
  let current: Uint8Array[] | undefined;
  let currentBytes = 0;
  const arrived: Uint8Array[][] = [];
  const finishPart = () => {
    if (current) arrived.push(current);
    current = undefined;
    currentBytes = 0;
  };
  let tooLarge = false;
  const parser = createMultipartStream(boundary, {
    headers() {
      finishPart();
      current = [];
    },
    body(bytes) {
      currentBytes += bytes.byteLength;
      if (currentBytes > MAX_INSTANCE_BYTES) tooLarge = true;
      // Views into memory nobody else writes (multipart-stream.ts): kept as they came.
      else current?.push(bytes);
    },
  });
  /** Frames kept and not yet known to be stored, oldest first. */
  const pending: KeptBytes[] = [];
  let pendingBytes = 0;
  for await (const chunk of opened.chunks) {
    if (parser.push(chunk)) throw new ReadAheadStopped('malformed-multipart');
    if (tooLarge) throw new ReadAheadStopped('instance-too-large');
    for (const part10 of arrived.splice(0)) {
      for (const frame of onInstance(part10)) {
        pending.push(frame);
        pendingBytes += frame.bytes;
      }
    }
    while (pendingBytes > MAX_PENDING_BYTES) {
      const oldest = pending.shift()!;
      await untilStored(oldest.name);
      pendingBytes -= oldest.bytes;
    }
  }
  if (parser.end()) throw new ReadAheadStopped('malformed-multipart');
  finishPart();
  for (const part10 of arrived.splice(0)) onInstance(part10);
}

/**
 * The same chunks; `onStall` when the PACS sends nothing for STALL_MS while one is awaited (time
 * spent waiting for the cache to store kept frames is not the PACS's and is not counted).
 */
async function* watchedForStall(chunks: AsyncIterable<Uint8Array>, onStall: () => void): AsyncGenerator<Uint8Array> {
  const iterator = chunks[Symbol.asyncIterator]();
  for (;;) {
    const timer = setTimeout(onStall, STALL_MS);
    timer.unref?.();
    let next: IteratorResult<Uint8Array>;
    try {
      next = await iterator.next();
    } finally {
      clearTimeout(timer);
    }
    if (next.done) return;
    yield next.value;
  }
}
