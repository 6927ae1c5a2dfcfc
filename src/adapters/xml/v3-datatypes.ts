/**
 * HL7 v3 data types (ISO 21090 as CDA R2 and the v3 ITS use them) read into FHIR R4 shapes:
 * TS → dateTime, II → Identifier, CD → CodeableConcept, PN → HumanName, AD → Address,
 * TEL → ContactPoint, PQ → Quantity. Readers return undefined for nullFlavor and empty values;
 * a present but unreadable value is reported through `onProblem` (or thrown when strict).
 */
import type { Address, CodeableConcept, Coding, ContactPoint, HumanName, Identifier, Period, Quantity } from '@medplum/fhirtypes';
import type { Element } from '@xmldom/xmldom';
import { fhirUnit } from '../units/index.ts';
import { CdaError } from './cda-error.ts';
import { systemForOid } from './code-systems.ts';
import { attr, child, children, isElement, pathOf, textOf } from './v3-dom.ts';

export interface ReadContext {
  /** Offset used for timestamps with a time but no zone ("+08:00" for a Chinese hospital). */
  defaultTimezone: string;
  /** A tolerable problem (unreadable optional value): recorded, the value skipped. */
  onProblem(path: string, message: string): void;
}

const TS = /^(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\.\d{1,6})?([+-]\d{4}|Z)?$/;

/** "20240115083000+0800" → "2024-01-15T08:30:00+08:00"; "202401" → "2024-01". */
export function tsToFhir(value: string, defaultTimezone: string): string | undefined {
  const m = TS.exec(value.trim());
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac, tz] = m;
  if (mo && (Number(mo) < 1 || Number(mo) > 12)) return undefined;
  if (d && (Number(d) < 1 || Number(d) > 31)) return undefined;
  if (h && Number(h) > 23) return undefined;
  if (mi && Number(mi) > 59) return undefined;
  if (s && Number(s) > 60) return undefined;
  if (!mo) return y;
  if (!d) return `${y}-${mo}`;
  const date = `${y}-${mo}-${d}`;
  if (!h) return date;
  const zone = tz === undefined ? defaultTimezone : tz === 'Z' ? 'Z' : `${tz.slice(0, 3)}:${tz.slice(3)}`;
  return `${date}T${h}:${mi ?? '00'}:${s ?? '00'}${frac ?? ''}${zone}`;
}

/** The date part only, for birthDate. */
export function tsToDate(value: string): string | undefined {
  const full = tsToFhir(value, 'Z');
  return full?.slice(0, 10);
}

export function readTs(el: Element | undefined, ctx: ReadContext): string | undefined {
  const value = attr(el, 'value');
  if (!el || !value) return undefined;
  const out = tsToFhir(value, ctx.defaultTimezone);
  if (!out) ctx.onProblem(pathOf(el, 'value'), 'not an HL7 timestamp (expected YYYYMMDD[HHMM[SS]][±ZZZZ])');
  return out;
}

/** IVL_TS (low/high/center) or a plain TS value, as a Period. */
export function readPeriod(el: Element | undefined, ctx: ReadContext): Period | undefined {
  if (!el) return undefined;
  const single = readTs(el, ctx);
  if (single) return { start: single };
  const start = readTs(child(el, 'low'), ctx) ?? readTs(child(el, 'center'), ctx);
  const end = readTs(child(el, 'high'), ctx);
  if (!start && !end) return undefined;
  return { ...(start ? { start } : {}), ...(end ? { end } : {}) };
}

export interface V3Id {
  root: string;
  extension?: string;
  assigningAuthorityName?: string;
}

export function readIi(el: Element | undefined): V3Id | undefined {
  const root = attr(el, 'root');
  if (!el || !root || attr(el, 'nullFlavor')) return undefined;
  const extension = attr(el, 'extension');
  const authority = attr(el, 'assigningAuthorityName');
  return { root, ...(extension ? { extension } : {}), ...(authority ? { assigningAuthorityName: authority } : {}) };
}

/** II → Identifier: root names the namespace, extension the value; a bare root is itself the id. */
export function iiToIdentifier(id: V3Id): Identifier {
  if (id.extension === undefined) return { system: 'urn:ietf:rfc:3986', value: systemForOid(id.root) ?? id.root };
  return {
    system: systemForOid(id.root) ?? id.root,
    value: id.extension,
    ...(id.assigningAuthorityName ? { assigner: { display: id.assigningAuthorityName } } : {}),
  };
}

function readCoding(el: Element): Coding | undefined {
  const code = attr(el, 'code');
  if (!code) return undefined;
  const system = systemForOid(attr(el, 'codeSystem'));
  const display = attr(el, 'displayName');
  return { ...(system ? { system } : {}), code, ...(display ? { display } : {}) };
}

/** CD/CE/CV/CS: the code, its translations, and originalText (or displayName) as text. */
export function readCd(el: Element | undefined): CodeableConcept | undefined {
  if (!el) return undefined;
  const codings: Coding[] = [];
  const main = readCoding(el);
  if (main) codings.push(main);
  for (const t of children(el, 'translation')) {
    const c = readCoding(t);
    if (c) codings.push(c);
  }
  const original = child(el, 'originalText');
  // originalText with only a <reference> points into the narrative: not text of its own.
  const text = (original && !child(original, 'reference') ? textOf(original) : undefined) ?? attr(el, 'displayName');
  if (codings.length === 0 && !text) return undefined;
  return { ...(codings.length > 0 ? { coding: codings } : {}), ...(text ? { text } : {}) };
}

const NAME_USE: Record<string, HumanName['use']> = {
  L: 'official',
  OR: 'official',
  C: 'old',
  P: 'nickname',
  A: 'anonymous',
  ASGN: 'usual',
};

