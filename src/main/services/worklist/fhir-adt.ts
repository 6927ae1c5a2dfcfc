import { z } from 'zod';
import type { Encounter, Patient } from '../../../shared/domain/fhir.ts';
import type { SourcePatientRef } from '../../../shared/domain/source.ts';
import type { AdtEvent } from './adt-event.ts';
import { adtEventFromEncounter } from './census-keeper.ts';

const ResourceShape = z.looseObject({ resourceType: z.string(), id: z.string().optional() });
const EncounterShape = z.looseObject({
  resourceType: z.literal('Encounter'),
  status: z.string(),
  subject: z.looseObject({ reference: z.string() }),
  location: z.array(z.looseObject({ location: z.looseObject({}) })).optional(),
  participant: z.array(z.looseObject({})).optional(),
  period: z.looseObject({ start: z.string().optional(), end: z.string().optional() }).optional(),
});
const PatientShape = z.looseObject({
  resourceType: z.literal('Patient'),
  id: z.string(),
  name: z.array(z.looseObject({})).optional(),
  gender: z.enum(['male', 'female', 'other', 'unknown']).optional(),
  birthDate: z.string().optional(),
});
const BundleShape = z.looseObject({
  resourceType: z.literal('Bundle'),
  entry: z.array(z.looseObject({ resource: ResourceShape.optional() })).default([]),
});

export interface FhirAdtReading {
  events: AdtEvent[];
  /** Encounters that could not be read as census events, with why (ids only). */
  skipped: string[];
}

const patientIdOf = (reference: string): string | undefined => /^(?:.*\/)?Patient\/([A-Za-z0-9.-]{1,64})$/.exec(reference)?.[1];

/**
 * The census facts of a FHIR ADT message the broker stored (a message Bundle or a lone
 * Encounter): each Encounter in it, read as the CDR's census reads one (in progress on a ward =
 * there, finished = discharged, cancelled = A11), with the bundle's Patient for name, sex and
 * birth date. `patients` are the system records the broker stored it under: an Encounter of
 * another patient is not believed.
 */
export function adtEventsFromFhirMessage(body: Uint8Array, patients: readonly SourcePatientRef[]): FhirAdtReading {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body));
  } catch {
    return { events: [], skipped: ['not JSON in UTF-8'] };
  }
  const bundle = BundleShape.safeParse(json);
  if (!bundle.success && !ResourceShape.safeParse(json).success) return { events: [], skipped: ['not a FHIR resource'] };
  const resources: unknown[] = bundle.success ? bundle.data.entry.flatMap((e) => (e.resource ? [e.resource] : [])) : [json];
  const patientsById = new Map<string, Patient>();
  for (const resource of resources) {
    const patient = PatientShape.safeParse(resource);
    if (patient.success) patientsById.set(patient.data.id, patient.data as Patient);
  }
  const events: AdtEvent[] = [];
  const skipped: string[] = [];
  for (const resource of resources) {
    const head = ResourceShape.safeParse(resource);
    if (head.data?.resourceType !== 'Encounter') continue;
    const id = head.data.id ?? '?';
    const encounter = EncounterShape.safeParse(resource);
    if (!encounter.success) {
      skipped.push(`Encounter/${id}: ${encounter.error.issues[0]?.message ?? 'unreadable'}`);
      continue;
    }
    const patientId = patientIdOf(encounter.data.subject.reference);
    const ref = patients.find((p) => p.sourcePatientId === patientId);
    if (!patientId || !ref) {
      skipped.push(`Encounter/${id}: its subject is not a patient the message was stored for`);
      continue;
    }
    try {
      // Checked above for the fields the census reads; the census event itself is checked by AdtEventSchema.
      const event = adtEventFromEncounter(encounter.data as unknown as Encounter, ref, patientsById.get(patientId));
      if (event) events.push(event);
      else skipped.push(`Encounter/${id}: status ${encounter.data.status} without a ward says nothing about the census`);
    } catch (error) {
      skipped.push(`Encounter/${id}: ${error instanceof Error ? error.message.slice(0, 200) : String(error)}`);
    }
  }
  return { events, skipped };
}
