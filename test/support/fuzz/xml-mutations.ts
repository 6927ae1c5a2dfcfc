/**
 * Structure-aware mutations of CDA and HL7 v3 XML, the hostile documents a hospital system (or
 * whoever controls it) can send: deep nesting, huge fields, attribute floods, entity tricks,
 * broken encodings, truncation, and plausible-but-wrong structure (renamed, dropped and
 * repeated elements, odd datatype values). Each mutation names itself for the report.
 */
import iconv from 'iconv-lite';
import type { Random } from './random.ts';

export interface MutationLimits {
  /** Largest text a single mutation may add (huge fields, floods, repeats), in characters. */
  maxGrowth: number;
}

export interface Mutated {
  text: string;
  /** What was done, for the report ("deepNest(content×10000)"). */
  note: string;
}

const START_TAG = /<([A-Za-z_][\w.:-]*)((?:\s+[^\s=>/]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>/g;

interface Tag {
  name: string;
  start: number;
  end: number;
  selfClosing: boolean;
}

/** Start tags of the text (a regular-expression scan: good enough to aim mutations). */
function startTags(text: string): Tag[] {
  const tags: Tag[] = [];
  for (const m of text.matchAll(START_TAG))
    tags.push({ name: m[1]!, start: m.index, end: m.index + m[0].length, selfClosing: m[3] === '/' });
  return tags;
}

/** The element a start tag opens, to its matching end tag (same-name nesting counted); undefined if not found. */
function elementRange(text: string, tag: Tag): [number, number] | undefined {
  if (tag.selfClosing) return [tag.start, tag.end];
  let depth = 1;
  const pattern = new RegExp(`<(/?)${tag.name.replace(/[.]/g, '\\.')}(?=[\\s/>])[^>]*?(/?)>`, 'g');
  pattern.lastIndex = tag.end;
  for (let m = pattern.exec(text); m; m = pattern.exec(text)) {
    if (m[1] === '/') depth -= 1;
    else if (m[2] !== '/') depth += 1;
    if (depth === 0) return [tag.start, m.index + m[0].length];
  }
  return undefined;
}

/** Vocabulary the converters look for, so renamed and inserted elements reach real code paths. */
const NAMES = [
  'section',
  'component',
  'entry',
  'observation',
  'value',
  'code',
  'text',
  'content',
  'table',
  'tr',
  'td',
  'list',
  'item',
  'paragraph',
  'linkHtml',
  'entryRelationship',
  'organizer',
  'substanceAdministration',
  'act',
  'id',
  'effectiveTime',
  'title',
  'name',
  'patient',
  'patientRole',
  'recordTarget',
  'structuredBody',
  'nonXMLBody',
  'subject',
  'controlActProcess',
  'acknowledgement',
  'registrationEvent',
  'patientPerson',
  'document',
  'Body',
  'Envelope',
  'Fault',
  'renderMultiMedia',
  'footnote',
  'caption',
  'thead',
  'tbody',
];

const TRICKY_VALUES = [
  '',
  ' ',
  'NaN',
  'Infinity',
  '-0',
  '1e999',
  '-1e-999',
  '99999999999999999999999999',
  '0x1F',
  '2025',
  '20251399',
  '202512311260',
  '2025-01-01T00:00:00Z',
  '20250101+2500',
  '19000229',
  '+0800',
  '00000000000000',
  'javascript:alert(1)',
  ' JaVaScRiPt:alert(1)',
  'data:text/html,<script>alert(1)</script>',
  'http://user:pw@evil.example/',
  '#x',
  '#',
  '//evil.example',
  'file:///etc/passwd',
  '张伟',
  '\u202eevil',
  '\u0000',
  '\uFFFE',
  'B64',
  'text/xml',
  'ordered',
  'PQ',
  'CD',
  'IVL_TS',
  'ST',
  'ED',
  'BL',
  'INT',
  'REAL',
  'TS',
  'II',
  'CE',
  'SC',
  'hl7:PQ',
  'xs:unknown',
  'AE',
  'AR',
  'AA',
  'OK',
  'NF',
  'QE',
  '2.16.840.1.113883.6.1',
  '2.16.156.10011.1.3',
  '2.16.840.1.113883.10.20.22.4.2',
  'mg/dL',
  'mmol/L',
  '10*9/L',
  '{bad unit',
  '%',
  '[lb_av]',
  '1/',
  '((((',
  ...['a', '1', '9'].map((c) => c.repeat(300)),
];

const ENTITY_TRICKS = [
  '<!DOCTYPE x [<!ENTITY a "b">]>',
  '<!doctype x SYSTEM "http://evil.example/x.dtd">',
  '<! DOCTYPE x>',
  '<!ENTITY x SYSTEM "file:///etc/passwd">',
  '&xxe;',
  '&nbsp;',
  '&#0;',
  '&#x0;',
  '&#xD800;',
  '&#x110000;',
  '&#99999999999999999999;',
  '&#x41;&#65;',
  '&amp;amp;lt;script&amp;gt;',
  '&lt;script&gt;alert(1)&lt;/script&gt;',
  '&',
  '&#',
  '&#x;',
  '<![CDATA[<script>alert(1)</script>]]>',
  '<![CDATA[ ]]> ]]>',
  '<![CDATA[',
  '<?xml-stylesheet type="text/xsl" href="http://evil.example/x.xsl"?>',
  '<?xml version="1.0"?>',
  '<!-- -- -->',
  '<!--',
  '\u0000\u0001\u0008\u000b',
  '\ud800',
  '\udfff\ud800',
  '\uFFFE\uFFFF',
  '<script>alert(1)</script>',
  '<h:script xmlns:h="http://www.w3.org/1999/xhtml">alert(1)</h:script>',
  '<content onclick="alert(1)" style="x">x</content>',
  '<linkHtml href="javascript:alert(1)">x</linkHtml>',
  '<renderMultiMedia referencedObject="x"/>',
];

/** A huge run of one kind of text: digits, CJK, whitespace, escaped markup, a long token. */
function hugeText(r: Random, length: number): string {
  const unit = r.pick(['9', '张', ' ', '&amp;', '&lt;', 'a', '\t\n', '1.', '+', 'é', '\u00a0', 'ab cd ']);
  return unit.repeat(Math.max(1, Math.ceil(length / unit.length))).slice(0, Math.max(length, unit.length));
}

type XmlMutation = (text: string, r: Random, limits: MutationLimits) => Mutated;

const insertAt = (text: string, at: number, piece: string) => text.slice(0, at) + piece + text.slice(at);
const noteOf = (name: string, detail: string | number) => `${name}(${detail})`;

/** Nesting around the depth limit and far beyond it, optionally each level opening a namespace scope. */
const deepNest: XmlMutation = (text, r, limits) => {
  const tags = startTags(text).filter((t) => !t.selfClosing);
  const at = tags.length > 0 ? r.pick(tags).end : text.length;
  const depth = r.pick([r.size(100, 140), r.size(1, 20_000), r.size(1, 200_000)]);
  const name = r.pick(NAMES);
  const withScopes = r.chance(0.2);
  const open = withScopes
    ? Array.from({ length: Math.min(depth, Math.floor(limits.maxGrowth / 30)) }, (_, i) => `<${name} xmlns:p${i}="urn:p${i}">`).join('')
    : `<${name}>`.repeat(Math.min(depth, Math.floor(limits.maxGrowth / (name.length + 2))));
  const levels = withScopes ? open.split('<').length - 1 : open.length / (name.length + 2);
  return {
    text: insertAt(text, at, open + `</${name}>`.repeat(r.chance(0.9) ? levels : r.int(levels + 1))),
    note: noteOf('deepNest', `${name}×${levels}${withScopes ? '+xmlns' : ''}`),
  };
};

/** A text node or an attribute value replaced by megabytes of one kind of text. */
const hugeField: XmlMutation = (text, r, limits) => {
  const length = r.size(1_000, limits.maxGrowth);
  if (r.chance(0.5)) {
    const attrs = [...text.matchAll(/\s([\w:.-]+)="([^"]*)"/g)];
    if (attrs.length > 0) {
      const m = r.pick(attrs);
      const at = m.index + m[0].length - 1 - m[2]!.length;
      return {
        text: text.slice(0, at) + hugeText(r, length).replace(/["<&]/g, '9') + text.slice(at + m[2]!.length),
        note: noteOf('hugeAttr', `${m[1]}:${length}`),
      };
    }
  }
  const gaps = [...text.matchAll(/>([^<]*)</g)];
  if (gaps.length === 0) return { text: text + hugeText(r, length), note: noteOf('hugeTail', length) };
  const m = r.pick(gaps);
  const at = m.index + 1;
  return { text: text.slice(0, at) + hugeText(r, length) + text.slice(at + m[1]!.length), note: noteOf('hugeText', length) };
};

/** Thousands of attributes (distinct, duplicated, or namespace declarations) on one element. */
const attributeFlood: XmlMutation = (text, r, limits) => {
  const tags = startTags(text);
  if (tags.length === 0) return { text, note: 'attributeFlood(no tag)' };
  const tag = r.pick(tags);
  const kind = r.pick(['distinct', 'duplicate', 'xmlns', 'xsi']);
  const one = (i: number) =>
    kind === 'distinct'
      ? ` a${i}="${i}"`
      : kind === 'duplicate'
        ? ' a="1"'
        : kind === 'xmlns'
          ? ` xmlns:n${i}="urn:n${i}"`
          : ` xsi:type="PQ"`;
  // Within the growth limit: the longest attribute this flood writes sets how many fit.
  const count = Math.min(r.size(10, 200_000), Math.floor(limits.maxGrowth / one(200_000).length));
  const flood = Array.from({ length: count }, (_, i) => one(i)).join('');
  const at = tag.end - (tag.selfClosing ? 2 : 1);
  return { text: insertAt(text, at, flood), note: noteOf('attributeFlood', `${kind}×${count}`) };
};

/** DOCTYPE/ENTITY variants, unknown and out-of-range character references, CDATA and PI tricks, control characters. */
const entityTrick: XmlMutation = (text, r) => {
  const trick = r.pick(ENTITY_TRICKS);
  const where = r.pick(['prolog', 'text', 'attr']);
  if (where === 'prolog') {
    const decl = /^\s*<\?xml[^>]*\?>/.exec(text);
    return {
      text: insertAt(text, decl ? decl[0].length : 0, trick),
      note: noteOf('entity', `prolog:${JSON.stringify(trick).slice(0, 30)}`),
    };
  }
  if (where === 'attr') {
    const attrs = [...text.matchAll(/\s[\w:.-]+="/g)];
    if (attrs.length > 0) {
      const m = r.pick(attrs);
      return { text: insertAt(text, m.index + m[0].length, trick), note: noteOf('entity', `attr:${JSON.stringify(trick).slice(0, 30)}`) };
    }
  }
  const gaps = [...text.matchAll(/>[^<]/g)];
  const at = gaps.length > 0 ? r.pick(gaps).index + 1 : text.length;
  return { text: insertAt(text, at, trick), note: noteOf('entity', `text:${JSON.stringify(trick).slice(0, 30)}`) };
};

/** One element dropped, or repeated (up to thousands of sibling entries or sections). */
const dropOrRepeat: XmlMutation = (text, r, limits) => {
  const tags = startTags(text);
  if (tags.length === 0) return { text, note: 'dropOrRepeat(no tag)' };
  const tag = r.pick(tags);
  const range = elementRange(text, tag);
  if (!range) return { text, note: noteOf('dropOrRepeat', `${tag.name}:unmatched`) };
  const [from, to] = range;
  if (r.chance(0.4)) return { text: text.slice(0, from) + text.slice(to), note: noteOf('drop', tag.name) };
  const copies = Math.max(1, Math.min(r.size(2, 20_000), Math.floor(limits.maxGrowth / Math.max(1, to - from))));
  return {
    text: text.slice(0, to) + text.slice(from, to).repeat(copies) + text.slice(to),
    note: noteOf('repeat', `${tag.name}×${copies}`),
  };
};

/** An element renamed to another of the vocabulary (open tag only, or both tags), or its namespace changed. */
const rename: XmlMutation = (text, r) => {
  const tags = startTags(text);
  if (tags.length === 0) return { text, note: 'rename(no tag)' };
  const tag = r.pick(tags);
  const name = r.chance(0.2) ? `${r.pick(['ns1', 'soap', 'h', 'sdtc', 'xsi', 'q'])}:${r.pick(NAMES)}` : r.pick(NAMES);
  const range = elementRange(text, tag);
  const head = text.slice(0, tag.start) + `<${name}` + text.slice(tag.start + 1 + tag.name.length, tag.end);
  if (range && r.chance(0.8) && !tag.selfClosing) {
    const closeAt = text.lastIndexOf(`</${tag.name}`, range[1]);
    return {
      text: head + text.slice(tag.end, closeAt) + `</${name}` + text.slice(closeAt + 2 + tag.name.length),
      note: noteOf('rename', `${tag.name}→${name}`),
    };
  }
  return { text: head + text.slice(tag.end), note: noteOf('renameOpen', `${tag.name}→${name}`) };
};

/** One attribute's value replaced by a tricky one: odd numbers and dates, hostile URLs, datatype names, codes. */
const attributeValue: XmlMutation = (text, r) => {
  const attrs = [...text.matchAll(/\s([\w:.-]+)="([^"]*)"/g)];
  if (attrs.length === 0) return { text, note: 'attributeValue(none)' };
  const m = r.pick(attrs);
  const value = r
    .pick(TRICKY_VALUES)
    .replace(/"/g, '&quot;')
    .replace(/</g, '&lt;')
    .replace(/&(?!quot;|lt;)/g, '&amp;');
  const at = m.index + m[0].length - 1 - m[2]!.length;
  return {
    text: text.slice(0, at) + value + text.slice(at + m[2]!.length),
    note: noteOf('attrValue', `${m[1]}=${JSON.stringify(value).slice(0, 24)}`),
  };
};

/** Namespace declarations removed or pointed elsewhere; prefixes left dangling. */
const namespaces: XmlMutation = (text, r) => {
  const kind = r.pick(['strip-default', 'foreign-default', 'strip-prefixed', 'soap-swap']);
  if (kind === 'strip-default') return { text: text.replace(/\sxmlns="[^"]*"/, ''), note: 'ns(strip default)' };
  if (kind === 'foreign-default') return { text: text.replace(/\sxmlns="[^"]*"/, ' xmlns="urn:evil"'), note: 'ns(foreign default)' };
  if (kind === 'strip-prefixed') return { text: text.replace(/\sxmlns:[\w.-]+="[^"]*"/, ''), note: 'ns(strip prefixed)' };
  return {
    text: text.replace(/http:\/\/www\.w3\.org\/2003\/05\/soap-envelope/g, 'http://schemas.xmlsoap.org/soap/envelope/'),
    note: 'ns(soap 1.2→1.1)',
  };
};

/** A piece of another seed (a CDA section inside a PDQ answer, an envelope inside a document). */
const splice =
  (others: readonly string[]): XmlMutation =>
  (text, r) => {
    const other = r.pick(others);
    const tags = startTags(other);
    if (tags.length === 0) return { text, note: 'splice(none)' };
    const tag = r.pick(tags);
    const range = elementRange(other, tag);
    const piece = range ? other.slice(range[0], range[1]) : other.slice(tag.start, tag.end);
    const targets = startTags(text);
    const at = targets.length > 0 ? r.pick(targets).end : text.length;
    return { text: insertAt(text, at, piece), note: noteOf('splice', tag.name) };
  };

/** Cut anywhere: mid-tag, mid-attribute, mid-entity. */
const truncate: XmlMutation = (text, r) => {
  const at = r.int(text.length + 1);
  return { text: text.slice(0, at), note: noteOf('truncate', at) };
};

export function xmlMutations(seeds: readonly string[]): readonly [string, XmlMutation][] {
  return [
    ['deepNest', deepNest],
    ['hugeField', hugeField],
    ['attributeFlood', attributeFlood],
    ['entityTrick', entityTrick],
    ['dropOrRepeat', dropOrRepeat],
    ['rename', rename],
    ['attributeValue', attributeValue],
    ['namespaces', namespaces],
    ['splice', splice(seeds)],
    ['truncate', truncate],
  ];
}

/**
 * Text to bytes the way hostile senders get it wrong: UTF-8 (mostly), a declaration that lies
 * (GBK, UTF-16, an unknown label), a BOM that disagrees with the bytes, UTF-16 bytes, invalid
 * or truncated UTF-8 sequences, flipped bytes, a cut in the middle of a character.
 */
export function encodeHostile(text: string, r: Random): { bytes: Uint8Array; note?: string } {
  const roll = r.int(12);
  const declare = (label: string) =>
    /^\s*<\?xml[^>]*encoding=/.test(text)
      ? text.replace(/encoding\s*=\s*["'][^"']*["']/, `encoding="${label}"`)
      : `<?xml version="1.0" encoding="${label}"?>${text}`;
  if (roll === 0) {
    const label = r.pick([
      'GBK',
      'gb2312',
      'GB18030',
      'UTF-16',
      'ISO-8859-1',
      'x-unknown-9',
      'utf-32',
      'Big5',
      'EBCDIC-US',
      'utf-7',
      '',
      'UTF-8 ',
    ]);
    return { bytes: Buffer.from(declare(label), 'utf8'), note: `declares ${JSON.stringify(label)}` };
  }
  if (roll === 1) {
    const gbk = iconv.encode(declare('GBK'), 'gbk');
    return { bytes: gbk, note: 'GBK bytes' };
  }
  if (roll === 2) {
    const bom = r.pick([
      [0xef, 0xbb, 0xbf],
      [0xff, 0xfe],
      [0xfe, 0xff],
      [0xff, 0xfe, 0x00, 0x00],
    ]);
    return {
      bytes: Buffer.concat([Buffer.from(bom), Buffer.from(text, 'utf8')]),
      note: `BOM ${bom.map((b) => b.toString(16)).join('')} on UTF-8`,
    };
  }
  if (roll === 3) {
    const le = r.chance(0.5);
    const body = Buffer.from(text, 'utf16le');
    if (!le) body.swap16();
    return {
      bytes: Buffer.concat([Buffer.from(le ? [0xff, 0xfe] : [0xfe, 0xff]), r.chance(0.2) ? body.subarray(0, body.length - 1) : body]),
      note: `UTF-16${le ? 'LE' : 'BE'}`,
    };
  }
  const bytes = Buffer.from(text, 'utf8');
  if (roll === 4 && bytes.length > 0) {
    const bad = r.pick([[0xff], [0xc3, 0x28], [0xc0, 0xaf], [0xe5, 0xbc], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0x00]]);
    const at = r.int(bytes.length);
    return {
      bytes: Buffer.concat([bytes.subarray(0, at), Buffer.from(bad), bytes.subarray(at)]),
      note: `invalid UTF-8 ${bad.map((b) => b.toString(16)).join('')} at ${at}`,
    };
  }
  if (roll === 5 && bytes.length > 0) {
    const flips = r.size(1, 64);
    for (let i = 0; i < flips; i++) bytes[r.int(bytes.length)] = r.int(256);
    return { bytes, note: `${flips} bytes flipped` };
  }
  if (roll === 6) {
    const at = r.int(bytes.length + 1);
    return { bytes: bytes.subarray(0, at), note: `bytes cut at ${at}` };
  }
  return { bytes };
}
