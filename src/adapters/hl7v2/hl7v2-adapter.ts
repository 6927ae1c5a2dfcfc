/**
 * The HL7 v2 source adapter: patient search by IHE PDQ (enriched with PIX cross-references),
 * records by the results query (QRY^R02 → ORF^R04) plus PDQ demographics, and a probe that
 * asks for a patient nobody has, to time the round trip and see the ACK.
 */
import type { Identifier, Patient } from '@medplum/fhirtypes';
import type { Hl7v2SourceConfig } from '../../shared/config/sources/hl7v2.ts';
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
import { patientQueryReadings } from '../query/patient-query.ts';
import { readAcknowledgment, readQueryStatus } from './acknowledgment.ts';
import type { Hl7Message } from './hl7-message.ts';
import { readHeader } from './message-header.ts';
import { MllpClient, type OutgoingHl7 } from './mllp-client.ts';
import { pdqQueriesFor } from './patient-text-query.ts';
import { buildPdqQuery, buildPixQuery, buildResultsQuery, type Hl7Endpoint, type PdqParameters } from './queries.ts';
import { askCensus, type CensusAnswer } from './census-query.ts';
import type { ConvertedResource, Hl7ConversionOptions } from './to-fhir/conversion-context.ts';
import { convertHl7Message } from './to-fhir/convert-message.ts';
import { identifier as cxIdentifier } from './to-fhir/datatypes.ts';
import { ownIdentifier } from './to-fhir/patient.ts';
import { mergeIdentifiers, ownIdentifierOf } from './patient-identifiers.ts';

/** Patients enriched by PIX per search: each costs one round trip. */
const PIX_PER_SEARCH = 10;
const PROBE_PATIENT_ID = 'HUIZHEN-PROBE-0000000000';
/** An HL7 CX.1 value: no delimiters, no line breaks. */
const HL7_ID = /^[^|^~\\&\r\n]{1,199}$/;

/** What the adapter's helpers share: the source's settings, its MLLP link and how to address and convert messages. */
interface Hl7v2Link {
  config: Hl7v2SourceConfig;
  client: MllpClient;
  endpoint: Hl7Endpoint;
  conversion: Hl7ConversionOptions;
}

/** Sends, then reads QAK: NF is an empty answer, AE/AR in QAK fail like a NAK. */
async function askLink(link: Hl7v2Link, request: OutgoingHl7, signal: AbortSignal): Promise<Hl7Message | undefined> {
  const { config, client } = link;
  const answer = await client.send(request, { timeoutMs: config.resilience.timeoutMs, signal });
  const status = readQueryStatus(answer);
  if (status === 'NF') return undefined;
  if (status === 'AE' || status === 'AR') {
    const ack = readAcknowledgment(answer);
    throw new SourceError(
      status === 'AR' ? 'server-error' : 'bad-request',
      config.id,
      `${config.name}: ${request.messageType}: query ${status === 'AR' ? 'rejected' : 'failed'}${ack?.text ? `: ${ack.text}` : ''}`,
      { request: request.messageType },
    );
  }
  return answer;
}

function sourcedFrom(config: Hl7v2SourceConfig, item: ConvertedResource, fetchedAt: string): SourcedResource {
  return {
    resource: item.resource,
    provenance: {
      sourceId: config.id,
      sourceName: config.name,
      sourceKind: 'hl7v2',
      nativeId: item.nativeId,
      messageType: item.messageType,
      fetchedAt,
    },
  };
}

/** Converts an answer to FHIR; a message the converter cannot read is the source's protocol error. */
function convertAnswer(link: Hl7v2Link, message: Hl7Message): ConvertedResource[] {
  const { config } = link;
  try {
    return convertHl7Message(message, link.conversion);
  } catch (error) {
    throw new SourceError(
      'protocol',
      config.id,
      `${config.name}: ${readHeader(message).messageType}: ${error instanceof Error ? error.message : 'cannot convert the answer'}`,
      { cause: error },
    );
  }
}

