/**
 * PRPA_IN201306UV02 (PDQv3 query response) → FHIR Patients plus the answer's status: the
 * transmission acknowledgement (AA/AE/AR with details) and queryAck/queryResponseCode
 * (OK, NF = no match, AE = application error, QE = query parameter error).
 */
import type { Address, ContactPoint, HumanName, Patient } from '@medplum/fhirtypes';
import type { Element } from '@xmldom/xmldom';
import { CdaError } from '../cda/cda-error.ts';
import { patientIdentifier, readGender } from '../cda/patient-mapping.ts';
import { attr, child, children, descend, descendAll, pathOf, requireRoot } from '../cda/xml/v3-dom.ts';
import { readAd, readIi, readPn, readTel, tsToDate, type V3Id } from '../cda/xml/v3-datatypes.ts';
import { readAcknowledgement, type Acknowledgement } from './transmission-wrapper.ts';
import { PDQ_RESPONSE_INTERACTION } from './pdq-query.ts';

export interface PdqPatient {
  ids: V3Id[];
  patient: Patient;
}

export interface PdqResponse {
  acknowledgement: Acknowledgement;
  queryResponseCode?: string;
  patients: PdqPatient[];
  /** Readable problems with single patients that were skipped rather than failing the answer. */
  warnings: string[];
}

function readPatient(el: Element, warnings: string[]): PdqPatient | undefined {
  const person = child(el, 'patientPerson');
  if (!person) {
    warnings.push(`${pathOf(el)}: patient without patientPerson; skipped`);
    return undefined;
  }
  // Ids on the patient role, plus those other systems know the person by (asOtherIDs, PIX-style).
  const ids = [...children(el, 'id'), ...descendAll(person, 'asOtherIDs', 'id')].map(readIi).filter((i): i is V3Id => !!i);
  const names = children(person, 'name').map(readPn).filter((n): n is HumanName => !!n);
  const gender = readGender(child(person, 'administrativeGenderCode'));
  const birthRaw = attr(child(person, 'birthTime'), 'value');
  const birthDate = birthRaw ? tsToDate(birthRaw) : undefined;
  if (birthRaw && !birthDate) warnings.push(`${pathOf(child(person, 'birthTime')!, 'value')}: birth time is not an HL7 timestamp; left out`);
  const telecom = children(person, 'telecom').map(readTel).filter((t): t is ContactPoint => !!t);
  const address = children(person, 'addr').map(readAd).filter((a): a is Address => !!a);
  const deceased = attr(child(person, 'deceasedInd'), 'value');
  const seen = new Set<string>();
  const uniqueIds = ids.filter((i) => {
    const key = `${i.root}|${i.extension ?? ''}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return {
    ids: uniqueIds,
    patient: {
      resourceType: 'Patient',
      identifier: uniqueIds.map((i) => patientIdentifier(i)),
      active: attr(child(el, 'statusCode'), 'code') !== 'nullified',
      ...(names.length > 0 ? { name: names } : {}),
      ...(telecom.length > 0 ? { telecom } : {}),
      ...(gender ? { gender } : {}),
      ...(birthDate ? { birthDate } : {}),
      ...(deceased === 'true' ? { deceasedBoolean: true } : {}),
      ...(address.length > 0 ? { address } : {}),
    },
  };
}

export function readPdqResponse(message: Element): PdqResponse {
  requireRoot(message, [PDQ_RESPONSE_INTERACTION], 'a PDQv3 query response');
  const acknowledgement = readAcknowledgement(message);
  const control = child(message, 'controlActProcess');
  if (!control) {
    // An AE/AR answer may carry no payload at all; an AA answer must.
    if (acknowledgement.typeCode === 'AA' || acknowledgement.typeCode === undefined) throw new CdaError('structure', pathOf(message), 'required element <controlActProcess> is missing');
    return { acknowledgement, patients: [], warnings: [] };
  }
  const queryResponseCode = attr(descend(control, 'queryAck', 'queryResponseCode'), 'code');
  const warnings: string[] = [];
  const patients = descendAll(control, 'subject', 'registrationEvent', 'subject1', 'patient')
    .map((p) => readPatient(p, warnings))
    .filter((p): p is PdqPatient => !!p);
  return { acknowledgement, ...(queryResponseCode ? { queryResponseCode } : {}), patients, warnings };
}
