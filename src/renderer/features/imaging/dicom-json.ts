/**
 * The few DICOM JSON attributes the viewer reads (sorting, overlay, orientation), checked
 * with zod at the boundary: the proxy's answer is data, not trusted structure.
 */
import { z } from 'zod';

const ElementSchema = z.object({ vr: z.string().optional(), Value: z.array(z.unknown()).optional() }).loose();
export const DatasetSchema = z.record(z.string(), z.unknown());
export const DatasetsSchema = z.array(DatasetSchema);
export type Dataset = z.infer<typeof DatasetSchema>;

export const TAGS = {
  SOPInstanceUID: '00080018',
  StudyDate: '00080020',
  Modality: '00080060',
  SeriesDescription: '0008103E',
  PatientName: '00100010',
  PatientID: '00100020',
  SeriesInstanceUID: '0020000E',
  SeriesNumber: '00200011',
  InstanceNumber: '00200013',
  ImagePositionPatient: '00200032',
  ImageOrientationPatient: '00200037',
  FrameOfReferenceUID: '00200052',
  NumberOfFrames: '00280008',
  NumberOfSeriesRelatedInstances: '00201209',
  Rows: '00280010',
  Columns: '00280011',
  WindowCenter: '00281050',
  WindowWidth: '00281051',
} as const;

function values(dataset: Dataset, tag: string): unknown[] {
  const parsed = ElementSchema.safeParse(dataset[tag] ?? dataset[tag.toLowerCase()]);
  return parsed.success ? (parsed.data.Value ?? []) : [];
}

export function text(dataset: Dataset, tag: string): string | undefined {
  const v = values(dataset, tag)[0];
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined;
}

export function numbers(dataset: Dataset, tag: string): number[] {
  return values(dataset, tag)
    .map((v) => (typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : Number.NaN))
    .filter((n) => Number.isFinite(n));
}

export function integer(dataset: Dataset, tag: string): number | undefined {
  const n = numbers(dataset, tag)[0];
  return n !== undefined && Number.isInteger(n) ? n : undefined;
}

/** A person name for display: the ideographic form (张伟) when present, else the alphabetic one. */
export function personName(dataset: Dataset, tag: string): string | undefined {
  const v = values(dataset, tag)[0];
  if (typeof v === 'string') return v.replace(/\^+/g, ' ').trim() || undefined;
  if (typeof v !== 'object' || v === null) return undefined;
  const pn = v as { Ideographic?: unknown; Alphabetic?: unknown };
  const ideographic = typeof pn.Ideographic === 'string' ? pn.Ideographic.replace(/\^+/g, '') : '';
  const alphabetic = typeof pn.Alphabetic === 'string' ? pn.Alphabetic.replace(/\^+/g, ' ').trim() : '';
  return ideographic || alphabetic || undefined;
}