/** Asks for a patient nobody has with the first service offered, timing the round trip and reading the ACK. */
async function probeHl7v2(link: Hl7v2Link, signal: AbortSignal): Promise<ProbeResult> {
  const { config, client, endpoint } = link;
  const started = performance.now();
  const latency = (): number => Math.round(performance.now() - started);
  const request = config.services.includes('pdq')
    ? buildPdqQuery(endpoint, { identifier: PROBE_PATIENT_ID }, 1)
    : config.services.includes('results')
      ? buildResultsQuery(endpoint, { patientId: PROBE_PATIENT_ID }, 1)
      : buildPixQuery(endpoint, { value: PROBE_PATIENT_ID });
  try {
    const answer = await client.send(request, { timeoutMs: config.resilience.timeoutMs, signal });
    const header = readHeader(answer);
    const ack = readAcknowledgment(answer);
    const status = readQueryStatus(answer);
    return {
      reachable: true,
      latencyMs: latency(),
      protocolVersion: `HL7 v${header.version || '?'} over MLLP${header.sendingApplication ? ` (${header.sendingApplication})` : ''}`,
      detail: `${request.messageType} → ${header.messageType}: ${ack?.code ?? 'no MSA'}${status ? `, QAK ${status}` : ''}`,
    };
  } catch (error) {
    if (!(error instanceof SourceError) || error.code === 'aborted') throw error;
    // A NAK or a malformed answer still proves a listener is there.
    const answered = error.code === 'bad-request' || error.code === 'server-error' || error.code === 'protocol';
    return { reachable: answered, latencyMs: latency(), detail: error.message };
  }
}

/** The HL7 v2 adapter offers, beside the SourceAdapter contract, the ward census where the HIS answers IHE ITI-22. */
export interface Hl7v2SourceAdapter extends SourceAdapter {
  /** Whether the HIS offers the census query ("census" in its services). */
  readonly offersCensus: boolean;
  /** The inpatients of these wards and of this attending (QBP^ZV1); fails with a SourceError, never with half an answer. */
  fetchCensus(query: { wards: readonly string[]; practitionerId?: string }, options: FetchOptions): Promise<CensusAnswer>;
}

