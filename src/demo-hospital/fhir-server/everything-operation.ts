/**
 * Patient/{id}/$everything: the patient and every resource of the served clinical types in its
 * compartment, optionally only those changed since `_since`, plus the resources outside the
 * compartment they reference (Medication, Practitioner, …) as the operation's definition asks,
 * paged like a search.
 */
import { deepClone, parseSearchRequest } from '@medplum/core';
import type { Bundle, BundleEntry, Resource } from '@medplum/fhirtypes';
import type { PagedMemoryRepository } from './paged-memory-repository.ts';
import { CLINICAL_TYPES, REFERENCED_TYPES } from './served-types.ts';

const REFERENCED = new Set<string>(REFERENCED_TYPES);

/** Every `reference` string anywhere in a resource. */
export function referencesIn(value: unknown, out: Set<string> = new Set()): Set<string> {
  if (Array.isArray(value)) for (const v of value) referencesIn(v, out);
  else if (typeof value === 'object' && value !== null) {
    for (const [key, v] of Object.entries(value)) {
      if (key === 'reference' && typeof v === 'string') out.add(v);
      else if (typeof v === 'object') referencesIn(v, out);
    }
  }
  return out;
}

export async function patientEverything(repo: PagedMemoryRepository, patientId: string, since: string | undefined): Promise<Bundle> {
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
  const referenced = new Set<string>();
  for (const e of entries) for (const ref of referencesIn(e.resource)) if (REFERENCED.has(ref.split('/')[0] ?? '')) referenced.add(ref);
  for (const ref of [...referenced].sort()) {
    const target = repo.resolveReference(ref);
    if (target) entries.push({ resource: deepClone(target) });
  }
  return { resourceType: 'Bundle', type: 'searchset', total: entries.length, entry: entries };
}

export function slicePage(bundle: Bundle, offset: number, count: number): Bundle {
  const entry = (bundle.entry ?? []).slice(offset, offset + count);
  return { ...bundle, entry };
}
