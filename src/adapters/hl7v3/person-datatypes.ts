/**
 * The person data types of HL7 v3 patient messages in both styles Chinese platforms send:
 *
 *   classic (HL7 v3 data types R1, as CDA and IHE PDQv3 write them)
 *     <id root="…" extension="…"/>   <name><family>张</family><given>伟</given></name>
 *     <telecom value="tel:…"/>       <addr><state>…</state><city>…</city></addr>
 *   ISO 21090 (data types R2, as the 互联互通 个人信息 services write them)
 *     <id><item root="…" extension="…"/></id>                       (DSET_II)
 *     <name xsi:type="LIST_EN"><item><part type="FAM" value="张"/><part value="张伟"/></item></name>
 *     <telecom xsi:type="DSET_TEL"><item value="…"/></telecom>
 *     <addr xsi:type="BAG_AD"><item><part type="STA" value="…"/>…</item></addr>
 *
 * The style is decided per element (an element with <item> or <part> children is ISO), since
 * platforms mix them within one message. Classic values are read by the shared CDA readers.
 */
import type { Address, CodeableConcept, ContactPoint, HumanName, Patient } from '@medplum/fhirtypes';
import type { Element } from '@xmldom/xmldom';
import { readGender } from '../cda/patient-mapping.ts';
import { attr, child, children, readAd, readCd, readIi, readPn, readTel, textOf, type V3Id } from '../xml/index.ts';

/** The <item>s of a collection type, or the element itself when it is a single value. */
function itemsOf(el: Element): Element[] {
  const items = children(el, 'item');
  return items.length > 0 ? items : [el];
}

function isIsoStyle(el: Element): boolean {
  return children(el, 'item').length > 0 || children(el, 'part').length > 0;
}

/** ISO parts carry their text in @value; some senders write it as content instead. */
function partValue(part: Element): string | undefined {
  return attr(part, 'value') ?? textOf(part);
}

export function readIds(el: Element): V3Id[] {
  return itemsOf(el)
    .map(readIi)
    .filter((i): i is V3Id => !!i);
}

const NAME_USE: Readonly<Record<string, HumanName['use']>> = {
  L: 'official',
  OR: 'official',
  C: 'old',
  P: 'nickname',
  A: 'anonymous',
  ASGN: 'usual',
};
const CJK = /[\u3400-\u9fff]/;

function isoName(item: Element, inheritedUse: string | undefined): HumanName | undefined {
  const family: string[] = [];
  const given: string[] = [];
  const prefix: string[] = [];
  const suffix: string[] = [];
  const untyped: string[] = [];
  for (const part of children(item, 'part')) {
    const value = partValue(part);
    if (!value) continue;
    const type = attr(part, 'type')?.toUpperCase();
    if (type === 'FAM') family.push(value);
    else if (type === 'GIV') given.push(value);
    else if (type === 'PFX') prefix.push(value);
    else if (type === 'SFX') suffix.push(value);
    else if (type !== 'DEL') untyped.push(value);
  }
  const structured = family.length + given.length > 0;
  // 汉字 names print family then given without a space (张 + 伟 → 张伟); Latin ones given first.
  const joined = structured
    ? CJK.test(family.join('') + given.join(''))
      ? family.join('') + given.join('')
      : [...given, ...family].join(' ')
    : untyped.join('');
  if (!joined) return undefined;
  const use = NAME_USE[(attr(item, 'use') ?? inheritedUse ?? '').split(/\s+/)[0] ?? ''];
  return {
    ...(use ? { use } : {}),
    text: joined,
    ...(family.length > 0 ? { family: family.join(CJK.test(family.join('')) ? '' : ' ') } : {}),
    ...(given.length > 0 ? { given } : {}),
    ...(prefix.length > 0 ? { prefix } : {}),
    ...(suffix.length > 0 ? { suffix } : {}),
  };
}

/** PN / LIST_EN: one <name> may hold several names (items). */
export function readNames(el: Element): HumanName[] {
  if (attr(el, 'nullFlavor')) return [];
  if (!isIsoStyle(el)) {
    const name = readPn(el);
    return name ? [name] : [];
  }
  return itemsOf(el)
    .map((item) => isoName(item, attr(el, 'use')))
    .filter((n): n is HumanName => !!n);
}

