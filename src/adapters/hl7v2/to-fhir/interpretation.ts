/**
 * OBX-8 abnormal flags → Observation.interpretation. HL7 table 0078 codes map to the FHIR
 * v3-ObservationInterpretation codes of the same name; the flags Chinese LIS print instead
 * (↑, ↓, 高, 低, 阳性 …) map to the code they mean. A flag that is neither stays as text with no
 * system, since labelling it a 0078 code would make the resource claim a code that is not one.
 */
import type { CodeableConcept } from '@medplum/fhirtypes';
import type { Hl7Segment } from '../hl7-message.ts';
import { comp } from './datatypes.ts';

const INTERPRETATION_SYSTEM = 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation';

/** HL7 table 0078 (v2.5) codes and their displays in v3-ObservationInterpretation. */
const INTERPRETATION_DISPLAY: Readonly<Record<string, string>> = {
  L: 'Low',
  H: 'High',
  LL: 'Critical low',
  HH: 'Critical high',
  '<': 'Off scale low',
  '>': 'Off scale high',
  N: 'Normal',
  A: 'Abnormal',
  AA: 'Critical abnormal',
  U: 'Significant change up',
  D: 'Significant change down',
  B: 'Better',
  W: 'Worse',
  S: 'Susceptible',
  R: 'Resistant',
  I: 'Intermediate',
  MS: 'Moderately susceptible',
  VS: 'Very susceptible',
  POS: 'Positive',
  NEG: 'Negative',
  IND: 'Indeterminate',
  DET: 'Detected',
  ND: 'Not detected',
};

/** Flags as Chinese LIS print them → the 0078 code they mean. */
const FLAG_SPELLINGS: Readonly<Record<string, string>> = {
  '↑': 'H',
  '↓': 'L',
  '↑↑': 'HH',
  '↓↓': 'LL',
  高: 'H',
  低: 'L',
  偏高: 'H',
  偏低: 'L',
  危急高: 'HH',
  危急低: 'LL',
  异常: 'A',
  正常: 'N',
  阳性: 'POS',
  阴性: 'NEG',
  弱阳性: 'POS',
};

function concept(flag: string): CodeableConcept {
  const code = (Object.hasOwn(FLAG_SPELLINGS, flag) ? FLAG_SPELLINGS[flag] : undefined) ?? flag.toUpperCase();
  const display = Object.hasOwn(INTERPRETATION_DISPLAY, code) ? INTERPRETATION_DISPLAY[code] : undefined;
  if (!display) return { text: flag };
  return { coding: [{ system: INTERPRETATION_SYSTEM, code, display }], ...(code !== flag.toUpperCase() ? { text: flag } : {}) };
}

export function interpretation(obx: Hl7Segment): CodeableConcept[] {
  return obx
    .repetitions(8)
    .map((r) => comp(r, 1))
    .filter(Boolean)
    .map(concept);
}
