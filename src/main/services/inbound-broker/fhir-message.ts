/**
 * A FHIR message from the broker (a Bundle of type message, transaction, batch or collection, or
 * one resource) → the records to store per patient. A resource belongs to the patient it is, or
 * the one its `subject`/`patient` reference names; the cache key's patient id is that Patient's
 * logical id, the id the FHIR pull adapter fetches by, so both land together.
 */
import type { Resource } from '@medplum/fhirtypes';
import { z } from 'zod';
import type { SourcedResource } from '../../../adapters/source-adapter.ts';

const ResourceShape = z.looseObject({ resourceType: z.string().min(1), id: z.string().min(1).max(64).optional() });
const BundleShape = z.looseObject({
  resourceType: z.literal('Bundle'),
  id: z.string().optional(),
  type: z.string(),
  entry: z.array(z.looseObject({ resource: ResourceShape.optional() })).default([]),
});
const ReferenceShape = z.looseObject({ reference: z.string() });

export type FhirReading =
  | {
      ok: true;
      messageId: string | undefined;
      eventCode: string | undefined;
      pushes: { sourcePatientId: string; records: SourcedResource[] }[];
    }
  | { ok: false; reason: string };

function patientOf(resource: z.infer<typeof ResourceShape>): string | undefined {
  if (resource.resourceType === 'Patient') return resource.id;
  for (const field of ['subject', 'patient'] as const) {
    const ref = ReferenceShape.safeParse(resource[field]);
    const match = ref.success ? /^(?:.*\/)?Patient\/([A-Za-z0-9.-]{1,64})$/.exec(ref.data.reference) : null;
    if (match) return match[1];
  }
  return undefined;
}

export function readFhirMessage(body: Uint8Array, source: { sourceId: string; sourceName: string; receivedAt: string }): FhirReading {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body));
  } catch {
    return { ok: false, reason: 'not JSON in UTF-8' };
  }
  const bundle = BundleShape.safeParse(json);
  const single = ResourceShape.safeParse(json);
  if (!bundle.success && !single.success) return { ok: false, reason: 'not a FHIR resource (no resourceType)' };
  const resources = bundle.success ? bundle.data.entry.flatMap((e) => (e.resource ? [e.resource] : [])) : [single.data!];
  const header = resources.find((r) => r.resourceType === 'MessageHeader');
  const event = z.looseObject({ eventCoding: z.looseObject({ code: z.string() }).optional() }).safeParse(header ?? {});
  const byPatient = new Map<string, SourcedResource[]>();
  for (const resource of resources) {
    if (resource.resourceType === 'MessageHeader') continue;
    if (!resource.id) return { ok: false, reason: `a ${resource.resourceType} has no id (needed to store it idempotently)` };
    const patient = patientOf(resource);
    if (!patient) return { ok: false, reason: `${resource.resourceType}/${resource.id} names no patient (subject or patient reference)` };
    const records = byPatient.get(patient) ?? [];
    records.push({
      resource: resource as Resource,
      provenance: {
        sourceId: source.sourceId,
        sourceName: source.sourceName,
        sourceKind: 'fhir',
        nativeId: `${resource.resourceType}/${resource.id}`,
        messageType: 'FHIR message (broker)',
        fetchedAt: source.receivedAt,
      },
    });
    byPatient.set(patient, records);
  }
  if (byPatient.size === 0) return { ok: false, reason: 'the message holds no patient data' };
  return {
    ok: true,
    messageId: bundle.success ? bundle.data.id : single.data?.id,
    eventCode: event.success ? event.data.eventCoding?.code : undefined,
    pushes: [...byPatient].map(([sourcePatientId, records]) => ({ sourcePatientId, records })),
  };
}
