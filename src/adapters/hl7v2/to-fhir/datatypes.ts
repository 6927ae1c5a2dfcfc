/**
 * HL7 v2 data types → FHIR R4 data types: CE/CWE → CodeableConcept, TS/DTM → dateTime,
 * XPN → HumanName, XAD → Address, XTN → ContactPoint, CX → Identifier.
 */
import type { Address, CodeableConcept, Coding, ContactPoint, HumanName, Identifier } from '@medplum/fhirtypes';
import { component, type Hl7Composite } from '../hl7-message.ts';
import { systemFor, type CodeSystemContext } from './code-systems.ts';
import { isLoincCode } from './loinc-code.ts';

const V2_0203 = 'http://terminology.hl7.org/CodeSystem/v2-0203';
const EN_REPRESENTATION = 'http://hl7.org/fhir/StructureDefinition/iso21090-EN-representation';
const HAN = /\p{Script=Han}/u;

/** `""` is HL7's explicit null: for reading it is just "no value". */
export function clean(value: string): string {
  const trimmed = value.trim();
  return trimmed === '""' ? '' : trimmed;
}

export function comp(c: Hl7Composite | undefined, i: number, s = 1): string {
  return clean(component(c, i, s));
}

export interface DataTypeContext extends CodeSystemContext {
  /** Offset applied to times written without one, e.g. "+08:00". */
  defaultTimezone: string;
  /** Assigning-authority namespace → Identifier.system, from configuration. */
  identifierSystems: Readonly<Record<string, string>>;
}

const LOINC_SYSTEM = 'http://loinc.org';

function coding(code: string, display: string, systemName: string, ctx: CodeSystemContext): Coding | undefined {
  if (!code) return undefined;
  const named = systemFor(systemName, ctx) ?? ctx.localSystemBase;
  // A code labelled LN that cannot be LOINC is the sender's own: kept, under a local system.
  const system = named === LOINC_SYSTEM && !isLoincCode(code) ? `${ctx.localSystemBase}:${encodeURIComponent(systemName.trim())}` : named;
  return { system, code, ...(display ? { display } : {}) };
}

/**
 * The alternate triplet with text but no identifier: Chinese LIS put the test's abbreviation
 * there ("0301046^*葡萄糖^^^GLU"). Kept as a coding with a display only (R4 allows a Coding
 * without code), so readers matching on names still see it.
 */
function alternateText(c: Hl7Composite, ctx: CodeSystemContext): Coding | undefined {
  const text = comp(c, 5);
  if (comp(c, 4) || !text || text === comp(c, 2)) return undefined;
  const system = comp(c, 6) ? systemFor(comp(c, 6), ctx) : undefined;
  return { ...(system ? { system } : {}), display: text };
}

/** CE/CWE (and CNE): primary and alternate triplets both kept; text from the first display. */
export function codeableConcept(c: Hl7Composite | undefined, ctx: CodeSystemContext): CodeableConcept | undefined {
  if (!c) return undefined;
  const codings = [
    coding(comp(c, 1), comp(c, 2), comp(c, 3), ctx),
    coding(comp(c, 4), comp(c, 5), comp(c, 6), ctx) ?? alternateText(c, ctx),
  ].filter((x): x is Coding => !!x);
  const text = comp(c, 9) || comp(c, 2) || comp(c, 5);
  if (codings.length === 0 && !text) return undefined;
  return { ...(codings.length > 0 ? { coding: codings } : {}), ...(text ? { text } : {}) };
}

const TS = /^(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\.\d{1,4})?\s*([+-]\d{4})?$/;

function inRange(value: string | undefined, min: number, max: number): boolean {
  return value === undefined || (Number(value) >= min && Number(value) <= max);
}

/**
 * "2019-08-12 14:58:20", "2019/8/2": Chinese HIS and LIS often write TS fields as their
 * database prints dates (or in ISO's basic format, "20240615T103000"). Rewritten to HL7's
 * digits; anything else is left for TS to judge.
 */
const SEPARATED = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(\.\d{1,4})?)?)?$/;
const pad = (v: string | undefined): string => (v === undefined ? '' : v.padStart(2, '0'));

/** "20240615T103000": ISO 8601's basic format, which some senders write in TS fields. */
const BASIC_ISO = /^(\d{8})T(\d{2,6}(?:\.\d{1,4})?)([+-]\d{4})?$/;

function hl7Digits(value: string): string {
  if (value.length > 32) return value;
  const basic = BASIC_ISO.exec(value);
  if (basic) return `${basic[1]}${basic[2]}${basic[3] ?? ''}`;
  const m = SEPARATED.exec(value);
  if (!m) return value;
  const [, y, mo, d, h, mi, sec, frac] = m;
  return `${y}${pad(mo)}${pad(d)}${pad(h)}${mi ?? ''}${sec ?? ''}${frac ?? ''}`;
}

