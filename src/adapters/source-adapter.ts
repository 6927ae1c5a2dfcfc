import type { Patient, Resource } from '@medplum/fhirtypes';
import type { Provenance } from '../shared/domain/provenance.ts';
import type { AnswerWarning, SourceKind } from '../shared/domain/source.ts';

/** A FHIR resource as an adapter hands it over: never without where it came from. */
export interface SourcedResource<R extends Resource = Resource> {
  resource: R;
  provenance: Provenance;
}

export interface PatientQuery {
  /** Free text as typed by the clinician; each adapter decides how its protocol searches it. */
  text: string;
}

export interface FetchOptions {
  signal: AbortSignal;
  /**
   * Told when an answer the system accepted is not the whole of it (the platform warned, or a
   * record or value had to be left out). May be told several times in one call; the caller sums.
   * Adapters that cannot tell never call it.
   */
  onWarnings?: (warnings: readonly AnswerWarning[]) => void;
}

export interface RecordFetchOptions extends FetchOptions {
  /** Only records changed since this instant (incremental refresh), where the protocol allows. */
  since?: string;
}

/**
 * Why a system that answered is still not usable: the URL answers but is not the endpoint (404,
 * 410), answers something that is not the protocol (an HTML page, a WSDL page, a non-FHIR JSON),
 * or answers the protocol with an error (5xx, a SOAP fault, HL7 v3 AE/AR).
 */
export type ProbeProblem = 'endpoint-not-found' | 'not-the-protocol' | 'error-answer';

export interface ProbeResult {
  reachable: boolean;
  latencyMs: number;
  /** e.g. "FHIR 4.0.1 (HAPI FHIR Server 7.2)". */
  protocolVersion?: string;
  authOk?: boolean;
  /** Set when the system answered but the answer shows it cannot be used as configured. */
  problem?: ProbeProblem;
  /** The HTTP status of the failing answer, when there was one. */
  status?: number;
  detail?: string;
}

export interface SourceDescriptor {
  id: string;
  name: string;
  kind: SourceKind;
}

/**
 * The one small interface every protocol adapter implements. Adapters throw only SourceError;
 * they know nothing of caching, UI or Electron.
 */
export interface SourceAdapter {
  readonly source: SourceDescriptor;
  searchPatients(query: PatientQuery, options: FetchOptions): Promise<SourcedResource<Patient>[]>;
  /**
   * Whether searchPatients would ask the system at all for this query (a LIS without PDQ can
   * only be searched by its own ids). A source that is not asked must not be reported as
   * having answered. Absent: always asks.
   */
  searches?(query: PatientQuery): boolean;
  fetchRecord(sourcePatientId: string, options: RecordFetchOptions): Promise<SourcedResource[]>;
  /**
   * The care context only, read before anyone decides whether the user may see the record:
   * the patient's encounters (ward, attending) and whether they have imaging studies — nothing
   * else of the record. Optional: a protocol without such a narrow query offers none, and its
   * system then does not take part in the decision.
   */
  fetchCareContext?(sourcePatientId: string, options: FetchOptions): Promise<SourcedResource[]>;
  probe(options: FetchOptions): Promise<ProbeResult>;
}
