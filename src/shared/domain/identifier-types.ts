import { z } from 'zod';

/**
 * Identifier types the renderer words in the UI's language. HL7 v2 table 0203 codes as sources
 * send them (PID-3.5, FHIR Identifier.type), plus the WS/T 500 patient identifier roots that a
 * v2 code would blur: 住院号, 门（急）诊号 and 病案号 are all "MR" there, but a nurse's 查对 asks
 * for the 住院号. The 身份证 root (2.16.156.10011.1.3) is NNCHN.
 */
export const IDENTIFIER_TYPE_CODES = [
  'MR',
  'PI',
  'PT',
  'PN',
  'AN',
  'VN',
  'NI',
  'NNCHN',
  'SS',
  'SB',
  'HC',
  'JHN',
  'PPN',
  'DL',
  'cn-inpatient-no',
  'cn-outpatient-no',
  'cn-medical-record-no',
  'cn-health-card-no',
] as const;
export const IdentifierTypeCodeSchema = z.enum(IDENTIFIER_TYPE_CODES);
export type IdentifierTypeCode = z.infer<typeof IdentifierTypeCodeSchema>;
