/**
 * The FHIR R4 source adapter: patient search, whole-record fetch ($everything when the server
 * offers it, else concurrent per-type searches with _include for referenced resources outside
 * the patient compartment), conditional reads, and a health probe, all over ky.
 */
import type { Bundle, CapabilityStatement, Patient, Resource } from '@medplum/fhirtypes';
import type { FhirSourceConfig } from '../../shared/config/schema.ts';
import type { FetchOptions, PatientQuery, ProbeResult, RecordFetchOptions, SourceAdapter, SourceDescriptor, SourcedResource } from '../source-adapter.ts';
import { SourceError } from '../source-error.ts';
import { createAuthProvider } from './auth/create-auth-provider.ts';
import { readAllPages, type PagedResource } from './bundle-pages.ts';
import { createFhirHttp, type ResponseInfo } from './fhir-http.ts';
import { patientQueryReadings, toSearchParams } from '../query/patient-query.ts';
import { describeVersion, readCapabilities, type ServerCapabilities } from './server-capabilities.ts';
import { probeFailure } from '../probe-outcome.ts';

/** What a record is made of when the server has no $everything. */
export const RECORD_TYPES = [
  'Encounter',
  'Condition',
  'Observation',
  'DiagnosticReport',
  'MedicationRequest',
  'MedicationStatement',
  'AllergyIntolerance',
  'Procedure',
  'Immunization',
  'ImagingStudy',
  'DocumentReference',
  'ServiceRequest',
  'CarePlan',
] as const;
export type RecordType = (typeof RECORD_TYPES)[number];

/**
 * Referenced resources outside the patient compartment, which a per-type search would miss and
 * a client would otherwise read one by one. Asked only where the CapabilityStatement lists them:
 * some servers silently answer nothing to a parameter they do not know. DiagnosticReport:result
 * is not here: its Observations come with the Observation search anyway, so including them
 * would only send them twice (bench/suites/fhir-record.ts measures it).
 */
export const RECORD_INCLUDES: Partial<Record<RecordType, readonly string[]>> = {
  MedicationRequest: ['MedicationRequest:medication'],
  MedicationStatement: ['MedicationStatement:medication'],
  DiagnosticReport: ['DiagnosticReport:performer'],
  Encounter: ['Encounter:service-provider'],
};

/** What readResource answers: the resource, or that the caller's copy (by ETag) is current. */
export type ReadResult = { status: 'ok'; resource: SourcedResource; etag?: string } | { status: 'not-modified'; etag: string; fetchedAt: string };

export interface ReadOptions extends FetchOptions {
  /** The ETag of the copy the caller holds; a 304 then comes back as not-modified. */
  etag?: string;
}

/** The FHIR adapter offers, beside the SourceAdapter contract, conditional reads for the cache. */
export interface FhirSourceAdapter extends SourceAdapter {
  readResource(reference: string, options: ReadOptions): Promise<ReadResult>;
  /**
   * The ward census: in-progress Encounters on these wards (Location by identifier) or attended
   * by this practitioner (Practitioner by identifier), with their Patients (`_include`).
   */
  fetchCensus(query: { wards: readonly string[]; practitionerId?: string }, options: FetchOptions): Promise<SourcedResource[]>;
  /** Observations of many patients at once (a ward), taken on or after `since`, and their allergies: one search of each per 50 patients. */
  fetchResults(patientIds: readonly string[], since: string | undefined, options: FetchOptions): Promise<SourcedResource[]>;
}

export interface FhirAdapterOptions {
  /** _count asked of the server per page (default 200). */
  pageSize?: number;
  /** Page cap per search (default 200); beyond it the fetch fails rather than truncates. */
  maxPages?: number;
  /** Patients returned by one search (default 50). */
  searchLimit?: number;
  /** Use RECORD_INCLUDES where the server offers them (default true). */
  includes?: boolean;
  /** Extra _include values per type, e.g. { DiagnosticReport: ['DiagnosticReport:result'] } (still capability-gated). */
  extraIncludes?: Partial<Record<RecordType, readonly string[]>>;
  /** Told of every answered request: pages, bytes (benchmarks, metrics). */
  onResponse?: (info: ResponseInfo) => void;
}

