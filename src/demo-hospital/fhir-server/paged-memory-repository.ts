/**
 * Medplum's MemoryRepository deep-clones every match before slicing out the requested page, and
 * re-evaluates FHIRPath inside the sort comparator. With one patient holding 10k Observations
 * that made `patient=…&_count=10` cost ~600 ms. This keeps its own view of what is stored,
 * computes sort keys once, clones only the page returned, and narrows `patient=` searches
 * with an index by patient reference. It adds what the memory repository lacks: `_include`
 * (the referenced resources of the page, search.mode "include") and 410 Gone for reads of
 * deleted resources, as R4 asks. Writes, history and matching stay Medplum's.
 */
import {
  deepClone,
  evalFhirPath,
  getSearchParameter,
  gone,
  matchesSearchRequest,
  Operator,
  OperationOutcomeError,
  type SearchRequest,
  type WithId,
} from '@medplum/core';
import { MemoryRepository } from '@medplum/fhir-router';
import type { Bundle, BundleEntry, Resource } from '@medplum/fhirtypes';

const REFERENCE = /^([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})$/;

export class PagedMemoryRepository extends MemoryRepository {
  readonly #byType = new Map<string, Map<string, Resource>>();
  /** "Observation|Patient/p1" → ids: a superset of what `patient=Patient/p1` matches. */
  readonly #byPatient = new Map<string, Set<string>>();
  /**
   * Ordered matches of recent searches, keyed by the search without its page window: a client
   * paging through 10k Observations otherwise costs a full match per page (quadratic), where
   * real servers keep a cursor. Any write clears it.
   */
  readonly #recentMatches = new Map<string, Resource[]>();
  /** "Observation/o1" of deleted resources, so reads answer 410 rather than 404. */
  readonly #deleted = new Set<string>();

