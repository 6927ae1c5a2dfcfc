/**
 * The DICOM JSON model (PS3.18 F.2) as QIDO-RS and WADO-RS metadata return it: a dataset is an
 * object keyed by 8-hex-digit tags, each with a VR and optional Value array. Readers here
 * tolerate vendor variations (numbers sent as strings, lower-case tags, missing Value) and
 * return undefined rather than throw.
 */
import { z } from 'zod';

export const DicomJsonElementSchema = z
  .object({
    vr: z.string().optional(),
    Value: z.array(z.unknown()).optional(),
    BulkDataURI: z.string().optional(),
    InlineBinary: z.string().optional(),
  })
  .loose();

export const DicomJsonDatasetSchema = z.record(z.string().regex(/^[0-9A-Fa-f]{8}$/, 'a DICOM tag (8 hex digits)'), DicomJsonElementSchema);
export type DicomJsonDataset = z.infer<typeof DicomJsonDatasetSchema>;

export const DicomJsonArraySchema = z.array(DicomJsonDatasetSchema);

/** Tags used by the adapter, as DICOM JSON keys. */
export const TAG = {
  SpecificCharacterSet: '00080005',
  StudyDate: '00080020',
  SeriesDate: '00080021',
  StudyTime: '00080030',
  SeriesTime: '00080031',
  AccessionNumber: '00080050',
  Modality: '00080060',
  ModalitiesInStudy: '00080061',
  TimezoneOffsetFromUTC: '00080201',
  StudyDescription: '00081030',
  SeriesDescription: '0008103E',
  RetrieveURL: '00081190',
  PatientName: '00100010',
  PatientID: '00100020',
  IssuerOfPatientID: '00100021',
  PatientBirthDate: '00100030',
  PatientSex: '00100040',
  OtherPatientIDs: '00101000',
  OtherPatientIDsSequence: '00101002',
  BodyPartExamined: '00180015',
  StudyInstanceUID: '0020000D',
  SeriesInstanceUID: '0020000E',
  SOPInstanceUID: '00080018',
  SeriesNumber: '00200011',
  InstanceNumber: '00200013',
  NumberOfStudyRelatedSeries: '00201206',
  NumberOfStudyRelatedInstances: '00201208',
  NumberOfSeriesRelatedInstances: '00201209',
  NumberOfFrames: '00280008',
  RequestedProcedureDescription: '00321060',
  TransferSyntaxUID: '00020010',
} as const;

function element(ds: DicomJsonDataset, tag: string): z.infer<typeof DicomJsonElementSchema> | undefined {
  return ds[tag] ?? ds[tag.toLowerCase()] ?? ds[tag.toUpperCase()];
}

export function values(ds: DicomJsonDataset, tag: string): unknown[] {
  return element(ds, tag)?.Value ?? [];
}

/** First value as trimmed text, or undefined when absent or empty. */
export function text(ds: DicomJsonDataset, tag: string): string | undefined {
  const v = values(ds, tag)[0];
  if (typeof v === 'string') return v.trim() || undefined;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return undefined;
}

export function texts(ds: DicomJsonDataset, tag: string): string[] {
  return values(ds, tag)
    .map((v) => (typeof v === 'string' ? v.trim() : typeof v === 'number' ? String(v) : ''))
    .filter((v) => v !== '');
}

/** IS/US values: JSON numbers by the standard, strings from some servers. */
export function integer(ds: DicomJsonDataset, tag: string): number | undefined {
  const v = values(ds, tag)[0];
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\s*[+-]?\d+\s*$/.test(v) ? Number(v) : Number.NaN;
  return Number.isInteger(n) ? n : undefined;
}

export interface PersonName {
  alphabetic?: string;
  ideographic?: string;
  phonetic?: string;
}

/** PN in its JSON form ({Alphabetic, Ideographic, Phonetic}) or, from lax servers, the "A=I=P" string. */
export function personName(ds: DicomJsonDataset, tag: string): PersonName | undefined {
  const v = values(ds, tag)[0];
  const clean = (s: unknown): string | undefined =>
    typeof s === 'string' && s.replace(/\^+$/, '').trim() ? s.replace(/\^+$/, '').trim() : undefined;
  let name: PersonName;
  if (typeof v === 'string') {
    const [alphabetic, ideographic, phonetic] = v.split('=');
    name = { alphabetic: clean(alphabetic), ideographic: clean(ideographic), phonetic: clean(phonetic) };
  } else if (typeof v === 'object' && v !== null) {
    const o = v as Record<string, unknown>;
    name = { alphabetic: clean(o.Alphabetic), ideographic: clean(o.Ideographic), phonetic: clean(o.Phonetic) };
  } else {
    return undefined;
  }
  const out: PersonName = {};
  if (name.alphabetic) out.alphabetic = name.alphabetic;
  if (name.ideographic) out.ideographic = name.ideographic;
  if (name.phonetic) out.phonetic = name.phonetic;
  return Object.keys(out).length > 0 ? out : undefined;
}

/** Items of a sequence (SQ) element that are datasets. */
export function sequence(ds: DicomJsonDataset, tag: string): DicomJsonDataset[] {
  return values(ds, tag).flatMap((item) => {
    const parsed = DicomJsonDatasetSchema.safeParse(item);
    return parsed.success ? [parsed.data] : [];
  });
}
