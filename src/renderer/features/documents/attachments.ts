/**
 * Which of a DocumentReference's attachments to show, and their text. The CDA adapter stores the
 * original XML (application/hl7-v3+xml) and the narrative rendered to sanitized HTML side by side,
 * both base64 in `data`; notes from other systems may carry only text/plain. Pure: no DOM.
 */
import type { TimelineEntry } from '../../../shared/domain/timeline.ts';

export interface AttachmentLike {
  contentType?: string;
  data?: string;
  url?: string;
  title?: string;
  language?: string;
}

export interface DocumentContent {
  /** HTML to sanitize again and show. */
  html?: string;
  /** Plain text to show preformatted when there is no HTML. */
  text?: string;
  /** The original CDA (or other XML), shown as text only. */
  xml?: string;
  /** Files with their bytes (a PDF, an image): an image shown inline, any of them offered as a download. */
  files: AttachedFile[];
  /** Attachments without bytes (links by URL): named, not fetched. */
  others: { contentType: string; title?: string; url?: string }[];
  /** Attachments whose data could not be decoded (bad base64, unknown charset). */
  unreadable: number;
}

const XML_TYPES = new Set(['application/hl7-v3+xml', 'application/xml', 'text/xml', 'application/cda+xml']);

/**
 * Raster images a data: URL in an <img> shows under the CSP's img-src and that run nothing. SVG is
 * not among them (it is markup: offered as a download instead), nor TIFF (Chromium cannot draw it).
 */
const INLINE_IMAGES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/bmp', 'image/webp']);

export type AttachedFileKind = 'pdf' | 'image' | 'other';

export interface AttachedFile {
  kind: AttachedFileKind;
  contentType: string;
  title?: string;
  /** base64, as the source sent it (checked to be base64). */
  data: string;
  /** Bytes, from the base64 length. */
  size: number;
  /** Shown inline in an <img> (a raster image); otherwise downloaded only. */
  inline: boolean;
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function fileOf(type: string, a: AttachmentLike & { data: string }): AttachedFile | undefined {
  const data = a.data.replace(/\s+/g, '');
  if (data.length % 4 !== 0 || !BASE64.test(data)) return undefined;
  const size = (data.length / 4) * 3 - (data.endsWith('==') ? 2 : data.endsWith('=') ? 1 : 0);
  const kind: AttachedFileKind = type === 'application/pdf' ? 'pdf' : type.startsWith('image/') ? 'image' : 'other';
  return {
    kind,
    contentType: type || 'application/octet-stream',
    ...(a.title ? { title: a.title } : {}),
    data,
    size,
    inline: INLINE_IMAGES.has(type),
  };
}

function mediaType(contentType: string | undefined): { type: string; charset?: string } {
  const [type = '', ...params] = (contentType ?? '').split(';');
  const charset = params.map((p) => /^\s*charset\s*=\s*"?([\w.:-]+)"?\s*$/i.exec(p)?.[1]).find(Boolean);
  return { type: type.trim().toLowerCase(), ...(charset ? { charset } : {}) };
}

/** XML that says its own encoding in the prolog (GB18030 platforms do) is decoded with it. */
function xmlDeclaredEncoding(bytes: Uint8Array): string | undefined {
  const head = String.fromCharCode(...bytes.subarray(0, 100));
  return /^<\?xml[^>]*encoding\s*=\s*["']([\w.:-]+)["']/.exec(head)?.[1];
}

function makeDecoder(label: string | undefined): TextDecoder {
  try {
    return new TextDecoder(label ?? 'utf-8', { fatal: false });
  } catch {
    // An unknown label is a vendor quirk, not a reason to hide the document.
    return new TextDecoder('utf-8');
  }
}

/** base64 → text; undefined when the data is not base64 at all. */
export function decodeBase64Text(data: string, charset?: string, sniffXml = false): string | undefined {
  let binary: string;
  try {
    binary = atob(data.replace(/\s+/g, ''));
  } catch {
    return undefined;
  }
  const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
  return makeDecoder(charset ?? (sniffXml ? xmlDeclaredEncoding(bytes) : undefined)).decode(bytes);
}

/** The attachments of a DocumentReference resource, read defensively (the schema is loose). */
export function attachmentsOf(resource: TimelineEntry['resource']): AttachmentLike[] {
  const content = (resource as { content?: unknown }).content;
  if (!Array.isArray(content)) return [];
  const out: AttachmentLike[] = [];
  for (const c of content) {
    const a: unknown = (c as { attachment?: unknown } | null)?.attachment;
    if (!a || typeof a !== 'object') continue;
    const r = a as Record<string, unknown>;
    const pick = (k: string) => (typeof r[k] === 'string' ? (r[k] as string) : undefined);
    const att: AttachmentLike = {};
    for (const k of ['contentType', 'data', 'url', 'title', 'language'] as const) {
      const v = pick(k);
      if (v !== undefined) att[k] = v;
    }
    out.push(att);
  }
  return out;
}

/** Picks the first HTML, the first plain text and the first XML attachment; keeps files with bytes; names the rest. */
export function selectContent(attachments: readonly AttachmentLike[]): DocumentContent {
  const out: DocumentContent = { files: [], others: [], unreadable: 0 };
  for (const a of attachments) {
    const { type, charset } = mediaType(a.contentType);
    const slot =
      type === 'text/html' || type === 'application/xhtml+xml'
        ? 'html'
        : type === 'text/plain'
          ? 'text'
          : XML_TYPES.has(type)
            ? 'xml'
            : undefined;
    if (!slot && a.data !== undefined) {
      const file = fileOf(type, { ...a, data: a.data });
      if (file) out.files.push(file);
      else out.unreadable++;
      continue;
    }
    if (!slot || a.data === undefined) {
      out.others.push({
        contentType: type || 'application/octet-stream',
        ...(a.title ? { title: a.title } : {}),
        ...(a.url ? { url: a.url } : {}),
      });
      continue;
    }
    if (out[slot] !== undefined) continue;
    const text = decodeBase64Text(a.data, charset, slot === 'xml');
    if (text === undefined) out.unreadable++;
    else out[slot] = text;
  }
  return out;
}
