/**
 * Identifier systems of the demo hospital's CDR and the one stable patient every test, demo and
 * benchmark can rely on, whatever the seed.
 */
import { RESIDENT_ID_SYSTEM, buildResidentId } from './resident-id.ts';

/** Identifier.system of the CDR's medical record numbers (病案号). */
export const CDR_MRN_SYSTEM = 'urn:huizhen:demo-hospital:cdr:mrn';

/** Instant the synthetic records are "as of": fixed so every generated date is reproducible. */
export const DATA_AS_OF = '2025-06-30T10:00:00+08:00';

const demoResidentId = buildResidentId({ areaCode: '110101', birthDate: '1968-03-12', gender: 'male' }, 13);

/** 张伟 (Zhang Wei): present in every generated data set with these exact values. */
export const DEMO_PATIENT = {
  /** Logical id of the Patient resource on the demo FHIR server. */
  fhirId: 'pat-0001',
  mrn: 'CDR-000001',
  mrnSystem: CDR_MRN_SYSTEM,
  /** 18-digit 身份证 number: Beijing Dongcheng (110101), born 1968-03-12, odd sequence = male. */
  residentId: demoResidentId,
  residentIdSystem: RESIDENT_ID_SYSTEM,
  nameHanzi: '张伟',
  familyHanzi: '张',
  givenHanzi: '伟',
  namePinyin: 'Zhang Wei',
  familyPinyin: 'Zhang',
  givenPinyin: 'Wei',
  gender: 'male',
  birthDate: '1968-03-12',
} as const;
