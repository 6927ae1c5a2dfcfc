/**
 * HL7 v3 patient facts (CDA recordTarget, PDQv3 patient) → FHIR Patient parts. Shared by the CDA
 * converter and the PDQv3 parser so a patient reads the same whichever message carried them.
 */
import type { Identifier, Patient } from '@medplum/fhirtypes';
import type { Element } from '@xmldom/xmldom';
import { attr, GBT2261_SEX_OID, iiToIdentifier, type V3Id } from '../xml/index.ts';

const V2_0203 = 'http://terminology.hl7.org/CodeSystem/v2-0203';

/** The root under which WS/T 500 documents carry the 居民身份证 number ("患者身份证件号码"). */
export const RESIDENT_ID_ROOTS: ReadonlySet<string> = new Set(['2.16.156.10011.1.3']);

/** Other WS/T 500 patient identifier roots worth a readable label. */
const KNOWN_PATIENT_ROOTS: Readonly<Record<string, { code: string; display: string; text: string }>> = {
  '2.16.156.10011.1.12': { code: 'MR', display: 'Medical record number', text: '住院号' },
  '2.16.156.10011.1.11': { code: 'MR', display: 'Medical record number', text: '门（急）诊号' },
  '2.16.156.10011.1.13': { code: 'MR', display: 'Medical record number', text: '病案号' },
  '2.16.156.10011.1.19': { code: 'HC', display: 'Health Card Number', text: '健康卡号' },
};

export function patientIdentifier(
  id: V3Id,
  extraTypes: Readonly<Record<string, { code: string; display: string; text: string }>> = {},
): Identifier {
  const base = iiToIdentifier(id);
  if (RESIDENT_ID_ROOTS.has(id.root) && id.extension && /^\d{17}[\dXx]$/.test(id.extension)) {
    return {
      use: 'official',
      type: { coding: [{ system: V2_0203, code: 'NNCHN', display: 'National Person Identifier (China)' }], text: '居民身份证' },
      ...base,
      value: id.extension.toUpperCase(),
    };
  }
  const known = extraTypes[id.root] ?? KNOWN_PATIENT_ROOTS[id.root];
  if (known) return { type: { coding: [{ system: V2_0203, code: known.code, display: known.display }], text: known.text }, ...base };
  return base;
}

/** administrativeGenderCode in HL7 (M/F/UN) or GB/T 2261.1 (1/2/0/9). */
export function readGender(el: Element | undefined): Patient['gender'] | undefined {
  const code = attr(el, 'code');
  if (!code) return undefined;
  const system = attr(el, 'codeSystem');
  if (system === GBT2261_SEX_OID || /^\d$/.test(code)) {
    return code === '1' ? 'male' : code === '2' ? 'female' : code === '9' ? 'other' : 'unknown';
  }
  const upper = code.toUpperCase();
  return upper === 'M' ? 'male' : upper === 'F' ? 'female' : upper === 'UN' || upper === 'U' ? 'unknown' : 'other';
}
