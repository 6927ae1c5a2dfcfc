import { z } from 'zod';
import type { Resource } from '@medplum/fhirtypes';

export type { Resource, Patient, Bundle, Observation, Encounter, Condition, Identifier, HumanName } from '@medplum/fhirtypes';

/**
 * FHIR R4 resources cross process boundaries as JSON; we check the envelope (a resourceType)
 * and trust the adapter that produced it for the rest, since full profile validation per
 * resource per message would dominate IPC cost.
 */
export const FhirResourceSchema = z.custom<Resource>(
  (value) => typeof value === 'object' && value !== null && typeof (value as { resourceType?: unknown }).resourceType === 'string',
  { message: 'expected a FHIR resource with a resourceType' },
);