  static #patientRef(resource: Resource): string | undefined {
    const r = resource as { subject?: { reference?: string }; patient?: { reference?: string } };
    const ref = r.subject?.reference ?? r.patient?.reference;
    return ref?.startsWith('Patient/') ? ref : undefined;
  }

  /** Candidates for the search, or undefined to scan the whole type. */
  #candidates(request: SearchRequest): Resource[] | undefined {
    const filter = request.filters?.find(
      (f) => (f.code === 'patient' || f.code === 'subject') && f.operator === Operator.EQUALS && !f.value.includes(','),
    );
    if (!filter) return undefined;
    const ofType = this.#byType.get(request.resourceType);
    const ids = this.#byPatient.get(`${request.resourceType}|${filter.value}`) ?? new Set<string>();
    return [...ids].map((id) => ofType?.get(id)).filter((r): r is Resource => r !== undefined);
  }

  override async createResource<T extends Resource>(resource: T): Promise<WithId<T>> {
    const stored = await super.createResource(resource);
    this.#recentMatches.clear();
    this.#deleted.delete(`${stored.resourceType}/${stored.id}`);
    let ofType = this.#byType.get(stored.resourceType);
    if (!ofType) this.#byType.set(stored.resourceType, (ofType = new Map()));
    // Our own frozen-by-convention copy: never handed out without deepClone.
    ofType.set(stored.id, deepClone(stored));
    const ref = PagedMemoryRepository.#patientRef(stored);
    if (ref) {
      const key = `${stored.resourceType}|${ref}`;
      let ids = this.#byPatient.get(key);
      if (!ids) this.#byPatient.set(key, (ids = new Set()));
      ids.add(stored.id);
    }
    return stored;
  }

  override async deleteResource(resourceType: string, id: string): Promise<void> {
    await super.deleteResource(resourceType, id);
    this.#recentMatches.clear();
    this.#deleted.add(`${resourceType}/${id}`);
    const existing = this.#byType.get(resourceType)?.get(id);
    const ref = existing && PagedMemoryRepository.#patientRef(existing);
    if (ref) this.#byPatient.get(`${resourceType}|${ref}`)?.delete(id);
    this.#byType.get(resourceType)?.delete(id);
  }

  override async readResource<T extends Resource>(resourceType: string, id: string): Promise<T> {
    if (this.#deleted.has(`${resourceType}/${id}`)) throw new OperationOutcomeError(gone);
    return super.readResource<T>(resourceType, id);
  }

  /** The stored resource a reference points at, if any (not cloned: callers clone). */
  resolveReference(reference: string | undefined): Resource | undefined {
    const match = REFERENCE.exec(reference ?? '');
    return match ? this.#byType.get(match[1] as string)?.get(match[2] as string) : undefined;
  }

  /** `_include` targets of one page, each once and none already on the page. */
  #included(page: readonly Resource[], request: SearchRequest): Resource[] {
    const seen = new Set(page.map((r) => `${r.resourceType}/${r.id ?? ''}`));
    const out: Resource[] = [];
    for (const include of request.include ?? []) {
      if (include.resourceType !== request.resourceType) continue;
      const expression = getSearchParameter(include.resourceType, include.searchParam)?.expression;
      if (!expression) continue;
      for (const resource of page) {
        for (const value of evalFhirPath(expression, resource)) {
          const target = this.resolveReference((value as { reference?: string } | undefined)?.reference);
          const key = target && `${target.resourceType}/${target.id ?? ''}`;
          if (!target || !key || seen.has(key) || (include.targetType && target.resourceType !== include.targetType)) continue;
          seen.add(key);
          out.push(target);
        }
      }
    }
    return out;
  }

  override clear(): void {
    super.clear();
    this.#recentMatches.clear();
    this.#deleted.clear();
    this.#byType.clear();
    this.#byPatient.clear();
  }

  #orderedMatches(request: SearchRequest): Resource[] {
    const matches: Resource[] = [];
    for (const resource of this.#candidates(request) ?? this.#byType.get(request.resourceType)?.values() ?? []) {
      if (matchesSearchRequest(resource, request)) matches.push(resource);
    }
    let ordered = matches;
    const rules = request.sortRules ?? [];
    if (rules.length > 0) {
      const keyed = matches.map((resource) => ({
        resource,
        keys: rules.map((rule) => {
          const expression = getSearchParameter(request.resourceType, rule.code)?.expression;
          return expression ? JSON.stringify(evalFhirPath(expression, resource)) : '';
        }),
      }));
      keyed.sort((a, b) => {
        for (let i = 0; i < rules.length; i++) {
          const c = (a.keys[i] as string).localeCompare(b.keys[i] as string);
          if (c !== 0) return rules[i]?.descending ? -c : c;
        }
        return 0;
      });
      ordered = keyed.map((k) => k.resource);
    }
    return ordered;
  }

  override async search<T extends Resource>(request: SearchRequest<T>): Promise<Bundle<WithId<T>>> {
    const key = JSON.stringify({ ...request, offset: undefined, count: undefined, include: undefined });
    let ordered = this.#recentMatches.get(key);
    if (!ordered) {
      ordered = this.#orderedMatches(request as SearchRequest);
      if (this.#recentMatches.size >= 32) this.#recentMatches.delete(this.#recentMatches.keys().next().value as string);
      this.#recentMatches.set(key, ordered);
    }
    const offset = request.offset ?? 0;
    const page = ordered.slice(offset, request.count !== undefined ? offset + request.count : undefined);
    const entry: BundleEntry<WithId<T>>[] = [
      ...page.map((r) => ({ resource: deepClone(r) as WithId<T>, search: { mode: 'match' as const } })),
      // Included resources are of other types; the Bundle type cannot say so.
      ...this.#included(page, request as SearchRequest).map((r) => ({
        resource: deepClone(r) as WithId<T>,
        search: { mode: 'include' as const },
      })),
    ];
    return {
      resourceType: 'Bundle',
      type: 'searchset',
      ...(entry.length > 0 ? { entry } : {}),
      total: ordered.length,
    };
  }
}
