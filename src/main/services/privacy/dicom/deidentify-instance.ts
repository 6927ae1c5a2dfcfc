/**
 * One DICOM Part 10 instance → its de-identified Part 10 bytes: Basic Profile applied to the
 * dataset, the file meta's MediaStorageSOPInstanceUID following the new SOP Instance UID,
 * the meta's application entity titles dropped, and the de-identification recorded
 * (PatientIdentityRemoved YES, DeidentificationMethod, code 113100).
 */
import { applyBasicProfile } from './apply-basic-profile.ts';
import { readPart10, type DcmjsDataset, type DcmjsDicomDict } from './dcmjs-api.ts';
import { DicomDeidentifyError } from './deidentify-error.ts';
import { pixelDataProblem } from './pixel-data-check.ts';
import type { UidRemapper } from './uid-remapper.ts';

export const DEIDENTIFICATION_METHOD = 'DICOM PS3.15 E.1 Basic Application Confidentiality Profile';
/** DCM code for the Basic Application Confidentiality Profile (PS3.16 CID 7050). */
export const BASIC_PROFILE_CODE = { value: '113100', scheme: 'DCM', meaning: 'Basic Application Confidentiality Profile' } as const;

/** File meta attributes that name the sending or receiving system. */
const META_AE_TITLES = ['00020016', '00020017', '00020018'];

export interface InstanceOptions {
  uids: UidRemapper;
  /** Replaces the (emptied) PatientName and PatientID, e.g. a study pseudonym "TEACHING-0007". */
  pseudonym?: string;
}

export interface DeidentifiedInstance {
  sopInstanceUid: string;
  seriesInstanceUid: string | undefined;
  bytes: Uint8Array;
}

function stringOf(dataset: DcmjsDataset, tag: string): string | undefined {
  const v = dataset[tag]?.Value?.[0];
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
}

function parse(bytes: Uint8Array, instance: string): DcmjsDicomDict {
  try {
    return readPart10(bytes);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    const code = /header is missing|DICM/i.test(detail)
      ? 'not-dicom'
      : /outside the bounds|more than currently allocated|offset/i.test(detail)
        ? 'truncated'
        : 'unreadable';
    throw new DicomDeidentifyError(code, instance, `cannot be read as DICOM Part 10 (${detail})`);
  }
}

function recordDeidentification(dataset: DcmjsDataset, pseudonym: string | undefined): DcmjsDataset {
  const out: DcmjsDataset = {
    ...dataset,
    '00120062': { vr: 'CS', Value: ['YES'] },
    '00120063': { vr: 'LO', Value: [DEIDENTIFICATION_METHOD] },
    '00120064': {
      vr: 'SQ',
      Value: [
        {
          '00080100': { vr: 'SH', Value: [BASIC_PROFILE_CODE.value] },
          '00080102': { vr: 'SH', Value: [BASIC_PROFILE_CODE.scheme] },
          '00080104': { vr: 'LO', Value: [BASIC_PROFILE_CODE.meaning] },
        },
      ],
    },
  };
  if (pseudonym !== undefined) {
    out['00100010'] = { vr: 'PN', Value: [{ Alphabetic: pseudonym }] };
    out['00100020'] = { vr: 'LO', Value: [pseudonym] };
  }
  return out;
}

export function deidentifyInstance(bytes: Uint8Array, instance: string, options: InstanceOptions): DeidentifiedInstance {
  const parsed = parse(bytes, instance);
  const transferSyntax = stringOf(parsed.meta, '00020010');
  if (!transferSyntax) throw new DicomDeidentifyError('unreadable', instance, 'file meta has no TransferSyntaxUID (0002,0010)');
  const truncated = pixelDataProblem(parsed.dict, transferSyntax);
  if (truncated) throw new DicomDeidentifyError('truncated', instance, truncated);
  const originalSop = stringOf(parsed.dict, '00080018') ?? stringOf(parsed.meta, '00020003');
  if (!originalSop) throw new DicomDeidentifyError('unreadable', instance, 'no SOPInstanceUID (0008,0018)');

  const dataset = recordDeidentification(applyBasicProfile(parsed.dict, { uids: options.uids }), options.pseudonym);
  const sopInstanceUid = options.uids.remap(originalSop);
  dataset['00080018'] = { vr: 'UI', Value: [sopInstanceUid] };
  const meta: DcmjsDataset = { ...parsed.meta, '00020003': { vr: 'UI', Value: [sopInstanceUid] } };
  for (const tag of META_AE_TITLES) delete meta[tag];
  parsed.meta = meta;
  parsed.dict = dataset;
  try {
    return { sopInstanceUid, seriesInstanceUid: stringOf(dataset, '0020000E'), bytes: new Uint8Array(parsed.write()) };
  } catch (error) {
    throw new DicomDeidentifyError(
      'unwritable',
      instance,
      `could not be written after de-identification (${error instanceof Error ? error.message : String(error)})`,
    );
  }
}
