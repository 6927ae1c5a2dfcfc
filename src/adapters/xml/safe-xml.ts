/**
 * The only way Huizhen reads CDA and HL7 v3 XML. Hospital XML is untrusted input: a DOCTYPE
 * (the carrier of XXE — `<!ENTITY x SYSTEM "file:///etc/passwd">` — and of entity-expansion bombs
 * like "billion laughs") is refused before any parser sees it. CDA R2 and the HL7 v3 ITS never
 * need a DTD, so refusing them costs no real document. xmldom additionally never fetches external
 * resources and, with the error handler below, fails on any entity it does not know. Elements
 * nested deeper than MAX_XML_DEPTH, or with more than MAX_XML_ATTRIBUTES attributes, are refused
 * before parsing too (CdaError kind 'limit'), so the walkers above this layer are bounded however
 * the document is built.
 */
import { DOMParser, type Document, type Element } from '@xmldom/xmldom';
import { gb18030Instead } from '../legacy-chinese-text.ts';
import { CdaError } from './cda-error.ts';
import { findLimitBreach, lineAt, MAX_XML_ATTRIBUTES, MAX_XML_DEPTH } from './xml-nesting.ts';

export { MAX_XML_ATTRIBUTES, MAX_XML_DEPTH } from './xml-nesting.ts';

/** Larger than any real clinical document (a CCD with years of results is a few MB). */
export const MAX_XML_BYTES = 32 * 1024 * 1024;

const DTD_MARKERS = /<!\s*(DOCTYPE|ENTITY)/i;
const ENCODING_DECL = /^\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9._-]+)["']/;

/** GB2312 and GBK are subsets of GB18030: decoding all three as GB18030 is lossless. */
function decoderLabel(declared: string | undefined): string {
  const label = (declared ?? 'utf-8').toLowerCase();
  if (label === 'gbk' || label === 'gb2312' || label === 'gb18030' || label === 'cp936') return 'gb18030';
  return label;
}

/**
 * The charset to label stored original bytes with when their own prolog would mislead a reader:
 * GB18030 text with no encoding declared (or "UTF-8" declared) — what decodeXmlBytes falls back to.
 */
export function undeclaredCharset(bytes: Uint8Array): 'GB18030' | undefined {
  if (bytes[0] === 0xef || bytes[0] === 0xff || bytes[0] === 0xfe) return undefined;
  const label = decoderLabel(ENCODING_DECL.exec(new TextDecoder('latin1').decode(bytes.subarray(0, 200)))?.[1]);
  if (label !== 'utf-8' && label !== 'utf8') return undefined;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return undefined;
  } catch {
    return gb18030Instead(bytes) === undefined ? undefined : 'GB18030';
  }
}

/** Bytes to text by BOM, else by the XML declaration's encoding, else UTF-8 (XML's default), else GB18030. */
export function decodeXmlBytes(bytes: Uint8Array, what: string): string {
  if (bytes.length > MAX_XML_BYTES) throw new CdaError('limit', '/', `${what} is larger than ${MAX_XML_BYTES} bytes`);
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf)
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(3));
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  // The declaration is ASCII in every encoding we accept, so a latin1 peek finds it.
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 200));
  const label = decoderLabel(ENCODING_DECL.exec(head)?.[1]);
  let decoder: InstanceType<typeof TextDecoder>;
  try {
    decoder = new TextDecoder(label, { fatal: true });
  } catch {
    throw new CdaError('malformed-xml', '/', `${what} declares an unsupported encoding "${label.slice(0, 40)}"`);
  }
  try {
    return decoder.decode(bytes);
  } catch {
    // Chinese platforms often save GBK with no declaration (XML then means UTF-8) or with a
    // copied "UTF-8" one; UTF-8 with a corrupt byte is still refused (gb18030Instead says why).
    const legacy = label === 'utf-8' || label === 'utf8' ? gb18030Instead(bytes) : undefined;
    if (legacy !== undefined) return legacy;
    throw new CdaError('malformed-xml', '/', `${what} is not valid ${label} text`);
  }
}

function parseStrict(source: string, locator: boolean): Document {
  const parser = new DOMParser({
    locator,
    onError(level, message) {
      // Warnings (e.g. a missing xml declaration) are harmless; everything else stops parsing.
      if (level !== 'warning') throw new Error(message);
    },
  });
  return parser.parseFromString(source, 'text/xml');
}

/** Parses text or bytes into a namespace-aware DOM, or throws CdaError. */
export function parseXml(input: string | Uint8Array, what = 'the document'): Document {
  const text = typeof input === 'string' ? input : decodeXmlBytes(input, what);
  if (typeof input === 'string' && text.length > MAX_XML_BYTES)
    throw new CdaError('limit', '/', `${what} is larger than ${MAX_XML_BYTES} characters`);
  if (DTD_MARKERS.test(text)) {
    throw new CdaError(
      'forbidden-dtd',
      '/',
      `${what} contains a DOCTYPE or ENTITY declaration; refused (external entities and entity expansion are not allowed)`,
    );
  }
  // Checked before parsing, so no walker above this layer ever meets a deeper tree.
  const breach = findLimitBreach(text, MAX_XML_DEPTH, MAX_XML_ATTRIBUTES);
  if (breach) {
    const line = lineAt(text, breach.offset);
    throw new CdaError(
      'limit',
      '/',
      breach.limit === 'depth'
        ? `${what} nests elements more than ${MAX_XML_DEPTH} deep (line ${line}); refused`
        : `${what} has an element with more than ${MAX_XML_ATTRIBUTES} attributes (line ${line}); refused`,
    );
  }
  const source = text.replace(/^\uFEFF/, '');
  let doc: Document;
  try {
    // Without the locator: it costs a third of the parse and nothing reads node positions. Only a
    // document that fails is parsed again with it, so the message can name line and column.
    doc = parseStrict(source, false);
  } catch {
    try {
      doc = parseStrict(source, true);
    } catch (error) {
      // xmldom's messages carry line/column and the tag names, never element content.
      const detail = error instanceof Error ? error.message.replace(/\s+/g, ' ').slice(0, 200) : 'unreadable';
      throw new CdaError('malformed-xml', '/', `${what} is not well-formed XML: ${detail}`);
    }
  }
  if (!doc.documentElement) throw new CdaError('malformed-xml', '/', `${what} has no root element`);
  return doc;
}

export function rootElement(doc: Document): Element {
  const root = doc.documentElement;
  if (!root) throw new CdaError('malformed-xml', '/', 'no root element');
  return root;
}