export function createHl7v2Adapter(config: Hl7v2SourceConfig): Hl7v2SourceAdapter {
  const source: SourceDescriptor = { id: config.id, name: config.name, kind: 'hl7v2' };
  const client = new MllpClient({
    sourceId: config.id,
    sourceName: config.name,
    host: config.host,
    port: config.port,
    charset: config.charset,
    maxFrameBytes: config.maxFrameBytes,
  });
  const endpoint: Hl7Endpoint = {
    sendingApplication: config.sendingApplication,
    sendingFacility: config.sendingFacility,
    receivingApplication: config.receivingApplication,
    receivingFacility: config.receivingFacility,
    version: config.version,
    charset: config.charset,
  };
  const conversion: Hl7ConversionOptions = {
    idNamespace: config.id,
    identifierSystems: config.identifierSystems,
    ...(config.patientIdAuthority ? { patientIdAuthority: config.patientIdAuthority } : {}),
  };
  const offers = (service: 'pdq' | 'pix' | 'results' | 'census'): boolean => config.services.includes(service);

  const link: Hl7v2Link = { config, client, endpoint, conversion };
  const ask = (request: OutgoingHl7, signal: AbortSignal): Promise<Hl7Message | undefined> => askLink(link, request, signal);
  const convert = (message: Hl7Message): ConvertedResource[] => convertAnswer(link, message);
  const sourced = (item: ConvertedResource, fetchedAt: string): SourcedResource => sourcedFrom(config, item, fetchedAt);

  async function pdq(params: PdqParameters, signal: AbortSignal): Promise<ConvertedResource[]> {
    const answer = await ask(buildPdqQuery(endpoint, params, config.searchLimit), signal);
    return answer ? convert(answer).filter((r) => r.resource.resourceType === 'Patient') : [];
  }

  /** The patient's identifiers in other domains; an id the PIX manager does not know gives []. */
  async function pixIdentifiers(patient: Patient, signal: AbortSignal): Promise<Identifier[]> {
    const own = ownIdentifierOf(patient);
    if (!own) return [];
    try {
      const answer = await ask(buildPixQuery(endpoint, own), signal);
      const pid = answer?.segment('PID');
      if (!pid) return [];
      return pid
        .repetitions(3)
        .map((r) => cxIdentifier(r, { identifierSystems: config.identifierSystems }))
        .filter((i) => i !== undefined);
    } catch (error) {
      // Cross-references enrich a search; their failure must not fail it.
      if (error instanceof SourceError && error.code === 'aborted') throw error;
      return [];
    }
  }

  const resultQueryIds = (text: string): string[] =>
    patientQueryReadings(text)
      .map((r) => r.identifier)
      .filter((id): id is string => !!id && HL7_ID.test(id));

  /** A LIS without PDQ can still be searched by its own patient id, through the results query. */
  async function searchByResults(text: string, signal: AbortSignal): Promise<SourcedResource<Patient>[]> {
    const ids = resultQueryIds(text);
    const fetchedAt = new Date().toISOString();
    const found = await Promise.all(
      ids.map(async (id) => {
        const answer = await ask(buildResultsQuery(endpoint, { patientId: id }, 1), signal);
        return answer
          ? convert(answer)
              .filter((r) => r.resource.resourceType === 'Patient' && r.resource.id === id)
              .slice(0, 1)
          : [];
      }),
    );
    return found.flat().map((p) => sourced(p, fetchedAt) as SourcedResource<Patient>);
  }

  return {
    source,

    searches(query: PatientQuery): boolean {
      return offers('pdq') ? pdqQueriesFor(query.text).length > 0 : offers('results') && resultQueryIds(query.text).length > 0;
    },

    async searchPatients(query: PatientQuery, { signal }: FetchOptions): Promise<SourcedResource<Patient>[]> {
      if (!offers('pdq')) return offers('results') ? searchByResults(query.text, signal) : [];
      const queries = pdqQueriesFor(query.text);
      if (queries.length === 0) return [];
      const fetchedAt = new Date().toISOString();
      const hits = (await Promise.all(queries.map((q) => pdq(q, signal)))).flat();
      const unique = new Map<string, ConvertedResource>();
      for (const hit of hits) if (hit.resource.id && !unique.has(hit.resource.id)) unique.set(hit.resource.id, hit);
      const patients = [...unique.values()];
      if (offers('pix')) {
        await Promise.all(
          patients.slice(0, PIX_PER_SEARCH).map(async (p) => {
            const patient = p.resource as Patient;
            mergeIdentifiers(patient, await pixIdentifiers(patient, signal));
          }),
        );
      }
      return patients.map((p) => sourced(p, fetchedAt) as SourcedResource<Patient>);
    },

    async fetchRecord(sourcePatientId: string, { signal, since }: RecordFetchOptions): Promise<SourcedResource[]> {
      if (!HL7_ID.test(sourcePatientId)) {
        throw new SourceError('bad-request', config.id, `${config.name}: "${sourcePatientId.slice(0, 70)}" is not an HL7 patient id`);
      }
      const fetchedAt = new Date().toISOString();
      const [demographics, results] = await Promise.all([
        offers('pdq') ? pdq({ identifier: sourcePatientId }, signal) : Promise.resolve([]),
        offers('results')
          ? ask(buildResultsQuery(endpoint, { patientId: sourcePatientId, ...(since ? { since } : {}) }, 1000), signal).then((m) =>
              m ? convert(m) : [],
            )
          : Promise.resolve([]),
      ]);
      const patient = demographics.find((d) => d.resource.id === sourcePatientId);
      const out = new Map<string, ConvertedResource>();
      if (patient) out.set(`Patient/${sourcePatientId}`, patient);
      for (const item of results) {
        const key = `${item.resource.resourceType}/${item.resource.id ?? ''}`;
        if (!out.has(key)) out.set(key, item);
      }
      return [...out.values()].map((item) => sourced(item, fetchedAt));
    },

    probe({ signal }: FetchOptions): Promise<ProbeResult> {
      return probeHl7v2(link, signal);
    },

    offersCensus: offers('census'),

    fetchCensus(query, { signal }) {
      if (!offers('census')) return Promise.resolve({ inpatients: [], complete: false });
      return askCensus({ config, endpoint, ask }, query, signal);
    },
  };
}

export { ownIdentifier };
