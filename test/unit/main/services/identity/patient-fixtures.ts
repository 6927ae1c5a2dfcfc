import type { HumanName, Identifier, Patient } from '@medplum/fhirtypes';
import type { SourcedResource } from '../../../../../src/adapters/source-adapter.ts';

const V2 = 'http://terminology.hl7.org/CodeSystem/v2-0203';
export const residentId = (value: string): Identifier => ({
  system: 'urn:oid:2.16.156.10011.1.3',
  value,
  type: { coding: [{ system: V2, code: 'NNCHN' }], text: '身份证' },
});
export const mrn = (system: string, value: string): Identifier => ({
  system: `urn:huizhen:${system}:mrn`,
  value,
  type: { coding: [{ system: V2, code: 'MR' }], text: `MRN (${system})` },
});
export const insurance = (value: string): Identifier => ({
  system: 'urn:oid:2.16.156.10011.1.9',
  value,
  type: { coding: [{ system: V2, code: 'SB' }], text: '医保号' },
});
export const mpi = (value: string): Identifier => ({ system: 'urn:huizhen:empi', value, type: { text: 'EMPI' } });
export const passport = (value: string): Identifier => ({
  system: 'urn:iso:std:iso:3166:CN',
  value,
  type: { coding: [{ system: V2, code: 'PPN' }], text: '护照' },
});

export interface PersonSpec {
  id?: string;
  names?: HumanName[];
  han?: string;
  latin?: string;
  gender?: Patient['gender'];
  birthDate?: string;
  phone?: string;
  address?: string;
  identifiers?: Identifier[];
}

export function patient(spec: PersonSpec): Patient {
  const names: HumanName[] = [...(spec.names ?? [])];
  if (spec.han) names.push({ text: spec.han });
  if (spec.latin) names.push({ text: spec.latin });
  return {
    resourceType: 'Patient',
    id: spec.id ?? 'p',
    name: names,
    gender: spec.gender,
    birthDate: spec.birthDate,
    telecom: spec.phone ? [{ system: 'phone', value: spec.phone }] : undefined,
    address: spec.address ? [{ text: spec.address }] : undefined,
    identifier: spec.identifiers,
  };
}

export function found(sourceId: string, p: Patient): SourcedResource<Patient> {
  return {
    resource: p,
    provenance: { sourceId, sourceName: sourceId, sourceKind: 'fhir', nativeId: `Patient/${p.id}`, fetchedAt: '2026-01-01T00:00:00Z' },
  };
}
