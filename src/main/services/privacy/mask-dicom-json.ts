/**
 * DICOM JSON (application/dicom+json, PS3.18 F.2) bodies of QIDO-RS and WADO-RS metadata as
 * the viewer's overlay receives them. Identifying attributes are masked, not removed, so the
 * overlay still shows a (masked) name and id. Every PN attribute, at any depth, is masked as a
 * name (referring physician, operators…); the patient's id-like, address and phone attributes
 * by their rules; dates that identify the patient are emptied (a DA cannot hold a partial mask).
 */
import { z } from 'zod';
import type { PrivacyConfig } from '../../../shared/config/privacy.ts';
import { DEFAULT_PRIVACY_CONFIG } from '../../../shared/config/privacy.ts';
import { maskAddressText } from './mask-address.ts';
import { maskIdentifierValue } from './mask-identifier.ts';
import { maskPersonName } from './mask-name.ts';
import { maskPhone } from './mask-phone.ts';

export const DicomJsonElementSchema = z.object({
  vr: z.string().regex(/^[A-Z]{2}$/),
  Value: z.array(z.unknown()).optional(),
  BulkDataURI: z.string().optional(),
  InlineBinary: z.string().optional(),
});
export type DicomJsonElement = z.infer<typeof DicomJsonElementSchema>;
export type DicomJsonDataset = Record<string, DicomJsonElement>;
export const DicomJsonBodySchema = z.array(z.record(z.string().regex(/^[0-9A-Fa-f]{8}$/), DicomJsonElementSchema));

type Rule = (value: string, options: PrivacyConfig) => string;

const maskId: Rule = (v, o) => maskIdentifierValue(v, o);
// Not here, kept as they are: IssuerOfPatientID (which system, not who) and
// OtherPatientIDsSequence (its items are masked by recursion).
const ATTRIBUTE_RULES: Readonly<Record<string, Rule>> = {
  '00100020': maskId, // PatientID
  '00101000': maskId, // OtherPatientIDs (retired, still sent)
  '00080050': maskId, // AccessionNumber
  '00101040': (v, o) => maskAddressText(v, o.maskChar), // PatientAddress
  '00102154': (v, o) => maskPhone(v, o), // PatientTelephoneNumbers
  '00102155': (v, o) => maskPhone(v, o), // PatientTelecomInformation
  '00101090': maskId, // MedicalRecordLocator
  '00380010': maskId, // AdmissionID
};
/** Emptied: a DA/DT cannot carry a masked form, and these dates identify the patient. */
const EMPTIED = new Set(['00100030', '00100032', '00101005', '00101060', '00102160', '00104000']);

const PN_COMPONENTS = ['Alphabetic', 'Ideographic', 'Phonetic'] as const;

function maskPnValue(value: unknown, options: PrivacyConfig): unknown {
  if (typeof value === 'string') return maskPersonName(value, options);
  if (value === null || typeof value !== 'object') return value;
  const pn = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const key of PN_COMPONENTS) {
    const component = pn[key];
    if (typeof component === 'string') out[key] = maskPersonName(component, options);
  }
  return out;
}

function maskElement(tag: string, element: DicomJsonElement, options: PrivacyConfig): DicomJsonElement {
  if (EMPTIED.has(tag)) {
    const { Value: _value, ...rest } = element;
    return rest;
  }
  if (element.Value === undefined) return { ...element };
  if (element.vr === 'SQ') {
    return { ...element, Value: element.Value.map((item) => (isDataset(item) ? maskDicomDataset(item, options) : item)) };
  }
  if (element.vr === 'PN') return { ...element, Value: element.Value.map((v) => maskPnValue(v, options)) };
  const rule = ATTRIBUTE_RULES[tag.toUpperCase()];
  if (!rule) return { ...element };
  return { ...element, Value: element.Value.map((v) => (typeof v === 'string' ? rule(v, options) : v)) };
}

function isDataset(value: unknown): value is DicomJsonDataset {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function maskDicomDataset(dataset: DicomJsonDataset, options: PrivacyConfig = DEFAULT_PRIVACY_CONFIG): DicomJsonDataset {
  const out: DicomJsonDataset = {};
  for (const [tag, element] of Object.entries(dataset)) {
    out[tag] = isDataset(element) && typeof element.vr === 'string' ? maskElement(tag.toUpperCase(), element, options) : element;
  }
  return out;
}

/** A QIDO/WADO metadata body (an array of datasets). Input that is not DICOM JSON fails with the zod issue's path. */
export function maskDicomJson(body: unknown, options: PrivacyConfig = DEFAULT_PRIVACY_CONFIG): DicomJsonDataset[] {
  const parsed = DicomJsonBodySchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new DicomJsonMaskError(
      `not a DICOM JSON body at ${issue ? `[${issue.path.join('][')}]` : 'the top level'}: ${issue?.message ?? 'invalid'}`,
    );
  }
  return parsed.data.map((dataset) => maskDicomDataset(dataset, options));
}

export class DicomJsonMaskError extends Error {
  override readonly name = 'DicomJsonMaskError';
}