/** TS/DTM → FHIR dateTime at the precision written; undefined for anything not a real date. */
export function dateTime(value: string, ctx: Pick<DataTypeContext, 'defaultTimezone'>): string | undefined {
  const m = TS.exec(hl7Digits(clean(value)));
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  if (!inRange(mo, 1, 12) || !inRange(d, 1, 31) || !inRange(h, 0, 23) || !inRange(mi, 0, 59) || !inRange(s, 0, 60)) return undefined;
  if (zone && (!inRange(zone.slice(1, 3), 0, 14) || !inRange(zone.slice(3, 5), 0, 59))) return undefined;
  if (!mo) return y;
  if (!d) return `${y}-${mo}`;
  if (d && new Date(`${y}-${mo}-${d}T00:00:00Z`).getUTCDate() !== Number(d)) return undefined;
  if (!h) return `${y}-${mo}-${d}`;
  const tz = zone ? `${zone.slice(0, 3)}:${zone.slice(3)}` : ctx.defaultTimezone;
  return `${y}-${mo}-${d}T${h}:${mi ?? '00'}:${s ?? '00'}${frac ?? ''}${tz}`;
}

/** Date only (birth dates): the time part of a TS is dropped. */
export function date(value: string): string | undefined {
  const full = dateTime(hl7Digits(clean(value)).slice(0, 8), { defaultTimezone: 'Z' });
  return full;
}

const NAME_USE: Record<string, HumanName['use']> = {
  L: 'official',
  D: 'usual',
  M: 'maiden',
  N: 'nickname',
  S: 'anonymous',
  A: 'usual',
  C: 'old',
  T: 'temp',
  U: 'old',
};
const REPRESENTATION: Record<string, string> = { I: 'IDE', P: 'SYL', A: 'ABC' };

/** XPN → HumanName; 汉字 names read family-first without a space, as written. */
export function humanName(c: Hl7Composite): HumanName | undefined {
  const family = comp(c, 1, 1);
  const given = [comp(c, 2), comp(c, 3)].filter(Boolean);
  if (!family && given.length === 0) return undefined;
  const suffix = comp(c, 4);
  const prefix = comp(c, 5);
  const use = NAME_USE[comp(c, 7).toUpperCase()];
  const representation = REPRESENTATION[comp(c, 8).toUpperCase()] ?? (HAN.test(family + given.join('')) ? 'IDE' : undefined);
  const ideographic = representation === 'IDE';
  // 汉字 run together family-first; pinyin keeps the family-first order with a space.
  const text = ideographic
    ? family + given.join('')
    : representation === 'SYL'
      ? [family, ...given].filter(Boolean).join(' ')
      : [prefix, ...given, family, suffix].filter(Boolean).join(' ');
  return {
    ...(use ? { use } : {}),
    text,
    ...(family ? { family } : {}),
    ...(given.length > 0 ? { given } : {}),
    ...(prefix ? { prefix: [prefix] } : {}),
    ...(suffix ? { suffix: [suffix] } : {}),
    ...(representation ? { extension: [{ url: EN_REPRESENTATION, valueCode: representation }] } : {}),
  };
}

const ADDRESS_USE: Record<string, Address['use']> = {
  H: 'home',
  O: 'work',
  B: 'work',
  C: 'temp',
  M: 'home',
  P: 'home',
  BA: 'billing',
  BI: 'billing',
};

/** XAD → Address. XAD-9 (county/parish) is the 区/县 of a Chinese address. */
export function address(c: Hl7Composite): Address | undefined {
  const line = [comp(c, 1, 1), comp(c, 2)].filter(Boolean);
  const city = comp(c, 3);
  const state = comp(c, 4);
  const postalCode = comp(c, 5);
  const country = comp(c, 6);
  const district = comp(c, 9);
  if (line.length === 0 && !city && !state && !postalCode && !country && !district) return undefined;
  const use = ADDRESS_USE[comp(c, 7).toUpperCase()];
  const han = HAN.test(line.join('') + city + state + district);
  const text = han ? [...new Set([state, city, district].filter(Boolean))].join('') + line.join('') : undefined;
  return {
    ...(use ? { use } : {}),
    ...(text ? { text } : {}),
    ...(line.length > 0 ? { line } : {}),
    ...(city ? { city } : {}),
    ...(district ? { district } : {}),
    ...(state ? { state } : {}),
    ...(postalCode ? { postalCode } : {}),
    ...(country ? { country } : {}),
  };
}

