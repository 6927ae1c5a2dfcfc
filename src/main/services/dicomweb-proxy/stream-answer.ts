/**
 * A PACS multipart answer passed on to the viewer while it arrives: the first bytes of a frame
 * leave before the PACS has sent its last, and nothing waits for the whole body in memory. The
 * served bytes are the same as a cache hit's (one frame alone when its syntax is named, else
 * the multipart body with its part locations mapped onto the proxy); a copy of them is kept as
 * they pass and becomes the cache blob when it is written behind, after the viewer has it.
 */
import { deferAnswer, type DeferredAnswer } from './cached-answer.ts';
import { PacsBodyError, type PacsFailure, type PacsOpenAnswer } from './fetch-from-pacs.ts';
import { boundaryOf, rewritePartLocations } from './multipart.ts';
import { createMultipartStream } from './multipart-stream.ts';
import type { UrlMapping } from './pacs-urls.ts';

export interface StreamOptions {
  fetchedAt: string;
  /** The viewer accepts one frame alone (application/octet-stream). */
  singlePart: boolean;
  servedMapping: UrlMapping;
}

export type StreamStart =
  | {
      ok: true;
      contentType: string;
      body: ReadableStream<Uint8Array>;
      /** The answer to cache, once the viewer has read it all; undefined when it broke off. */
      complete: Promise<DeferredAnswer | undefined>;
      /** Why the body failed after its headers were sent, when it did (for the log). */
      failure(): string | undefined;
    }
  | { ok: false; failure: PacsFailure };

const TRANSFER_SYNTAX_PARAM = /transfer-syntax\s*=\s*"?([0-9.]+)/i;

function malformed(message: string): PacsFailure {
  return { ok: false, status: 502, code: 'pacs-malformed', message };
}

/** What a part's first bytes decide: served alone (its syntax named) or as multipart. */
function servedType(lines: readonly string[], pacsType: string, singlePart: boolean): string | undefined {
  if (!singlePart) return undefined;
  const partType = lines.find((l) => /^content-type:/i.test(l));
  const syntax = (partType ? TRANSFER_SYNTAX_PARAM.exec(partType)?.[1] : undefined) ?? TRANSFER_SYNTAX_PARAM.exec(pacsType)?.[1];
  // Without a syntax a reader must assume Implicit VR LE: keep the multipart answer, which names it.
  return syntax ? `application/octet-stream; transfer-syntax=${syntax}` : undefined;
}

export async function streamAnswer(opened: PacsOpenAnswer, options: StreamOptions): Promise<StreamStart> {
  const boundary = boundaryOf(opened.contentType);
  if (!opened.contentType.toLowerCase().startsWith('multipart/related') || !boundary) {
    opened.cancel();
    return { ok: false, failure: malformed('the PACS answered without a multipart/related body') };
  }
  /** Served pieces not yet handed to the viewer, and all of them for the cache. */
  let queue: Uint8Array[] = [];
  const kept: Uint8Array[] = [];
  const emit = (piece: Uint8Array) => {
    queue.push(piece);
    kept.push(piece);
  };
  let single: string | undefined;
  let parts = 0;
  let failure: string | undefined;
  const parser = createMultipartStream(boundary, {
    headers(lines) {
      parts++;
      if (parts === 1) single = servedType(lines, opened.contentType, options.singlePart);
      if (single) {
        if (parts > 1) failure = 'the PACS answered more than one part for one frame';
        return;
      }
      const [part] = rewritePartLocations([{ headerLines: lines, body: new Uint8Array(0) }], options.servedMapping);
      const head = `${parts > 1 ? '\r\n' : ''}--${boundary}\r\n${part!.headerLines.map((l) => `${l}\r\n`).join('')}\r\n`;
      emit(Buffer.from(head, 'latin1'));
    },
    body: emit,
  });
  const chunks = opened.chunks[Symbol.asyncIterator]();
  let done = false;

  /** Reads from the PACS until something can be served or the body ends; a failure message or undefined. */
  async function pump(): Promise<string | undefined> {
    while (queue.length === 0 && !done && !failure) {
      let next: IteratorResult<Uint8Array>;
      try {
        next = await chunks.next();
      } catch (error) {
        return error instanceof PacsBodyError ? error.failure.message : 'the PACS broke off its answer';
      }
      if (next.done) {
        done = true;
        const ended = parser.end();
        if (ended) return `the PACS answered a malformed multipart body: ${ended}`;
        if (parts === 0) return 'the PACS answered a multipart body without parts';
        if (!single) emit(Buffer.from(`\r\n--${boundary}--\r\n`, 'latin1'));
      } else {
        const bad = parser.push(next.value);
        if (bad) failure = `the PACS answered a malformed multipart body: ${bad}`;
      }
    }
    return failure;
  }

  // The first part's headers decide the media type, so they must be in before the viewer's.
  while (parts === 0 && !done && !failure) {
    const early = await pump();
    if (early) {
      opened.cancel();
      return { ok: false, failure: malformed(early) };
    }
  }
  if (parts === 0) return { ok: false, failure: malformed('the PACS answered a multipart body without parts') };

  let finish: (encoded: DeferredAnswer | undefined) => void = () => {};
  const complete = new Promise<DeferredAnswer | undefined>((resolve) => (finish = resolve));
  const contentType = single ?? opened.contentType;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const bad = await pump();
      if (bad) {
        failure = bad;
        opened.cancel();
        controller.error(new Error(bad));
        finish(undefined);
        return;
      }
      for (const piece of queue) controller.enqueue(piece);
      queue = [];
      if (done) {
        controller.close();
        finish(deferAnswer({ contentType, fetchedAt: options.fetchedAt, form: 'served' }, kept));
      }
    },
    cancel() {
      opened.cancel();
      finish(undefined);
    },
  });
  return { ok: true, contentType, body, complete, failure: () => failure };
}
