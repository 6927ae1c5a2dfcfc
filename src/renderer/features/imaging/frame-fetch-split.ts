/**
 * Splits a frame batch's multipart/related body (the proxy's x-huizhen-frames answer) as it
 * streams in, straight into one ArrayBuffer per frame: each byte is copied once, from the network
 * chunk into its frame's own buffer, as `arrayBuffer()` would have copied it into one big buffer.
 * One buffer per frame, not views of one big buffer: the loader hands a frame to its decode worker
 * by structured clone, which would clone a view's whole underlying buffer (every frame of the batch).
 *
 * Every part must carry Content-Length (the proxy writes it): the body is then never scanned for
 * the boundary, and anything unexpected ends the split (undefined), never a wrong frame.
 */

export interface SplitPart {
  contentType: string;
  /** The part's Content-Location, as written (a path on the app's origin). */
  location: string;
  body: ArrayBuffer;
}

/** Part headers never need more than this; a longer header section is refused. */
const MAX_HEAD = 4096;
/** No frame a viewer decodes is larger than this (a 4k² 16-bit RGB frame is 96 MiB). */
const MAX_PART = 128 * 1024 * 1024;

export function boundaryOfBatch(contentType: string): string | undefined {
  if (!contentType.toLowerCase().startsWith('multipart/related')) return undefined;
  return /;\s*boundary=("?)([^";\s]{1,70})\1/i.exec(contentType)?.[2];
}

function latin1(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 8192) out += String.fromCharCode(...bytes.subarray(i, i + 8192));
  return out;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const joined = new Uint8Array(a.length + b.length);
  joined.set(a);
  joined.set(b, a.length);
  return joined;
}

interface Head {
  done: boolean;
  contentType?: string;
  location?: string;
  length?: number;
}

/** A delimiter line and the part headers after it: "[CRLF]--b CRLF headers CRLF CRLF", or the closing "[CRLF]--b--". */
function parseHead(text: string, boundary: string): Head | undefined {
  const lines = text.replace(/^\r\n/, '').split('\r\n');
  if (lines[0] === `--${boundary}--`) return { done: true };
  if (lines[0] !== `--${boundary}`) return undefined;
  const head: Head = { done: false };
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (name === 'content-type') head.contentType = value;
    else if (name === 'content-location') head.location = value;
    else if (name === 'content-length' && /^[0-9]{1,10}$/.test(value)) head.length = Number(value);
  }
  return head;
}

/** Reads the whole body; undefined when it is not the batch framing expected (the caller then asks frame by frame). */
export async function splitFrameParts(reader: ReadableStreamDefaultReader<Uint8Array>, boundary: string): Promise<SplitPart[] | undefined> {
  const parts: SplitPart[] = [];
  let head: Uint8Array = new Uint8Array(0);
  let current: { part: SplitPart; bytes: Uint8Array; filled: number } | undefined;
  let closed = false;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    let chunk: Uint8Array = value;
    while (chunk.length > 0 && !closed) {
      if (current) {
        const take = Math.min(chunk.length, current.bytes.length - current.filled);
        current.bytes.set(chunk.subarray(0, take), current.filled);
        current.filled += take;
        chunk = chunk.subarray(take);
        if (current.filled === current.bytes.length) {
          parts.push(current.part);
          current = undefined;
        }
        continue;
      }
      const joined = head.length === 0 ? chunk : concat(head, chunk);
      const text = latin1(joined.subarray(0, Math.min(joined.length, MAX_HEAD + 4)));
      const closing = text.replace(/^\r\n/, '').startsWith(`--${boundary}--`);
      const end = closing ? text.indexOf(`--${boundary}--`) + boundary.length + 4 : text.indexOf('\r\n\r\n');
      if (end < 0) {
        if (joined.length > MAX_HEAD) return undefined;
        head = joined;
        chunk = new Uint8Array(0);
        continue;
      }
      const parsed = parseHead(text.slice(0, end), boundary);
      if (!parsed) return undefined;
      if (parsed.done) {
        closed = true;
        break;
      }
      if (parsed.length === undefined || parsed.length > MAX_PART || !parsed.contentType || !parsed.location) return undefined;
      const body = new ArrayBuffer(parsed.length);
      current = { part: { contentType: parsed.contentType, location: parsed.location, body }, bytes: new Uint8Array(body), filled: 0 };
      if (parsed.length === 0) {
        parts.push(current.part);
        current = undefined;
      }
      head = new Uint8Array(0);
      chunk = joined.subarray(end + 4);
    }
  }
  return closed && !current ? parts : undefined;
}
