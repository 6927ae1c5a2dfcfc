/**
 * A whole stored instance (Part 10) for a session that may not see the patient's identity:
 * every value it may not see is overwritten in place with padding of the same length — spaces
 * for text, zeros for binary — so offsets, the pixel data and the file's structure are what the
 * PACS stored and the renderer's own parser reads the frames as before. Overwriting, not
 * re-encoding: the masked value's byte length in the file's character set (GB18030, UTF-8…)
 * could differ from the original's, and a file rewritten by a second encoder is a second source
 * of pixel bugs. The renderer reads only the transfer syntax and the pixel data of such an
 * instance (stored-instance.ts); the overlay comes from the (masked) metadata.
 *
 * What is blanked, at every sequence depth and in the file meta:
 * - 'full' (privacy mode): every PN; the patient module (group 0010) except sex, age, size,
 *   weight and the issuer/type of the patient id; the other attributes the metadata masking
 *   covers (accession number, admission id); and anything holding a 身份证.
 * - 'national-id' (nurses, radiologists): PatientID / OtherPatientIDs issued as a 身份证, and any
 *   text or unknown value holding a 身份证-shaped number (the name and MRN stay, as in metadata).
 * The 128-byte preamble, free for applications to fill, is zeroed at both levels.
 */
import type { MaskLevel } from '../../../../shared/api/session.ts';
import { RESIDENT_ID_ISSUERS } from '../mask-national-ids.ts';
import { dictionaryVr } from './dictionary-vr.ts';
import { layOutPart10, Part10LayoutError, type LaidOutDataSet, type LaidOutElement, type Part10LayoutErrorCode } from './part10-layout.ts';

export type Part10MaskOutcome = { ok: true; blanked: number } | { ok: false; code: Part10LayoutErrorCode; message: string };

const TEXT_VRS = new Set(['AE', 'AS', 'CS', 'DA', 'DS', 'DT', 'IS', 'LO', 'LT', 'PN', 'SH', 'ST', 'TM', 'UC', 'UR', 'UT']);
/** Group 0010 attributes that say nothing about who the patient is. */
const PATIENT_KEPT = new Set(['00100021', '00100022', '00100040', '00101010', '00101020', '00101030']);
/** Outside group 0010, what the metadata masking masks in privacy mode (mask-dicom-json.ts). */
const FULL_OTHER = new Set(['00080050', '00380010']);
const ID_TAGS = new Set(['00100020', '00101000']);
const ISSUER_TAG = '00100021';
/** A 身份证 (18 with its check character, or the old 15) not part of a longer run of digits. */
const RESIDENT_ID_RUN = /(?<![0-9])(?:[0-9]{17}[0-9Xx]|[0-9]{15})(?![0-9])/;
const PREAMBLE = 128;
const SPACE = 0x20;

/** Whether a value's bytes may hold text: text VRs, UN, and what neither the file nor the dictionary types. */
function mayHoldText(vr: string | undefined): boolean {
  return vr === undefined || vr === 'UN' || TEXT_VRS.has(vr);
}

function textOf(bytes: Uint8Array, element: LaidOutElement): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset + element.dataOffset, element.length).toString('latin1');
}

function issuedAsResidentId(bytes: Uint8Array, dataSet: LaidOutDataSet): boolean {
  const issuer = dataSet.find((e) => e.tag === ISSUER_TAG && e.items === undefined);
  if (!issuer) return false;
  return RESIDENT_ID_ISSUERS.has(
    textOf(bytes, issuer)
      .replace(/[\0 ]+$/, '')
      .trim()
      .replace(/^urn:oid:/, ''),
  );
}

function blankedAtLevel(element: LaidOutElement, level: 'national-id' | 'full', byIssuer: boolean): boolean {
  if (level === 'national-id') return byIssuer && ID_TAGS.has(element.tag);
  const group = element.tag.slice(0, 4);
  return (
    element.vr === 'PN' ||
    dictionaryVr(element.tag) === 'PN' ||
    (group === '0010' && !PATIENT_KEPT.has(element.tag)) ||
    FULL_OTHER.has(element.tag)
  );
}

function maskDataSet(bytes: Uint8Array, dataSet: LaidOutDataSet, level: 'national-id' | 'full'): number {
  const byIssuer = issuedAsResidentId(bytes, dataSet);
  let blanked = 0;
  for (const element of dataSet) {
    if (element.items) {
      // A value the rules blank arriving as a sequence is not what the standard defines: its items could carry it.
      if (blankedAtLevel(element, level, byIssuer) && dictionaryVr(element.tag) !== 'SQ') {
        throw new Part10LayoutError('unexpected-structure', `(${element.tag}) is a sequence where a value was expected`);
      }
      for (const item of element.items) blanked += maskDataSet(bytes, item, level);
      continue;
    }
    const text = mayHoldText(element.vr);
    const blank =
      element.length > 0 && (blankedAtLevel(element, level, byIssuer) || (text && RESIDENT_ID_RUN.test(textOf(bytes, element))));
    if (!blank) continue;
    if (element.undefinedLength) throw new Part10LayoutError('unexpected-structure', `(${element.tag}) has no length of its own`);
    bytes.fill(text ? SPACE : 0, element.dataOffset, element.dataOffset + element.length);
    blanked += 1;
  }
  return blanked;
}

/**
 * Masks `bytes` (the caller's own copy of one Part 10 instance) in place for `level`. On a
 * refusal the bytes may be partly masked and must not be served.
 */
export function maskPart10InPlace(bytes: Uint8Array, level: MaskLevel): Part10MaskOutcome {
  if (level === 'none') return { ok: true, blanked: 0 };
  try {
    const layout = layOutPart10(bytes, dictionaryVr);
    const blanked = maskDataSet(bytes, layout.elements, level);
    bytes.fill(0, 0, PREAMBLE);
    return { ok: true, blanked };
  } catch (error) {
    if (error instanceof Part10LayoutError) return { ok: false, code: error.code, message: error.message };
    // The rules above throw nothing else; a stack overflow on a hostile file is the one thing left.
    return { ok: false, code: 'unparsable', message: error instanceof Error ? error.message : String(error) };
  }
}
