/**
 * Whether a Patient a FHIR server sent has the shape of its FHIR types where Huizhen reads it
 * (identifiers, names, telecom, address, gender, birth date, extensions, links). The server's
 * records are otherwise passed on as sent, and one Patient with a string where a list of names
 * belongs threw out of the identity grouping: every system's search answer was lost with it.
 * Such a Patient is left out of the answer and counted as a skipped record (the source status
 * then reads "answered in part").
 */
import type { Bundle, Patient } from '@medplum/fhirtypes';
import { z } from 'zod';

const text = z.string();
const coding = z.object({ system: text.optional(), code: text.optional(), display: text.optional() }).passthrough();
const concept = z.object({ coding: z.array(coding).optional(), text: text.optional() }).passthrough();
const period = z.object({ start: text.optional(), end: text.optional() }).passthrough();
const identifier = z
  .object({ system: text.optional(), value: text.optional(), use: text.optional(), type: concept.optional(), period: period.optional() })
  .passthrough();
const humanName = z
  .object({
    use: text.optional(),
    text: text.optional(),
    family: text.optional(),
    given: z.array(text).optional(),
    prefix: z.array(text).optional(),
    suffix: z.array(text).optional(),
    period: period.optional(),
  })
  .passthrough();
const contactPoint = z.object({ system: text.optional(), value: text.optional(), use: text.optional() }).passthrough();
const address = z
  .object({
    use: text.optional(),
    text: text.optional(),
    line: z.array(text).optional(),
    city: text.optional(),
    district: text.optional(),
    state: text.optional(),
    postalCode: text.optional(),
    country: text.optional(),
  })
  .passthrough();
const extension = z.object({ url: text }).passthrough();
const reference = z.object({ reference: text.optional(), display: text.optional() }).passthrough();

const ReadablePatientSchema = z
  .object({
    resourceType: z.literal('Patient'),
    id: text.optional(),
    identifier: z.array(identifier).optional(),
    name: z.array(humanName).optional(),
    telecom: z.array(contactPoint).optional(),
    gender: text.optional(),
    birthDate: text.optional(),
    address: z.array(address).optional(),
    extension: z.array(extension).optional(),
    link: z.array(z.object({ other: reference, type: text.optional() }).passthrough()).optional(),
    active: z.boolean().optional(),
    deceasedBoolean: z.boolean().optional(),
    deceasedDateTime: text.optional(),
  })
  .passthrough();

export function isReadablePatient(resource: unknown): boolean {
  return ReadablePatientSchema.safeParse(resource).success;
}

/** A search answer's Patients in the shape Huizhen reads, and how many were left out. */
export function readablePatients(bundle: Bundle): { patients: Patient[]; skipped: number } {
  const all = (bundle.entry ?? []).map((e) => e.resource).filter((r): r is Patient => r?.resourceType === 'Patient');
  const patients = all.filter(isReadablePatient);
  return { patients, skipped: all.length - patients.length };
}
