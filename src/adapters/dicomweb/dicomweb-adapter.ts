/**
 * The DICOMweb source adapter: a PACS's patients and imaging studies as FHIR R4 (Patient,
 * ImagingStudy, Endpoint) from QIDO-RS, over dicomweb-client, with standard paths only.
 */
import type { Patient, Resource } from '@medplum/fhirtypes';
import type { DicomwebSourceConfig } from '../../shared/config/sources/dicomweb.ts';
import type {
  FetchOptions,
  PatientQuery,
  ProbeResult,
  RecordFetchOptions,
  SourceAdapter,
  SourceDescriptor,
  SourcedResource,
} from '../source-adapter.ts';
import { SourceError } from '../source-error.ts';
import { TAG, personName, text, type DicomJsonDataset } from './dicom-json.ts';
import { endpointFromConfig } from './dicomweb-transport.ts';
import { dicomwebEndpoint, toImagingStudy } from './imaging-study.ts';
import { collapsePatients, patientIdFromResourceId } from './patient-mapping.ts';
import { planPatientSearch } from './patient-query.ts';
import type { QueryPairs } from './qido-http.ts';
import { searchSeries, searchStudies } from './qido.ts';
import { probeFailure } from '../probe-outcome.ts';

export interface DicomwebAdapterOptions {
  /** Studies asked for per search query (default 200). */
  studySearchLimit?: number;
  /** Series queries in flight at once for one record (default 4). */
  seriesConcurrency?: number;
}

async function mapLimited<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

export function createDicomwebAdapter(config: DicomwebSourceConfig, options: DicomwebAdapterOptions = {}): SourceAdapter {
  const source: SourceDescriptor = { id: config.id, name: config.name, kind: 'dicomweb' };
  const endpoint = endpointFromConfig(config);
  const studyLimit = String(options.studySearchLimit ?? 200);
  const seriesConcurrency = options.seriesConcurrency ?? 4;

  const sourced = <R extends Resource>(resource: R, nativeId: string, fetchedAt: string): SourcedResource<R> => ({
    resource,
    provenance: { sourceId: config.id, sourceName: config.name, sourceKind: 'dicomweb', nativeId, messageType: 'QIDO-RS', fetchedAt },
  });

  /** A PatientID means something only with its issuer, where the source names one. */
  const withIssuer = (query: Record<string, string>): QueryPairs => {
    const pairs = Object.entries(query);
    return config.issuerOfPatientId && query.PatientID ? [...pairs, ['IssuerOfPatientID', config.issuerOfPatientId]] : pairs;
  };

  function patientsOf(studies: readonly DicomJsonDataset[], fetchedAt: string): SourcedResource<Patient>[] {
    return collapsePatients(studies, config.issuerOfPatientId, config.id).map((p) => {
      const pid = p.identifier?.[0]?.value ?? p.id ?? '';
      return sourced(p, pid, fetchedAt);
    });
  }

  return {
    source,

    searches(query: PatientQuery): boolean {
      return planPatientSearch(query.text) !== undefined;
    },

    async searchPatients(query: PatientQuery, { signal }: FetchOptions): Promise<SourcedResource<Patient>[]> {
      const plan = planPatientSearch(query.text);
      if (!plan) return [];
      const answers = await Promise.all(
        plan.queries.map((q) => searchStudies(endpoint, [...withIssuer(q), ['limit', studyLimit]], signal)),
      );
      const fetchedAt = new Date().toISOString();
      const seen = new Set<string>();
      const studies = answers.flat().filter((s) => {
        const uid = text(s, TAG.StudyInstanceUID) ?? '';
        if (seen.has(uid)) return false;
        seen.add(uid);
        return plan.keep(personName(s, TAG.PatientName));
      });
      return patientsOf(studies, fetchedAt);
    },

    async fetchRecord(sourcePatientId: string, { signal }: RecordFetchOptions): Promise<SourcedResource[]> {
      // QIDO-RS has no "changed since": `since` is ignored and the whole (small) study list returned.
      const patientId = patientIdFromResourceId(sourcePatientId);
      if (!patientId)
        throw new SourceError(
          'bad-request',
          config.id,
          `${config.name}: "${sourcePatientId.slice(0, 70)}" is not a patient id of this PACS`,
        );
      const studies = await searchStudies(endpoint, withIssuer({ PatientID: patientId }), signal);
      // Exact PatientID only: some servers treat the value as a pattern or match case-insensitively.
      const own = studies.filter((s) => text(s, TAG.PatientID) === patientId);
      if (own.length === 0) return [];
      const seriesPerStudy = await mapLimited(own, seriesConcurrency, (s) => {
        const uid = text(s, TAG.StudyInstanceUID);
        return uid ? searchSeries(endpoint, uid, signal) : Promise.resolve([]);
      });
      const fetchedAt = new Date().toISOString();
      const patients = patientsOf(own, fetchedAt);
      const patient = patients[0]?.resource;
      const display = patient?.name?.[0]?.text;
      const patientReference = { reference: `Patient/${sourcePatientId}`, ...(display ? { display } : {}) };
      const out: SourcedResource[] = [...patients];
      out.push(sourced(dicomwebEndpoint(config.id, config.name, endpoint.baseUrl), endpoint.baseUrl, fetchedAt));
      own.forEach((study, i) => {
        const resource = toImagingStudy(study, seriesPerStudy[i] ?? [], {
          sourceId: config.id,
          patientReference,
          ...(config.timezoneOffset ? { timezoneOffset: config.timezoneOffset } : {}),
        });
        if (resource) out.push(sourced(resource, text(study, TAG.StudyInstanceUID) ?? '', fetchedAt));
      });
      return out;
    },

    async fetchCareContext(sourcePatientId: string, { signal }: FetchOptions): Promise<SourcedResource[]> {
      // Whether the patient has imaging, at study level only: no series, no instances.
      const patientId = patientIdFromResourceId(sourcePatientId);
      if (!patientId)
        throw new SourceError(
          'bad-request',
          config.id,
          `${config.name}: "${sourcePatientId.slice(0, 70)}" is not a patient id of this PACS`,
        );
      const studies = await searchStudies(endpoint, withIssuer({ PatientID: patientId }), signal);
      const fetchedAt = new Date().toISOString();
      const patientReference = { reference: `Patient/${sourcePatientId}` };
      return studies
        .filter((s) => text(s, TAG.PatientID) === patientId)
        .flatMap((study) => {
          const resource = toImagingStudy(study, [], { sourceId: config.id, patientReference });
          return resource ? [sourced(resource, text(study, TAG.StudyInstanceUID) ?? '', fetchedAt)] : [];
        });
    },

    async probe({ signal }: FetchOptions): Promise<ProbeResult> {
      const started = performance.now();
      const latency = (): number => Math.round(performance.now() - started);
      try {
        await searchStudies(endpoint, [['limit', '1']], signal);
        return { reachable: true, latencyMs: latency(), protocolVersion: 'DICOMweb QIDO-RS', authOk: true };
      } catch (error) {
        return probeFailure(error, latency());
      }
    },
  };
}
