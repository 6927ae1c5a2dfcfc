import type { Resource } from '@medplum/fhirtypes';
import type { SourcedResource } from '../source-adapter.ts';
import { readAllPages, type PagedResource, type PagingContext, type PagingLimits } from './bundle-pages.ts';
import type { FhirHttp } from './fhir-http.ts';
import type { FhirCensus } from '../../shared/config/sources/fhir.ts';

export interface WardQueryDeps {
  http: FhirHttp;
  pageSize: number;
  limits: PagingLimits;
  ctx: PagingContext;
  sourced(item: PagedResource, messageType: string): SourcedResource;
  validId(id: string): boolean;
  /** The CDR's census form (default: Encounters by the ward Location). */
  census?: FhirCensus | undefined;
}

/** Patients per results search: the ids go into the URL. */
const PATIENTS_PER_SEARCH = 50;

/**
 * The Locations above these (room above bed, ward above room) that the answer lacks: what places
 * a stay found by `location:below` on its ward, for servers without `_include:iterate`.
 */
async function parentsOf(
  items: readonly PagedResource[],
  deps: {
    search(type: string, params: Record<string, string>, signal: AbortSignal): Promise<PagedResource[]>;
    parents: Map<string, PagedResource>;
    validId(id: string): boolean;
  },
  signal: AbortSignal,
): Promise<PagedResource[]> {
  const { search, parents, validId } = deps;
  const have = new Set(items.flatMap((i) => (i.resource.resourceType === 'Location' ? [`Location/${i.resource.id ?? ''}`] : [])));
  const added: PagedResource[] = [];
  let next = items;
  for (let depth = 0; depth < 6; depth++) {
    const missing = [
      ...new Set(
        next.flatMap((i) => {
          const up = i.resource.resourceType === 'Location' ? i.resource.partOf?.reference : undefined;
          return up?.startsWith('Location/') && !have.has(up) && validId(up.slice(9)) ? [up] : [];
        }),
      ),
    ];
    if (missing.length === 0) break;
    const unknown = missing.filter((ref) => !parents.has(ref));
    if (unknown.length > 0)
      for (const item of await search('Location', { _id: unknown.map((ref) => ref.slice(9)).join(',') }, signal))
        if (item.resource.resourceType === 'Location') parents.set(`Location/${item.resource.id ?? ''}`, item);
    next = missing.flatMap((ref) => parents.get(ref) ?? []);
    for (const item of next) have.add(`Location/${item.resource.id ?? ''}`);
    added.push(...next);
  }
  return added;
}