/** PN/EN: structured parts when present; a name given only as text (common for 汉字 names) stays text. */
export function readPn(el: Element | undefined): HumanName | undefined {
  if (!el || attr(el, 'nullFlavor')) return undefined;
  const family = children(el, 'family')
    .map(textOf)
    .filter((s): s is string => !!s);
  const given = children(el, 'given')
    .map(textOf)
    .filter((s): s is string => !!s);
  const prefix = children(el, 'prefix')
    .map(textOf)
    .filter((s): s is string => !!s);
  const suffix = children(el, 'suffix')
    .map(textOf)
    .filter((s): s is string => !!s);
  const use = NAME_USE[(attr(el, 'use') ?? '').split(/\s+/)[0] ?? ''];
  const structured = family.length + given.length > 0;
  const hasCjk = (s: string): boolean => /[\u3400-\u9fff]/.test(s);
  // Chinese names print family then given without a space: 张 + 伟 → 张伟.
  const joined = structured
    ? hasCjk(family.join('') + given.join(''))
      ? family.join('') + given.join('')
      : [...given, ...family].join(' ')
    : textOf(el);
  if (!joined) return undefined;
  return {
    ...(use ? { use } : {}),
    text: joined,
    ...(family.length > 0 ? { family: family.join(' ') } : {}),
    ...(given.length > 0 ? { given } : {}),
    ...(prefix.length > 0 ? { prefix } : {}),
    ...(suffix.length > 0 ? { suffix } : {}),
  };
}

const ADDRESS_USE: Record<string, Address['use']> = {
  H: 'home',
  HP: 'home',
  HV: 'home',
  WP: 'work',
  DIR: 'work',
  PUB: 'work',
  TMP: 'temp',
  OLD: 'old',
  BAD: 'old',
};

export function readAd(el: Element | undefined): Address | undefined {
  if (!el || attr(el, 'nullFlavor')) return undefined;
  const part = (name: string): string | undefined => textOf(child(el, name));
  const lines = children(el, 'streetAddressLine')
    .map(textOf)
    .filter((s): s is string => !!s);
  const street = [part('houseNumber'), part('streetName')].filter(Boolean).join(' ');
  if (street && lines.length === 0) lines.push(street);
  const city = part('city');
  const state = part('state');
  const district = part('county');
  const postalCode = part('postalCode');
  const country = part('country');
  const hasParts = lines.length > 0 || city || state || district || postalCode || country;
  const text = hasParts ? undefined : textOf(el);
  if (!hasParts && !text) return undefined;
  const use = ADDRESS_USE[(attr(el, 'use') ?? '').split(/\s+/)[0] ?? ''];
  return {
    ...(use ? { use } : {}),
    ...(text ? { text } : {}),
    ...(lines.length > 0 ? { line: lines } : {}),
    ...(city ? { city } : {}),
    ...(district ? { district } : {}),
    ...(state ? { state } : {}),
    ...(postalCode ? { postalCode } : {}),
    ...(country ? { country } : {}),
  };
}

const TEL_USE: Record<string, ContactPoint['use']> = {
  H: 'home',
  HP: 'home',
  HV: 'home',
  WP: 'work',
  MC: 'mobile',
  PG: 'mobile',
  TMP: 'temp',
  BAD: 'old',
};

export function readTel(el: Element | undefined): ContactPoint | undefined {
  const raw = attr(el, 'value');
  if (!el || !raw) return undefined;
  const scheme = /^([a-z]+):(.*)$/i.exec(raw);
  const kind = scheme?.[1]?.toLowerCase();
  const value = (scheme ? scheme[2] : raw)?.trim();
  if (!value) return undefined;
  const system: ContactPoint['system'] =
    kind === 'mailto' ? 'email' : kind === 'fax' ? 'fax' : kind === 'http' || kind === 'https' ? 'url' : 'phone';
  const uses = (attr(el, 'use') ?? '').split(/\s+/);
  const use = uses.map((u) => TEL_USE[u]).find(Boolean);
  return { system, value: system === 'url' ? raw : value, ...(use ? { use } : {}) };
}

/**
 * PQ (value + unit); REAL/INT as a unitless Quantity. CDA says PQ units are UCUM, but Chinese
 * documents send 天, 次/min, ℃, 毫摩尔/升: the shared unit module maps known spellings to UCUM and
 * keeps any other unit as text with no system, so no Quantity claims a UCUM code that is not one.
 */
export function readPq(el: Element, ctx: ReadContext): Quantity | undefined {
  const raw = attr(el, 'value');
  if (!raw) return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value) || !/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(raw)) {
    ctx.onProblem(pathOf(el, 'value'), 'not a number');
    return undefined;
  }
  const unit = attr(el, 'unit');
  const mapped = unit && unit !== '1' ? fhirUnit(unit) : undefined;
  return { value, ...(mapped ?? {}) };
}

/** Narrative of an ED/ST value (text content). */
export function readSt(el: Element | undefined): string | undefined {
  return textOf(el);
}

/** First element child, for places where a schema allows one of several elements. */
export function firstElementChild(el: Element): Element | undefined {
  for (let n = el.firstChild; n; n = n.nextSibling) if (isElement(n)) return n;
  return undefined;
}

/** Strict variant for required timestamps. */
export function requireTs(el: Element | undefined, parent: Element, name: string, defaultTimezone: string): string {
  const value = attr(el, 'value');
  if (!el || !value) throw new CdaError('structure', `${pathOf(parent)}/${name}`, 'required timestamp is missing');
  const out = tsToFhir(value, defaultTimezone);
  if (!out) throw new CdaError('value', pathOf(el, 'value'), 'not an HL7 timestamp (expected YYYYMMDD[HHMM[SS]][±ZZZZ])');
  return out;
}
