/**
 * PRPA_IN201306UV02 (PDQv3 query response) → FHIR Patients plus the answer's status: the
 * transmission acknowledgement (AA/AE/AR with details) and queryAck/queryResponseCode
 * (OK, NF = no match, AE = application error, QE = query parameter error).
 */
import type { Element } from '@xmldom/xmldom';
import { CdaError, child, pathOf, requireRoot } from '../xml/index.ts';
import { readPatientMessage } from './patient-messages.ts';
import type { PatientOfMessage } from './patient-role.ts';
import type { ParseWarning } from './parse-warning.ts';
import type { Acknowledgement } from './transmission-wrapper.ts';
import { PDQ_RESPONSE_INTERACTION } from './pdq-query.ts';

export type PdqPatient = PatientOfMessage;

export interface PdqResponse {
  acknowledgement: Acknowledgement;
  queryResponseCode?: string;
  patients: PdqPatient[];
  /** Problems with single patients that were skipped or cut rather than failing the answer. */
  warnings: ParseWarning[];
}

export function readPdqResponse(message: Element): PdqResponse {
  requireRoot(message, [PDQ_RESPONSE_INTERACTION], 'a PDQv3 query response');
  const { acknowledgement, queryResponseCode, patients, warnings } = readPatientMessage(message);
  // An AE/AR answer may carry no payload at all; an AA answer must.
  if (!child(message, 'controlActProcess') && (acknowledgement.typeCode === 'AA' || acknowledgement.typeCode === undefined)) {
    throw new CdaError('structure', pathOf(message), 'required element <controlActProcess> is missing');
  }
  return { acknowledgement, ...(queryResponseCode ? { queryResponseCode } : {}), patients, warnings };
}
