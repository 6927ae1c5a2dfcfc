/**
 * Patient/{id}/$everything: the patient and every resource of the served clinical types in its
 * compartment, optionally only those changed since `_since`, paged like a search.
 */
import { parseSearchRequest } from '@medplum/core';
import type { FhirRepository } from '@medplum/fhir-router';
import type { Bundle, BundleEntry, Resource } from '@medplum/fhirtypes';
import { CLINICAL_TYPES } from './served-types.ts';

export async function patientEverything(repo: FhirRepository, patientId: string, since: string | undefined): Promise<Bundle> {
  // Throws Medplum's not-found OperationOutcomeError when the patient does not exist.
  const patient = await repo.readResource('Patient', patientId);
  const entries: BundleEntry[] = [];
  if (!since || (patient.meta?.lastUpdated ?? '') > since) entries.push({ resource: patient });
  for (const type of CLINICAL_TYPES) {
    const query: Record<string, string> = { patient: `Patient/${patientId}`, _count: '1000000' };
    if (since) query._lastUpdated = `gt${since}`;
    const found = await repo.search(parseSearchRequest(type, query));
    for (const e of found.entry ?? []) entries.push({ resource: e.resource as Resource });
  }
  return { resourceType: 'Bundle', type: 'searchset', total: entries.length, entry: entries };
}

export function slicePage(bundle: Bundle, offset: number, count: number): Bundle {
  const entry = (bundle.entry ?? []).slice(offset, offset + count);
  return { ...bundle, entry };
}