/** The ward census and the ward's results, as standard FHIR searches (the worklist's queries). */
export function createWardQueries({
  http,
  pageSize,
  limits,
  ctx,
  sourced,
  validId,
  census: form = { form: 'encounter', locationBelow: false },
}: WardQueryDeps) {
  const search = (type: string, params: Record<string, string | string[]>, signal: AbortSignal): Promise<PagedResource[]> => {
    const query = new URLSearchParams();
    for (const [key, value] of Object.entries({ ...params, _count: String(pageSize) }))
      for (const one of Array.isArray(value) ? value : [value]) query.append(key, one);
    return readAllPages(http, `${type}?${query}`, signal, limits, ctx);
  };
  // Wards, their rooms and beds, and doctors keep their ids: looked up once per adapter, not per listing.
  const known = new Map<string, PagedResource[]>();
  const once = async (key: string, find: () => Promise<PagedResource[]>): Promise<PagedResource[]> => {
    const kept = known.get(key);
    if (kept) return kept;
    const found = await find();
    if (found.length > 0) known.set(key, found);
    return found;
  };
  const byIdentifier = (type: 'Location' | 'Practitioner', codes: readonly string[], signal: AbortSignal): Promise<PagedResource[]> =>
    codes.length === 0
      ? Promise.resolve([])
      : once(`${type}?${[...codes].sort().join(',')}`, async () =>
          (await search(type, { identifier: codes.join(',') }, signal)).filter((f) => f.resource.resourceType === type && f.resource.id),
        );
  const refsOf = (items: readonly PagedResource[]): string[] => items.map((f) => `${f.resource.resourceType}/${f.resource.id!}`);
  /** The rooms and beds under these wards, level by level (`Location?partof=`), for servers without `location:below`. */
  const descendants = (wards: readonly PagedResource[], signal: AbortSignal): Promise<PagedResource[]> =>
    once(`children?${refsOf(wards).sort().join(',')}`, async () => {
      const seen = new Set(refsOf(wards));
      const all = [...wards];
      let frontier = refsOf(wards);
      for (let depth = 0; frontier.length > 0 && depth < 6; depth++) {
        const found = await search('Location', { partof: frontier.join(',') }, signal);
        frontier = [];
        for (const item of found) {
          const ref = `Location/${item.resource.id ?? ''}`;
          if (item.resource.resourceType !== 'Location' || !item.resource.id || seen.has(ref)) continue;
          seen.add(ref);
          frontier.push(ref);
          all.push(item);
        }
      }
      return all;
    });
  // Rooms between a bed and its ward, read by id once and kept.
  const parents = new Map<string, PagedResource>();
  const encounters = (by: Record<string, string | string[]>, signal: AbortSignal): Promise<PagedResource[]> =>
    search('Encounter', { status: 'in-progress', _include: 'Encounter:subject', ...by }, signal);

  /** Who is on the wards, in the CDR's configured form; the Locations and Groups come along so the census can place each stay. */
  async function onWards(wards: readonly string[], signal: AbortSignal): Promise<PagedResource[]> {
    if (wards.length === 0) return [];
    if (form.form === 'group') {
      // The Group changes with every admission: asked each time, with its members.
      const groups = await search('Group', { identifier: wards.join(','), _include: 'Group:member' }, signal);
      const members = [
        ...new Set(
          groups.flatMap((g) =>
            g.resource.resourceType === 'Group'
              ? (g.resource.member ?? []).flatMap((m) =>
                  !m.inactive && m.entity.reference?.startsWith('Patient/') ? [m.entity.reference] : [],
                )
              : [],
          ),
        ),
      ].filter((ref) => validId(ref.slice(8)));
      const chunks = Array.from({ length: Math.ceil(members.length / PATIENTS_PER_SEARCH) }, (_, i) =>
        members.slice(i * PATIENTS_PER_SEARCH, (i + 1) * PATIENTS_PER_SEARCH),
      );
      const found = await Promise.all(chunks.map((chunk) => encounters({ subject: chunk.join(',') }, signal)));
      return [...groups.filter((g) => g.resource.resourceType === 'Group'), ...found.flat()];
    }
    const locations = await byIdentifier('Location', wards, signal);
    if (locations.length === 0) return [];
    if (form.form === 'encounter') return encounters({ location: refsOf(locations).join(',') }, signal);
    if (form.locationBelow) {
      // The beds and rooms come along (with their partOf chain) so each stay can be placed on its ward.
      const below = await encounters(
        { 'location:below': refsOf(locations).join(','), _include: ['Encounter:subject', 'Encounter:location'] },
        signal,
      );
      return [...locations, ...below, ...(await parentsOf([...locations, ...below], { search, parents, validId }, signal))];
    }
    const tree = await descendants(locations, signal);
    return [...tree, ...(await encounters({ location: refsOf(tree).join(',') }, signal))];
  }

  return {
    async census(
      { wards, practitionerId }: { wards: readonly string[]; practitionerId?: string },
      signal: AbortSignal,
    ): Promise<SourcedResource[]> {
      // Standard steps only (chained identifier searches are not offered everywhere): the ward's
      // resources by identifier, then the Encounters that reference them.
      const [ward, attended] = await Promise.all([
        onWards(wards, signal),
        byIdentifier('Practitioner', practitionerId ? [practitionerId] : [], signal).then((ids) =>
          ids.length > 0 ? encounters({ participant: refsOf(ids).join(',') }, signal) : [],
        ),
      ]);
      const kept = new Set(['Encounter', 'Patient', 'Location', 'Group']);
      const seen = new Set<string>();
      return [...ward, ...attended].flatMap((item) => {
        const key = `${item.resource.resourceType}/${item.resource.id ?? ''}`;
        if (seen.has(key) || !kept.has(item.resource.resourceType)) return [];
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