export function readTelecoms(el: Element): ContactPoint[] {
  return itemsOf(el)
    .map(readTel)
    .filter((t): t is ContactPoint => !!t);
}

const ADDRESS_USE: Readonly<Record<string, Address['use']>> = {
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

/**
 * ISO address parts (AddressPartType). CNT is "country" in ISO 21090, but the 互联互通 services
 * use it for 县（区）; a value ending like a county or district (县, 区, 旗, 市) is read as the
 * district, anything else as the country.
 */
function isoAddress(item: Element, inheritedUse: string | undefined): Address | undefined {
  const lines: string[] = [];
  const text: string[] = [];
  const out: Address = {};
  for (const part of children(item, 'part')) {
    const value = partValue(part);
    if (!value) continue;
    switch (attr(part, 'type')?.toUpperCase()) {
      case 'SAL':
        text.push(value);
        break;
      case 'STA':
        out.state = value;
        break;
      case 'CTY':
        out.city = value;
        break;
      case 'CPA':
        out.district = value;
        break;
      case 'CNT':
        if (/[县区旗市]$/.test(value)) out.district = value;
        else out.country = value;
        break;
      case 'ZIP':
        out.postalCode = value;
        break;
      case 'STB':
      case 'STR':
      case 'STTYP':
      case 'BNR':
      case 'BNN':
      case 'BNS':
      case 'BLD':
      case 'UNID':
      case 'UNIT':
      case 'ADL':
      case 'DAL':
      case 'POB':
        lines.push(value);
        break;
      case 'DEL':
        break;
      default:
        text.push(value);
    }
  }
  if (lines.length > 0) out.line = [lines.join(CJK.test(lines.join('')) ? '' : ' ')];
  if (text.length > 0) out.text = text.join(' ');
  if (Object.keys(out).length === 0) return undefined;
  const use = ADDRESS_USE[(attr(item, 'use') ?? inheritedUse ?? '').split(/\s+/)[0] ?? ''];
  return { ...(use ? { use } : {}), ...out };
}

export function readAddresses(el: Element): Address[] {
  if (attr(el, 'nullFlavor')) return [];
  if (!isIsoStyle(el)) {
    const a = readAd(el);
    return a ? [a] : [];
  }
  return itemsOf(el)
    .map((item) => isoAddress(item, attr(el, 'use')))
    .filter((a): a is Address => !!a);
}

const SEX_WORDS: Readonly<Record<string, Patient['gender']>> = {
  男: 'male',
  男性: 'male',
  女: 'female',
  女性: 'female',
  未知: 'unknown',
  未知的性别: 'unknown',
  未说明的性别: 'other',
};

/**
 * HL7 (M/F/UN) or GB/T 2261.1 (1/2/0/9) codes; a code-less element with only its display name
 * (`<displayName value="男"/>`, as ISO-style senders write it) is read by that name.
 */
export function readSex(el: Element | undefined): Patient['gender'] | undefined {
  if (!el) return undefined;
  // Some senders put the word itself in @code (code="男"); read it as the word, not as "other".
  const code = attr(el, 'code');
  if (code && CJK.test(code)) return SEX_WORDS[code];
  const coded = readGender(el);
  if (coded) return coded;
  const display = attr(el, 'displayName') ?? attr(child(el, 'displayName'), 'value') ?? textOf(child(el, 'originalText'));
  return display ? SEX_WORDS[display] : undefined;
}

/** CD with the ISO habit of a <displayName value="…"/> child in place of the attribute. */
export function readCoded(el: Element | undefined): CodeableConcept | undefined {
  const cd = readCd(el);
  const display = attr(child(el, 'displayName'), 'value');
  if (!cd || !display || cd.text) return cd;
  const [first, ...rest] = cd.coding ?? [];
  return { ...(first ? { coding: [{ ...first, display: first.display ?? display }, ...rest] } : {}), text: display };
}
