/**
 * A search answer's Patients as Huizhen reads them: every Patient the demo CDR and Synthea-style
 * records carry passes (extensions nested, identifier types, periods); one whose fields are not of
 * their FHIR type is left out and counted (it threw out of the identity grouping and cost every
 * system's search answer).
 */
import type { Bundle, Patient } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { isReadablePatient, readablePatients } from '../../../../src/adapters/fhir/readable-patient.ts';
import { generateSyntheticHospital } from '../../../../src/demo-hospital/synthetic/synthetic-hospital.ts';

/** The shape Synthea writes (US Core race/ethnicity extensions, identifier types, a marital status, a communication). */
const SYNTHEA_SHAPED: Patient = {
  resourceType: 'Patient',
  id: 'synthetic-1',
  extension: [
    {
      url: 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-race',
      extension: [
        { url: 'ombCategory', valueCoding: { system: 'urn:oid:2.16.840.1.113883.6.238', code: '2106-3', display: 'White' } },
        { url: 'text', valueString: 'White' },
      ],
    },
    { url: 'http://hl7.org/fhir/StructureDefinition/patient-birthPlace', valueAddress: { city: 'Springfield', country: 'US' } },
  ],
  identifier: [
    { system: 'https://github.com/synthetichealth/synthea', value: 'a1b2' },
    {
      type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'MR' }], text: 'Medical Record Number' },
      system: 'http://hospital.smarthealthit.org',
      value: 'mr-1',
    },
  ],
  name: [{ use: 'official', family: 'Synthetic', given: ['Test', 'Middle'], prefix: ['Mr.'] }],
  telecom: [{ system: 'phone', value: '555-0100', use: 'home' }],
  gender: 'male',
  birthDate: '1970-01-01',
  address: [
    { line: ['1 Example St'], city: 'Springfield', state: 'MA', postalCode: '01101', country: 'US', extension: [{ url: 'geolocation' }] },
  ],
  maritalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-MaritalStatus', code: 'M' }] },
  multipleBirthBoolean: false,
  communication: [{ language: { coding: [{ system: 'urn:ietf:bcp:47', code: 'en-US' }] } }],
};

const MALFORMED: unknown[] = [
  { resourceType: 'Patient', id: 'p1', name: 'x' },
  { resourceType: 'Patient', id: 'p2', identifier: [null, 3, { value: 7, system: 9 }] },
  { resourceType: 'Patient', id: 'p3', name: [{ given: 'a', family: 3 }] },
  { resourceType: 'Patient', id: 'p4', telecom: { value: 1 } },
  { resourceType: 'Patient', id: 'p5', birthDate: 5, gender: 4 },
  { resourceType: 'Patient', id: 'p6', address: 'x', extension: 'y' },
  { resourceType: 'Patient', id: 'p7', link: [{ other: 'Patient/1' }] },
];

describe('readable Patients of a FHIR search answer', () => {
  it('every Patient of the demo hospital and a Synthea-shaped one pass', () => {
    const patients = generateSyntheticHospital().resources.filter((r): r is Patient => r.resourceType === 'Patient');
    expect(patients.length).toBeGreaterThan(5);
    for (const p of [...patients, SYNTHEA_SHAPED]) expect(isReadablePatient(p), p.id).toBe(true);
  });

  it('one whose fields are not of their FHIR type is left out and counted; the rest are kept as sent', () => {
    for (const bad of MALFORMED) expect(isReadablePatient(bad), JSON.stringify(bad)).toBe(false);
    const bundle = {
      resourceType: 'Bundle',
      type: 'searchset',
      entry: [SYNTHEA_SHAPED, ...MALFORMED].map((resource) => ({ resource })),
    } as Bundle;
    const { patients, skipped } = readablePatients(bundle);
    expect(patients).toEqual([SYNTHEA_SHAPED]);
    expect(skipped).toBe(MALFORMED.length);
  });
});
