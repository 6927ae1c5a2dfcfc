/**
 * One HL7 v3 `patient` role (PRPA_MT201310UV02 and its registration siblings) → a FHIR Patient
 * and the ids it is known by. Shared by every patient message (PDQ answers, registrations,
 * updates) so a patient reads the same whichever message carried it, in either data-type style.
 */
import type { Address, ContactPoint, HumanName, Patient } from '@medplum/fhirtypes';
import type { Element } from '@xmldom/xmldom';
import { patientIdentifier } from '../cda/patient-mapping.ts';
import { attr, child, children, descendAll, pathOf, tsToDate, type V3Id } from '../xml/index.ts';
import { parseWarning, type ParseWarning } from './parse-warning.ts';
import { readAddresses, readCoded, readIds, readNames, readSex, readTelecoms } from './person-datatypes.ts';

export interface PatientOfMessage {
  ids: V3Id[];
  patient: Patient;
}

function unique(ids: V3Id[]): V3Id[] {
  const seen = new Set<string>();
  return ids.filter((i) => {
    const key = `${i.root}|${i.extension ?? ''}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * The person is `patientPerson` (PRPA_MT201310UV02) or, in some senders' older models, `person`.
 * Ids come from the role, from the person (where 互联互通 messages put the 身份证) and from
 * asOtherIDs (ids other systems know the person by, PIX-style).
 */
export function readPatientRole(el: Element, warnings: ParseWarning[]): PatientOfMessage | undefined {
  const person = child(el, 'patientPerson') ?? child(el, 'person');
  if (!person) {
    warnings.push(parseWarning('record-skipped', pathOf(el), 'patient without patientPerson; skipped'));
    return undefined;
  }
  const ids = unique([...children(el, 'id'), ...children(person, 'id'), ...descendAll(person, 'asOtherIDs', 'id')].flatMap(readIds));
  const names: HumanName[] = children(person, 'name').flatMap(readNames);
  const telecom: ContactPoint[] = [...children(el, 'telecom'), ...children(person, 'telecom')].flatMap(readTelecoms);
  const address: Address[] = children(person, 'addr').flatMap(readAddresses);
  const gender = readSex(child(person, 'administrativeGenderCode'));
  const birthEl = child(person, 'birthTime');
  const birthRaw = attr(birthEl, 'value') ?? attr(child(birthEl, 'value'), 'value');
  const birthDate = birthRaw ? tsToDate(birthRaw) : undefined;
  if (birthRaw && !birthDate && birthEl)
    warnings.push(parseWarning('value-left-out', pathOf(birthEl, 'value'), 'birth time is not an HL7 timestamp; left out'));
  const deceased = attr(child(person, 'deceasedInd'), 'value');
  const maritalStatus = readCoded(child(person, 'maritalStatusCode'));
  return {
    ids,
    patient: {
      resourceType: 'Patient',
      identifier: ids.map((i) => patientIdentifier(i)),
      active: attr(child(el, 'statusCode'), 'code') !== 'nullified',
      ...(names.length > 0 ? { name: names } : {}),
      ...(telecom.length > 0 ? { telecom } : {}),
      ...(gender ? { gender } : {}),
      ...(birthDate ? { birthDate } : {}),
      ...(deceased === 'true' ? { deceasedBoolean: true } : {}),
      ...(address.length > 0 ? { address } : {}),
      ...(maritalStatus ? { maritalStatus } : {}),
    },
  };
}
