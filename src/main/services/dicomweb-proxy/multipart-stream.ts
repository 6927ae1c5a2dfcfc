/**
 * A multipart/related body taken apart while it arrives, chunk by chunk, so the proxy can send
 * a frame to the viewer before the PACS has finished sending it. Same rules as `splitMultipart`
 * (a preamble is skipped, a part may have no headers, the epilogue is ignored); only a few bytes
 * are held back at a time — as many as a boundary that may straddle two chunks needs.
 */

export interface MultipartEvents {
  /** A part's header lines, before any of its body. */
  headers(lines: string[]): void;
  /** Body bytes of the current part (views into memory nobody else writes). */
  body(bytes: Uint8Array): void;
}

export interface MultipartStream {
  /** Feeds the next chunk; a message when the body cannot be multipart/related. */
  push(chunk: Uint8Array): string | undefined;
  /** The body ended; a message when it ended before its closing boundary. */
  end(): string | undefined;
}

/** Part headers larger than this are refused (the PACS would be at fault). */
const MAX_HEADER_BYTES = 16 * 1024;
const CRLF_CRLF = Buffer.from('\r\n\r\n');

type State = 'preamble' | 'after-boundary' | 'headers' | 'body' | 'closed';

export function createMultipartStream(boundary: string, events: MultipartEvents): MultipartStream {
  const delimiter = Buffer.from(`\r\n--${boundary}`);
  // A body may start straight with its boundary: a CRLF in front makes every boundary a delimiter.
  let pending: Buffer = Buffer.from('\r\n');
  let state: State = 'preamble';
  let parts = 0;

  /** Consumes what `pending` allows; a message on malformed input. */
  function advance(): string | undefined {
    for (;;) {
      if (state === 'closed') {
        pending = Buffer.alloc(0);
        return undefined;
      }
      if (state === 'preamble' || state === 'body') {
        const at = pending.indexOf(delimiter);
        if (at < 0) {
          // Keep what could be the start of a delimiter cut by the chunk's end.
          const safe = Math.max(0, pending.length - (delimiter.length - 1));
          if (state === 'body' && safe > 0) events.body(pending.subarray(0, safe));
          pending = pending.subarray(safe);
          return undefined;
        }
        if (state === 'body' && at > 0) events.body(pending.subarray(0, at));
        pending = pending.subarray(at + delimiter.length);
        state = 'after-boundary';
        continue;
      }
      if (state === 'after-boundary') {
        if (pending.length < 2) return undefined;
        if (pending[0] === 0x2d && pending[1] === 0x2d) {
          state = 'closed';
          continue;
        }
        if (pending[0] !== 0x0d || pending[1] !== 0x0a) return `part ${parts + 1} does not start with CRLF after its boundary`;
        // The CRLF stays: a part without headers is then CRLF CRLF, found at 0.
        state = 'headers';
        continue;
      }
      const end = pending.indexOf(CRLF_CRLF);
      if (end < 0) return pending.length > MAX_HEADER_BYTES ? `part ${parts + 1} has no end of headers` : undefined;
      const text = end > 2 ? pending.subarray(2, end).toString('latin1') : '';
      parts++;
      events.headers(text === '' ? [] : text.split('\r\n'));
      pending = pending.subarray(end + CRLF_CRLF.length);
      state = 'body';
    }
  }

  return {
    push(chunk) {
      if (state === 'closed' || chunk.byteLength === 0) return undefined;
      const incoming = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      if (pending.length > 0 && (state === 'body' || state === 'preamble') && incoming.length >= delimiter.length) {
        // Only a tail shorter than a delimiter is held in a body: joining it to every 64 kB chunk
        // copied each frame once more (the proxy's largest byte cost, docs/benchmarks.md). A
        // delimiter across the seam is looked for in a few bytes instead; every byte of body
        // handed on stays a view into a chunk as it came.
        const seam = Buffer.concat([pending, incoming.subarray(0, delimiter.length - 1)]);
        const at = seam.indexOf(delimiter);
        if (at >= 0 && at < pending.length) {
          if (state === 'body' && at > 0) events.body(pending.subarray(0, at));
          pending = incoming.subarray(at + delimiter.length - pending.length);
          state = 'after-boundary';
          return advance();
        }
        if (state === 'body') events.body(pending);
        pending = incoming;
        return advance();
      }
      pending = pending.length === 0 ? incoming : Buffer.concat([pending, incoming]);
      return advance();
    },
    end() {
      if (state === 'closed') return undefined;
      if (parts === 0 && state === 'preamble') return 'the multipart body has no boundary';
      return state === 'body' ? `part ${parts} is not closed by a boundary` : `part ${parts + 1} has no end of headers`;
    },
  };
}
