import type { Resource } from '@medplum/fhirtypes';
import type { SourcedResource } from '../source-adapter.ts';
import { readAllPages, type PagedResource, type PagingContext, type PagingLimits } from './bundle-pages.ts';
import type { FhirHttp } from './fhir-http.ts';

export interface WardQueryDeps {
  http: FhirHttp;
  pageSize: number;
  limits: PagingLimits;
  ctx: PagingContext;
  sourced(item: PagedResource, messageType: string): SourcedResource;
  validId(id: string): boolean;
}

/** Patients per results search: the ids go into the URL. */
const PATIENTS_PER_SEARCH = 50;

/** The ward census and the ward's results, as standard FHIR searches (the worklist's queries). */
export function createWardQueries({ http, pageSize, limits, ctx, sourced, validId }: WardQueryDeps) {
  // Wards and doctors keep their ids: each code is looked up once per adapter, not per listing.
  const censusIds = new Map<string, string[]>();
  const idsOf = async (type: 'Location' | 'Practitioner', codes: readonly string[], signal: AbortSignal): Promise<string[]> => {
    const key = `${type}?${[...codes].sort().join(',')}`;
    if (codes.length === 0) return [];
    const known = censusIds.get(key);
    if (known) return known;
    const found = await readAllPages(
      http,
      `${type}?${new URLSearchParams({ identifier: codes.join(','), _count: String(pageSize) })}`,
      signal,
      limits,
      ctx,
    );
    const ids = found.filter((f) => f.resource.resourceType === type && f.resource.id).map((f) => `${type}/${f.resource.id!}`);
    if (ids.length > 0) censusIds.set(key, ids);
    return ids;
  };
  return {
    async census(
      { wards, practitionerId }: { wards: readonly string[]; practitionerId?: string },
      signal: AbortSignal,
    ): Promise<SourcedResource[]> {
      // Two standard steps (chained identifier searches are not offered everywhere): the
      // Location / Practitioner ids for the codes, then the Encounters that reference them.
      const [locations, practitioners] = await Promise.all([
        idsOf('Location', wards, signal),
        idsOf('Practitioner', practitionerId ? [practitionerId] : [], signal),
      ]);
      const searches: Record<string, string>[] = [
        ...(locations.length ? [{ location: locations.join(',') }] : []),
        ...(practitioners.length ? [{ participant: practitioners.join(',') }] : []),
      ];
      const pages = await Promise.all(
        searches.map((by) =>
          readAllPages(
            http,
            `Encounter?${new URLSearchParams({ ...by, status: 'in-progress', _include: 'Encounter:subject', _count: String(pageSize) })}`,
            signal,
            limits,
            ctx,
          ),
        ),
      );
      const seen = new Set<string>();
      return pages.flat().flatMap((item) => {
        const key = `${item.resource.resourceType}/${item.resource.id ?? ''}`;
        if (seen.has(key) || (item.resource.resourceType !== 'Encounter' && item.resource.resourceType !== 'Patient')) return [];
        seen.add(key);
        return [sourced(item, 'FHIR search (census)')];
      });
    },

    async results(patientIds: readonly string[], since: string | undefined, signal: AbortSignal): Promise<SourcedResource[]> {
      const ids = patientIds.filter(validId);
      const chunks = Array.from({ length: Math.ceil(ids.length / PATIENTS_PER_SEARCH) }, (_, i) =>
        ids.slice(i * PATIENTS_PER_SEARCH, (i + 1) * PATIENTS_PER_SEARCH),
      );
      const pages = await Promise.all(
        chunks.flatMap((chunk) => {
          const patient = chunk.map((id) => `Patient/${id}`).join(',');
          return [
            readAllPages(
              http,
              `Observation?${new URLSearchParams({ patient, ...(since ? { date: `ge${since}` } : {}), _count: String(pageSize) })}`,
              signal,
              limits,
              ctx,
            ),
            readAllPages(http, `AllergyIntolerance?${new URLSearchParams({ patient, _count: String(pageSize) })}`, signal, limits, ctx),
          ];
        }),
      );
      return pages
        .flat()
        .filter(
          (item: { resource: Resource }) =>
            item.resource.resourceType === 'Observation' || item.resource.resourceType === 'AllergyIntolerance',
        )
        .map((item) => sourced(item, 'FHIR search (ward results)'));
    },
  };
}