const FHIR_ID = /^[A-Za-z0-9\-.]{1,64}$/;
const FHIR_REFERENCE = /^([A-Z][A-Za-z]{1,63})\/([A-Za-z0-9\-.]{1,64})$/;

export function createFhirAdapter(config: FhirSourceConfig, options: FhirAdapterOptions = {}): FhirSourceAdapter {
  const source: SourceDescriptor = { id: config.id, name: config.name, kind: 'fhir' };
  const http = createFhirHttp({
    sourceId: config.id,
    sourceName: config.name,
    baseUrl: config.baseUrl,
    auth: createAuthProvider(config),
    timeoutMs: config.resilience.timeoutMs,
    ...(options.onResponse ? { onResponse: options.onResponse } : {}),
  });
  const pageSize = options.pageSize ?? 200;
  const limits = { maxPages: options.maxPages ?? 200 };
  const searchLimit = options.searchLimit ?? 50;
  const ctx = { sourceId: config.id, sourceName: config.name };
  let capabilities: Promise<ServerCapabilities> | undefined;
  const censusIds = new Map<string, string[]>();

  const sourced = <R extends Resource>(item: { resource: R; fetchedAt: string }, messageType: string): SourcedResource<R> => ({
    resource: item.resource,
    provenance: {
      sourceId: config.id,
      sourceName: config.name,
      sourceKind: 'fhir',
      nativeId: `${item.resource.resourceType}/${item.resource.id ?? ''}`,
      messageType,
      fetchedAt: item.fetchedAt,
    },
  });

  async function loadCapabilities(signal: AbortSignal): Promise<ServerCapabilities> {
    try {
      const { resource } = await http.get<CapabilityStatement>('metadata', 'CapabilityStatement', signal);
      return readCapabilities(resource);
    } catch (error) {
      // A server without /metadata still serves searches: assume the plain R4 minimum.
      if (error instanceof SourceError && error.code === 'not-found') return { everything: false };
      throw error;
    }
  }

  /** Cached per adapter; a failed lookup is forgotten so the next call asks again. */
  function getCapabilities(signal: AbortSignal): Promise<ServerCapabilities> {
    if (!capabilities) {
      const pending = loadCapabilities(signal);
      capabilities = pending;
      pending.catch(() => {
        if (capabilities === pending) capabilities = undefined;
      });
    }
    return capabilities;
  }

  async function fetchEverything(id: string, since: string | undefined, signal: AbortSignal): Promise<PagedResource[]> {
    const params = new URLSearchParams({ _count: String(pageSize) });
    if (since) params.set('_since', since);
    return readAllPages(http, `Patient/${encodeURIComponent(id)}/$everything?${params}`, signal, limits, ctx);
  }

  function includesFor(type: RecordType, caps: ServerCapabilities): string[] {
    const wanted = [...(options.includes === false ? [] : (RECORD_INCLUDES[type] ?? [])), ...(options.extraIncludes?.[type] ?? [])];
    const offered = caps.searchIncludes?.get(type);
    return wanted.filter((i) => offered?.has(i));
  }

  async function fetchPerType(id: string, since: string | undefined, caps: ServerCapabilities, signal: AbortSignal): Promise<PagedResource[]> {
    const types = RECORD_TYPES.filter((t) => !caps.searchableTypes || caps.searchableTypes.has(t));
    // One failing search cancels its siblings: the record is fetched whole or reported failed.
    const group = new AbortController();
    const linked = AbortSignal.any([signal, group.signal]);
    const guard = <T>(p: Promise<T>): Promise<T> =>
      p.catch((error: unknown) => {
        group.abort();
        throw error;
      });
    const patient = guard(http.get<Patient>(`Patient/${encodeURIComponent(id)}`, 'Patient', linked)).then((r) =>
      !since || (r.resource.meta?.lastUpdated ?? '9999') > since ? [r] : [],
    );
    const searches = types.map((type) => {
      const params = new URLSearchParams({ patient: `Patient/${id}`, _count: String(pageSize) });
      if (since) params.set('_lastUpdated', `gt${since}`);
      for (const include of includesFor(type, caps)) params.append('_include', include);
      return guard(readAllPages(http, `${type}?${params}`, linked, limits, ctx));
    });
    // Promise.all rejects with the first failure, before the siblings' "cancelled" ones.
    const results = await Promise.all([patient, ...searches]);
    return results.flat();
  }

  return {
    source,

    searches(query: PatientQuery): boolean {
      return patientQueryReadings(query.text).length > 0;
    },

    async searchPatients(query: PatientQuery, { signal }: FetchOptions): Promise<SourcedResource<Patient>[]> {
      const answers = await Promise.all(
        patientQueryReadings(query.text).map(async (reading) => {
          const params = toSearchParams(reading);
          params.set('_count', String(searchLimit));
          // One page: a clinician refines a query rather than scrolling past the search limit.
          const { resource: bundle, fetchedAt } = await http.get<Bundle>(`Patient?${params}`, 'Bundle', signal);
          return (bundle.entry ?? [])
            .map((e) => e.resource)
            .filter((r): r is Patient => r?.resourceType === 'Patient')
            .map((resource) => sourced({ resource, fetchedAt }, 'FHIR search'));
        }),
      );
      const byId = new Map<string, SourcedResource<Patient>>();
      for (const [i, hit] of answers.flat().entries()) {
        const key = hit.resource.id ?? `#${i}`;
        if (!byId.has(key)) byId.set(key, hit);
      }
      return [...byId.values()].slice(0, searchLimit);
    },

    async fetchRecord(sourcePatientId: string, { signal, since }: RecordFetchOptions): Promise<SourcedResource[]> {
      if (!FHIR_ID.test(sourcePatientId)) {
        throw new SourceError('bad-request', config.id, `${config.name}: "${sourcePatientId.slice(0, 70)}" is not a FHIR resource id`);
      }
      const caps = await getCapabilities(signal);
      const viaEverything = caps.everything;
      const items = viaEverything ? await fetchEverything(sourcePatientId, since, signal) : await fetchPerType(sourcePatientId, since, caps, signal);
      const seen = new Set<string>();
      const out: SourcedResource[] = [];
      for (const item of items) {
        const key = `${item.resource.resourceType}/${item.resource.id ?? ''}`;
        if (item.resource.id && seen.has(key)) continue;
        seen.add(key);
        out.push(sourced(item, viaEverything ? 'FHIR Patient/$everything' : 'FHIR search'));
      }
      return out;
    },

    async fetchCareContext(sourcePatientId: string, { signal }: FetchOptions): Promise<SourcedResource[]> {
      if (!FHIR_ID.test(sourcePatientId)) {
        throw new SourceError('bad-request', config.id, `${config.name}: "${sourcePatientId.slice(0, 70)}" is not a FHIR resource id`);
      }
      const patient = `Patient/${sourcePatientId}`;
      // Encounters (ward, attending) whole; of imaging only whether there is any: one study at most.
      const [encounters, imaging] = await Promise.all([
        readAllPages(http, `Encounter?${new URLSearchParams({ patient, _count: String(pageSize) })}`, signal, limits, ctx),
        http.get<Bundle>(`ImagingStudy?${new URLSearchParams({ patient, _count: '1' })}`, 'Bundle', signal),
      ]);
      const studies = (imaging.resource.entry ?? [])
        .map((e) => e.resource)
        .filter((r): r is Resource => r?.resourceType === 'ImagingStudy')
        .slice(0, 1)
        .map((resource) => ({ resource, fetchedAt: imaging.fetchedAt }));
      return [...encounters.filter((e) => e.resource.resourceType === 'Encounter'), ...studies].map((item) => sourced(item, 'FHIR search (care context)'));
    },

    async fetchCensus({ wards, practitionerId }, { signal }: FetchOptions): Promise<SourcedResource[]> {
      // Two standard steps (chained identifier searches are not offered everywhere): the
      // Location / Practitioner ids for the codes, then the Encounters that reference them.
      // Wards and doctors keep their ids: each code is looked up once per adapter, not per listing.
      const idsOf = async (type: 'Location' | 'Practitioner', codes: readonly string[]) => {
        const key = `${type}?${[...codes].sort().join(',')}`;
        if (codes.length === 0) return [];
        const known = censusIds.get(key);
        if (known) return known;
        const found = await readAllPages(http, `${type}?${new URLSearchParams({ identifier: codes.join(','), _count: String(pageSize) })}`, signal, limits, ctx);
        const ids = found.filter((f) => f.resource.resourceType === type && f.resource.id).map((f) => `${type}/${f.resource.id!}`);
        if (ids.length > 0) censusIds.set(key, ids);
        return ids;
      };
      const [locations, practitioners] = await Promise.all([idsOf('Location', wards), idsOf('Practitioner', practitionerId ? [practitionerId] : [])]);
      const searches: Record<string, string>[] = [
        ...(locations.length ? [{ location: locations.join(',') }] : []),
        ...(practitioners.length ? [{ participant: practitioners.join(',') }] : []),
      ];
      const pages = await Promise.all(
        searches.map((by) => readAllPages(http, `Encounter?${new URLSearchParams({ ...by, status: 'in-progress', _include: 'Encounter:subject', _count: String(pageSize) })}`, signal, limits, ctx)),
      );
      const seen = new Set<string>();
      return pages.flat().flatMap((item) => {
        const key = `${item.resource.resourceType}/${item.resource.id ?? ''}`;
        if (seen.has(key) || (item.resource.resourceType !== 'Encounter' && item.resource.resourceType !== 'Patient')) return [];
        seen.add(key);
        return [sourced(item, 'FHIR search (census)')];
      });
    },

    async fetchResults(patientIds, since, { signal }: FetchOptions): Promise<SourcedResource[]> {
      const ids = patientIds.filter((id) => FHIR_ID.test(id));
      const chunks = Array.from({ length: Math.ceil(ids.length / 50) }, (_, i) => ids.slice(i * 50, i * 50 + 50));
      const pages = await Promise.all(
        chunks.flatMap((chunk) => {
          const patient = chunk.map((id) => `Patient/${id}`).join(',');
          return [
            readAllPages(http, `Observation?${new URLSearchParams({ patient, ...(since ? { date: `ge${since}` } : {}), _count: String(pageSize) })}`, signal, limits, ctx),
            readAllPages(http, `AllergyIntolerance?${new URLSearchParams({ patient, _count: String(pageSize) })}`, signal, limits, ctx),
          ];
        }),
      );
      return pages
        .flat()
        .filter((item) => item.resource.resourceType === 'Observation' || item.resource.resourceType === 'AllergyIntolerance')
        .map((item) => sourced(item, 'FHIR search (ward results)'));
    },

    async readResource(reference: string, { signal, etag }: ReadOptions): Promise<ReadResult> {
      const match = FHIR_REFERENCE.exec(reference);
      if (!match) throw new SourceError('bad-request', config.id, `${config.name}: "${reference.slice(0, 70)}" is not a FHIR reference (Type/id)`);
      const type = match[1] as Resource['resourceType'];
      const answer = await http.getConditional<Resource>(`${type}/${match[2] as string}`, type, signal, etag);
      if (answer.notModified) return { status: 'not-modified', etag: answer.etag, fetchedAt: answer.fetchedAt };
      return { status: 'ok', resource: sourced(answer, 'FHIR read'), ...(answer.etag ? { etag: answer.etag } : {}) };
    },

    async probe({ signal }: FetchOptions): Promise<ProbeResult> {
      const started = performance.now();
      const latency = (): number => Math.round(performance.now() - started);
      try {
        const { resource } = await http.get<CapabilityStatement>('metadata', 'CapabilityStatement', signal);
        const caps = readCapabilities(resource);
        capabilities = Promise.resolve(caps);
        return { reachable: true, latencyMs: latency(), protocolVersion: describeVersion(caps), authOk: true };
      } catch (error) {
        return probeFailure(error, latency());
      }
    },
  };
}
