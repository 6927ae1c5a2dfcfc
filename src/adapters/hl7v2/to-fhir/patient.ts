/** PID → Patient (every identifier, every name), MRG → the replaced record and Patient.link. */
import type { Identifier, Patient } from '@medplum/fhirtypes';
import type { Hl7Segment } from '../hl7-message.ts';
import { address, comp, contactPoint, date, dateTime, humanName, identifier, type DataTypeContext } from './datatypes.ts';
import { boundedKey, isFhirId, stableId } from './ids.ts';

const SEX: Record<string, Patient['gender']> = {
  M: 'male',
  F: 'female',
  O: 'other',
  A: 'other',
  N: 'other',
  U: 'unknown',
  // GB/T 2261.1 codes, which Chinese HIS put in PID-8 as often as HL7's.
  '1': 'male',
  '2': 'female',
  '0': 'unknown',
  '9': 'unknown',
};

export function pidIdentifiers(pid: Hl7Segment, ctx: DataTypeContext): Identifier[] {
  const ids: Identifier[] = [];
  // PID-3 is the list; PID-2 and PID-4 are the older external/alternate ids.
  for (const n of [3, 2, 4])
    for (const rep of pid.repetitions(n)) {
      const id = identifier(rep, ctx);
      if (id && !ids.some((x) => x.system === id.system && x.value === id.value)) ids.push(id);
    }
  const ssn = comp(pid.composite(19), 1);
  if (ssn && !ids.some((x) => x.value === ssn)) {
    ids.push({
      type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'SS', display: 'Social Security number' }] },
      system: 'http://hl7.org/fhir/sid/us-ssn',
      value: ssn,
    });
  }
  return ids;
}

/** The identifier that is this system's own patient id (see patientIdAuthority). */
export function ownIdentifier(pid: Hl7Segment, authority: string | undefined): { value: string; authority: string } | undefined {
  const reps = pid.repetitions(3);
  const pick =
    (authority !== undefined ? reps.find((r) => comp(r, 4, 1) === authority) : undefined) ??
    (authority === undefined
      ? (reps.find((r) => comp(r, 5).toUpperCase() === 'MR' && comp(r, 1)) ?? reps.find((r) => comp(r, 1)))
      : undefined);
  if (!pick || !comp(pick, 1)) return undefined;
  return { value: comp(pick, 1), authority: comp(pick, 4, 1) || comp(pick, 4, 2) };
}

export interface MappedPatient {
  patient: Patient;
  /** Natural key for ids of the patient's other resources. */
  key: string;
}

export function patientFromPid(
  pid: Hl7Segment,
  ctx: DataTypeContext & { namespace: string; patientIdAuthority: string | undefined; fallbackKey: string },
): MappedPatient {
  const own = ownIdentifier(pid, ctx.patientIdAuthority);
  const key = boundedKey(own ? `${own.authority}|${own.value}` : ctx.fallbackKey);
  const id = own && isFhirId(own.value) ? own.value : stableId('pat', ctx.namespace, key);
  const names = pid
    .repetitions(5)
    .map(humanName)
    .filter((n) => n !== undefined);
  const telecom = [
    ...pid.repetitions(13).map((r) => contactPoint(r, 'home')),
    ...pid.repetitions(14).map((r) => contactPoint(r, 'work')),
  ].filter((t) => t !== undefined);
  const addresses = pid
    .repetitions(11)
    .map(address)
    .filter((a) => a !== undefined);
  const gender = SEX[comp(pid.composite(8), 1).toUpperCase()];
  const birthDate = date(comp(pid.composite(7), 1));
  const deceasedAt = dateTime(comp(pid.composite(29), 1), ctx);
  const deceased = comp(pid.composite(30), 1).toUpperCase();
  const identifiers = pidIdentifiers(pid, ctx);
  const patient: Patient = {
    resourceType: 'Patient',
    id,
    ...(identifiers.length > 0 ? { identifier: identifiers } : {}),
    ...(names.length > 0 ? { name: names } : {}),
    ...(telecom.length > 0 ? { telecom } : {}),
    ...(gender ? { gender } : {}),
    ...(birthDate ? { birthDate } : {}),
    ...(deceasedAt
      ? { deceasedDateTime: deceasedAt }
      : deceased === 'Y'
        ? { deceasedBoolean: true }
        : deceased === 'N'
          ? { deceasedBoolean: false }
          : {}),
    ...(addresses.length > 0 ? { address: addresses } : {}),
  };
  return { patient, key };
}

/**
 * MRG (ADT^A40 and friends): the prior record becomes an inactive Patient "replaced-by" the
 * surviving one, which in turn "replaces" it.
 */
export function mergedPatient(mrg: Hl7Segment, surviving: Patient, ctx: DataTypeContext & { namespace: string }): Patient | undefined {
  const ids = [...mrg.repetitions(1), ...mrg.repetitions(4)].map((r) => identifier(r, ctx)).filter((i) => i !== undefined);
  const first = ids[0];
  if (!first?.value) return undefined;
  const prior: Patient = {
    resourceType: 'Patient',
    id: stableId('pat', ctx.namespace, `${first.system ?? ''}|${first.value}`),
    identifier: ids,
    active: false,
    link: [{ other: { reference: `Patient/${surviving.id}` }, type: 'replaced-by' }],
  };
  const name = humanName(mrg.composite(7));
  if (name) prior.name = [name];
  // In place: a message of thousands of MRG segments must not copy the list each time.
  (surviving.link ??= []).push({ other: { reference: `Patient/${prior.id}` }, type: 'replaces' });
  return prior;
}
