/**
 * multipart/related bodies (WADO-RS frames, bulk data, instances) taken apart only as far as
 * the part headers: the proxy rewrites each part's Content-Location (which names the PACS) and
 * leaves the framing, every other header and every payload byte as the PACS sent them.
 */
import { mapPacsUrl, type UrlMapping } from './pacs-urls.ts';

export interface MultipartPart {
  /** The header lines of the part, without the blank line that ends them. */
  headerLines: string[];
  body: Uint8Array;
}

export type SplitResult = { ok: true; parts: MultipartPart[] } | { ok: false; message: string };

const CRLF = Buffer.from('\r\n');
const HEADER_END = Buffer.from('\r\n\r\n');

/** The boundary parameter of a multipart Content-Type, unquoted. */
export function boundaryOf(contentType: string): string | undefined {
  const match = /;\s*boundary=("([^"]{1,200})"|[^\s;]{1,200})/i.exec(contentType);
  return match ? (match[2] ?? match[1]) : undefined;
}

export function splitMultipart(bytes: Uint8Array, boundary: string): SplitResult {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dash = Buffer.from(`--${boundary}`);
  const delimiter = Buffer.from(`\r\n--${boundary}`);
  let pos: number;
  if (buf.subarray(0, dash.length).equals(dash)) pos = dash.length;
  else {
    const first = buf.indexOf(delimiter);
    if (first < 0) return { ok: false, message: 'the multipart body has no boundary' };
    pos = first + delimiter.length;
  }
  const parts: MultipartPart[] = [];
  for (;;) {
    if (buf[pos] === 0x2d && buf[pos + 1] === 0x2d) return { ok: true, parts };
    if (!buf.subarray(pos, pos + 2).equals(CRLF))
      return { ok: false, message: `part ${parts.length + 1} does not start with CRLF after its boundary` };
    const headersStart = pos + 2;
    // A part without headers starts straight with the blank line.
    const headerEnd = buf.subarray(headersStart, headersStart + 2).equals(CRLF) ? headersStart - 2 : buf.indexOf(HEADER_END, headersStart);
    if (headerEnd < 0) return { ok: false, message: `part ${parts.length + 1} has no end of headers` };
    const bodyStart = headerEnd + HEADER_END.length;
    const bodyEnd = buf.indexOf(delimiter, bodyStart);
    if (bodyEnd < 0) return { ok: false, message: `part ${parts.length + 1} is not closed by a boundary` };
    const headerText = headerEnd > headersStart ? buf.subarray(headersStart, headerEnd).toString('latin1') : '';
    parts.push({ headerLines: headerText === '' ? [] : headerText.split('\r\n'), body: buf.subarray(bodyStart, bodyEnd) });
    pos = bodyEnd + delimiter.length;
  }
}

/**
 * The pieces of a multipart body in order (boundaries and part headers as small buffers, each
 * part's payload as the view it already is), for a caller that writes them once into their
 * final place instead of joining them first.
 */
export function multipartPieces(parts: readonly MultipartPart[], boundary: string): Uint8Array[] {
  const pieces: Uint8Array[] = [];
  for (const part of parts) {
    pieces.push(Buffer.from(`--${boundary}\r\n${part.headerLines.map((l) => `${l}\r\n`).join('')}\r\n`, 'latin1'));
    pieces.push(part.body);
    pieces.push(CRLF);
  }
  pieces.push(Buffer.from(`--${boundary}--\r\n`, 'latin1'));
  return pieces;
}

export function joinMultipart(parts: readonly MultipartPart[], boundary: string): Uint8Array<ArrayBuffer> {
  return Buffer.concat(multipartPieces(parts, boundary));
}

/** Content-Location headers mapped onto the proxy, or dropped when they cannot be. */
export function rewritePartLocations(parts: readonly MultipartPart[], mapping: UrlMapping): MultipartPart[] {
  return parts.map((part) => ({
    body: part.body,
    headerLines: part.headerLines.flatMap((line) => {
      const match = /^content-location:\s*(.*)$/i.exec(line);
      if (!match) return [line];
      const mapped = mapPacsUrl(match[1]!.trim(), mapping);
      return mapped ? [`Content-Location: ${mapped}`] : [];
    }),
  }));
}
