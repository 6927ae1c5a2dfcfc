/**
 * Applies the Basic Profile (Table E.1-1 as data in basic-profile-table.ts) to one dataset, at
 * every sequence depth. Choices where the table leaves one to the de-identifier, made without
 * knowing each IOD's attribute types: X/Z → Z and X/D, X/Z/D, Z/D → D (keeping the attribute
 * keeps a Type 1/2 attribute conformant; its content is gone either way); X/Z/U* sequences are
 * kept with the table applied inside (their referenced UIDs remapped). Private attributes are
 * removed (X); curves (50xx) and whole overlay groups (60xx) are removed, since with the overlay
 * data gone the rest of an overlay group would describe nothing. Attributes the table does not
 * list are kept, as the profile says; pixel data is never touched.
 */
import { BASIC_PROFILE_TABLE, type BasicProfileAction } from './basic-profile-table.ts';
import type { DcmjsDataset, DcmjsElement } from './dcmjs-api.ts';
import type { UidRemapper } from './uid-remapper.ts';

type Resolved = 'D' | 'Z' | 'X' | 'U' | 'KEEP-CLEAN-INSIDE';

const RESOLVE: Readonly<Record<BasicProfileAction, Resolved>> = {
  D: 'D',
  Z: 'Z',
  X: 'X',
  U: 'U',
  'X/Z': 'Z',
  'X/D': 'D',
  'X/Z/D': 'D',
  'Z/D': 'D',
  'X/Z/U*': 'KEEP-CLEAN-INSIDE',
};

const ACTIONS: ReadonlyMap<string, Resolved> = new Map(
  BASIC_PROFILE_TABLE.filter(([tag]) => !tag.includes('X')).map(([tag, , action]) => [tag, RESOLVE[action]]),
);

const DUMMY_TEXT = 'DEIDENTIFIED';
const DUMMY_BY_VR: Readonly<Record<string, unknown[]>> = {
  PN: [{ Alphabetic: DUMMY_TEXT }],
  DA: ['19000101'],
  DT: ['19000101000000'],
  TM: ['000000'],
  AS: ['000D'],
  DS: [0],
  IS: [0],
  US: [0],
  SS: [0],
  UL: [0],
  SL: [0],
  UV: [0],
  SV: [0],
  FL: [0],
  FD: [0],
};
const TEXT_VRS = new Set(['AE', 'CS', 'LO', 'LT', 'SH', 'ST', 'UC', 'UT', 'UR']);

function groupOf(tag: string): number {
  return Number.parseInt(tag.slice(0, 4), 16);
}

/** Curves (50xx,xxxx) and overlays (60xx,xxxx): even repeating groups 5000–501E / 6000–601E. */
function isCurveOrOverlay(tag: string): boolean {
  const group = groupOf(tag);
  return ((group >= 0x5000 && group <= 0x501e) || (group >= 0x6000 && group <= 0x601e)) && group % 2 === 0;
}

export function isPrivateTag(tag: string): boolean {
  return groupOf(tag) % 2 === 1;
}

function dummy(element: DcmjsElement, context: ProfileContext): DcmjsElement {
  if (element.vr === 'SQ') return cleanSequence(element, context);
  if (element.vr === 'UI') return remapUids(element, context.uids);
  const value = DUMMY_BY_VR[element.vr] ?? (TEXT_VRS.has(element.vr) ? [DUMMY_TEXT] : []);
  return { vr: element.vr, Value: value };
}

function remapUids(element: DcmjsElement, uids: UidRemapper): DcmjsElement {
  return { vr: element.vr, Value: (element.Value ?? []).map((v) => (typeof v === 'string' && v.trim() !== '' ? uids.remap(v) : v)) };
}

function cleanSequence(element: DcmjsElement, context: ProfileContext): DcmjsElement {
  return {
    vr: 'SQ',
    Value: (element.Value ?? []).map((item) =>
      typeof item === 'object' && item !== null ? applyBasicProfile(item as DcmjsDataset, context) : item,
    ),
  };
}

export interface ProfileContext {
  uids: UidRemapper;
}

export function applyBasicProfile(dataset: DcmjsDataset, context: ProfileContext): DcmjsDataset {
  const out: DcmjsDataset = {};
  for (const [rawTag, element] of Object.entries(dataset)) {
    const tag = rawTag.toUpperCase();
    if (isPrivateTag(tag) || isCurveOrOverlay(tag)) continue;
    const action = ACTIONS.get(tag);
    if (action === 'X') continue;
    if (action === 'Z') out[tag] = { vr: element.vr, Value: [] };
    else if (action === 'D') out[tag] = dummy(element, context);
    else if (action === 'U') out[tag] = remapUids(element, context.uids);
    else if (element.vr === 'SQ') out[tag] = cleanSequence(element, context);
    else out[tag] = element;
  }
  return out;
}
