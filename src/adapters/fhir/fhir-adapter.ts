/**
 * The FHIR R4 source adapter: patient search, whole-record fetch ($everything when the server
 * offers it, else concurrent per-type searches with _include for referenced resources outside
 * the patient compartment), conditional reads, and a health probe, all over ky.
 */
import type { Bundle, CapabilityStatement, Patient, Resource } from '@medplum/fhirtypes';
import type { FhirSourceConfig } from '../../shared/config/schema.ts';
import type {
  FetchOptions,
  PatientQuery,
  ProbeResult,
  RecordFetchOptions,
  SourceAdapter,
  SourceDescriptor,
  SourcedResource,
} from '../source-adapter.ts';
import { readablePatients } from './readable-patient.ts';
import { SourceError } from '../source-error.ts';
import { createAuthProvider } from './auth/create-auth-provider.ts';
import { readAllPages, type PagedResource } from './bundle-pages.ts';
import { createFhirHttp, type ResponseInfo } from './fhir-http.ts';
import { patientQueryReadings, toSearchParams } from '../query/patient-query.ts';
import { capabilityCache } from './capability-cache.ts';
import { describeVersion, readCapabilities, type ServerCapabilities } from './server-capabilities.ts';
import { probeFailure } from '../probe-outcome.ts';
import { createWardQueries } from './ward-queries.ts';

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
export type ReadResult =
  { status: 'ok'; resource: SourcedResource; etag?: string } | { status: 'not-modified'; etag: string; fetchedAt: string };

export interface ReadOptions extends FetchOptions {
  /** The ETag of the copy the caller holds; a 304 then comes back as not-modified. */
  etag?: string;
}

/** The FHIR adapter offers, beside the SourceAdapter contract, conditional reads for the cache. */
export interface FhirSourceAdapter extends SourceAdapter {
  readResource(reference: string, options: ReadOptions): Promise<ReadResult>;
  /**
   * The ward census: in-progress Encounters on these wards (Location by identifier, with its
   * child Locations, or the ward's Group: `census.form`) or attended by this practitioner
   * (Practitioner by identifier), with their Patients (`_include`) and the ward's Locations or Groups.
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
  const capabilities = capabilityCache(http);

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

  const wardQueries = createWardQueries({ http, pageSize, limits, ctx, sourced, validId: (id) => FHIR_ID.test(id), census: config.census });

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

  async function fetchPerType(
    id: string,
    since: string | undefined,
    caps: ServerCapabilities,
    signal: AbortSignal,
  ): Promise<PagedResource[]> {
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

    async searchPatients(query: PatientQuery, { signal, onWarnings }: FetchOptions): Promise<SourcedResource<Patient>[]> {
      let skipped = 0;
      const answers = await Promise.all(
        patientQueryReadings(query.text).map(async (reading) => {
          const params = toSearchParams(reading);
          params.set('_count', String(searchLimit));
          // One page: a clinician refines a query rather than scrolling past the search limit.
          const { resource: bundle, fetchedAt } = await http.get<Bundle>(`Patient?${params}`, 'Bundle', signal);
          const { patients, skipped: left } = readablePatients(bundle);
          skipped += left;
          return patients.map((resource) => sourced({ resource, fetchedAt }, 'FHIR search'));
        }),
      );
      if (skipped > 0) onWarnings?.([{ code: 'record-skipped', count: skipped }]);
      const byId = new Map<string, SourcedResource<Patient>>();
      for (const [i, hit] of answers.flat().entries()) if (!byId.has(hit.resource.id ?? `#${i}`)) byId.set(hit.resource.id ?? `#${i}`, hit);
      return [...byId.values()].slice(0, searchLimit);
    },

    async fetchRecord(sourcePatientId: string, { signal, since }: RecordFetchOptions): Promise<SourcedResource[]> {
      if (!FHIR_ID.test(sourcePatientId)) {
        throw new SourceError('bad-request', config.id, `${config.name}: "${sourcePatientId.slice(0, 70)}" is not a FHIR resource id`);
      }
      const caps = await capabilities.get(signal);
      const viaEverything = caps.everything;
      const items = viaEverything
        ? await fetchEverything(sourcePatientId, since, signal)
        : await fetchPerType(sourcePatientId, since, caps, signal);
      // A record repeated unchanged (pages that overlap) is sent once; one repeated with other
      // content is passed on, so the data-quality checks report the duplicate id instead of it vanishing.
      const seen = new Map<string, Resource>();
      const out: SourcedResource[] = [];
      for (const item of items) {
        const key = `${item.resource.resourceType}/${item.resource.id ?? ''}`;
        const first = item.resource.id ? seen.get(key) : undefined;
        if (first !== undefined && JSON.stringify(first) === JSON.stringify(item.resource)) continue;
        if (first === undefined && item.resource.id) seen.set(key, item.resource);
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
      return [...encounters.filter((e) => e.resource.resourceType === 'Encounter'), ...studies].map((item) =>
        sourced(item, 'FHIR search (care context)'),
      );
    },

    fetchCensus: (query, { signal }) => wardQueries.census(query, signal),
    fetchResults: (patientIds, since, { signal }) => wardQueries.results(patientIds, since, signal),

    async readResource(reference: string, { signal, etag }: ReadOptions): Promise<ReadResult> {
      const match = FHIR_REFERENCE.exec(reference);
      if (!match)
        throw new SourceError('bad-request', config.id, `${config.name}: "${reference.slice(0, 70)}" is not a FHIR reference (Type/id)`);
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
        capabilities.remember(caps);
        return { reachable: true, latencyMs: latency(), protocolVersion: describeVersion(caps), authOk: true };
      } catch (error) {
        return probeFailure(error, latency());
      }
    },
  };
}