const TELECOM_SYSTEM: Record<string, ContactPoint['system']> = {
  PH: 'phone',
  CP: 'phone',
  FX: 'fax',
  BP: 'pager',
  INTERNET: 'email',
  X400: 'email',
  MD: 'other',
  TDD: 'other',
  TTY: 'other',
};
const TELECOM_USE: Record<string, ContactPoint['use']> = {
  PRN: 'home',
  ORN: 'home',
  VHN: 'home',
  WPN: 'work',
  EMR: 'temp',
  ASN: 'temp',
  BPN: 'work',
  PRS: 'mobile',
};

/** XTN → ContactPoint; the number comes from XTN-12, XTN-1 or the area/local parts. */
export function contactPoint(c: Hl7Composite, fallbackUse?: ContactPoint['use']): ContactPoint | undefined {
  const equipment = comp(c, 3).toUpperCase();
  const email = comp(c, 4);
  const parts = [
    comp(c, 5) ? `+${comp(c, 5)} ` : '',
    comp(c, 6) ? `(${comp(c, 6)}) ` : '',
    comp(c, 7),
    comp(c, 8) ? ` ext. ${comp(c, 8)}` : '',
  ].join('');
  const value = equipment === 'INTERNET' || equipment === 'X400' ? email || comp(c, 1) : comp(c, 12) || comp(c, 1) || parts.trim() || email;
  if (!value) return undefined;
  const system = TELECOM_SYSTEM[equipment] ?? (email && value === email ? 'email' : 'phone');
  const use =
    equipment === 'CP'
      ? 'mobile'
      : (TELECOM_USE[comp(c, 2).toUpperCase()] ?? (comp(c, 2).toUpperCase() === 'NET' ? undefined : fallbackUse));
  return { system, value, ...(use ? { use } : {}) };
}

/** HD (namespace^universal id^type) → a URI: OIDs as urn:oid, URIs as they are, else config. */
export function authoritySystem(
  namespace: string,
  universalId: string,
  universalIdType: string,
  ctx: Pick<DataTypeContext, 'identifierSystems'>,
): string | undefined {
  const type = universalIdType.toUpperCase();
  if (universalId) {
    if (type === 'ISO' || /^\d+(\.\d+)+$/.test(universalId)) return `urn:oid:${universalId}`;
    if (type === 'UUID') return `urn:uuid:${universalId.toLowerCase()}`;
    if (type === 'URI' || type === 'URL' || /^(urn:|https?:\/\/)/i.test(universalId)) return universalId;
  }
  if (!namespace) return undefined;
  // Own properties only: an authority named "constructor" must not find Object.prototype's.
  const configured = Object.hasOwn(ctx.identifierSystems, namespace) ? ctx.identifierSystems[namespace] : undefined;
  return configured ?? `urn:huizhen:hl7v2:authority:${encodeURIComponent(namespace)}`;
}

const IDENTIFIER_TYPE_DISPLAY: Record<string, string> = {
  MR: 'Medical record number',
  NNCHN: 'National Person Identifier (China)',
  NI: 'National unique individual identifier',
  SS: 'Social Security number',
  PI: 'Patient internal identifier',
  PT: 'Patient external identifier',
  AN: 'Account number',
  VN: 'Visit number',
  DL: "Driver's license number",
  PPN: 'Passport number',
  SB: 'Social Beneficiary Identifier',
  JHN: 'Jurisdictional health number',
};
const IDENTIFIER_TYPE_TEXT: Record<string, string> = { MR: '病案号', NNCHN: '居民身份证', PPN: '护照' };

/** CX → Identifier (CX-4 assigning authority → system, CX-5 type code → type). */
export function identifier(c: Hl7Composite, ctx: Pick<DataTypeContext, 'identifierSystems'>): Identifier | undefined {
  const value = comp(c, 1);
  if (!value) return undefined;
  const namespace = comp(c, 4, 1);
  const system = authoritySystem(namespace, comp(c, 4, 2), comp(c, 4, 3), ctx);
  const typeCode = comp(c, 5).toUpperCase();
  const display = IDENTIFIER_TYPE_DISPLAY[typeCode];
  const text = IDENTIFIER_TYPE_TEXT[typeCode];
  return {
    ...(typeCode === 'MR' ? { use: 'usual' as const } : typeCode === 'NNCHN' || typeCode === 'NI' ? { use: 'official' as const } : {}),
    ...(typeCode
      ? { type: { coding: [{ system: V2_0203, code: typeCode, ...(display ? { display } : {}) }], ...(text ? { text } : {}) } }
      : {}),
    ...(system ? { system } : {}),
    value,
    ...(namespace ? { assigner: { display: namespace } } : {}),
  };
}

/** A concept's identity for deterministic resource ids: its first coding, else its text. */
export function conceptKey(concept: CodeableConcept): string {
  const first = concept.coding?.[0];
  return first ? `${first.system}|${first.code}` : (concept.text ?? '');
}
