/**
 * The HL7 v3 source adapter for an integration platform (互联互通): patient search by PDQv3,
 * the record as demographics (PDQv3 by the platform's id) plus the patient's CDA documents
 * (document list query, then one retrieve per document, each converted to FHIR), and a probe.
 */
import type { Patient, Resource } from '@medplum/fhirtypes';
import type { Element } from '@xmldom/xmldom';
import { randomUUID } from 'node:crypto';
import type { Hl7v3SourceConfig } from '../../shared/config/sources/hl7v3.ts';
import { CdaError, type V3Id } from '../xml/index.ts';
import { convertCdaDocument } from '../cda/convert-cda.ts';
import type { RequestContext } from '../http/request-errors.ts';
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
import type { AnswerWarning } from '../../shared/domain/source.ts';
import { checkAcknowledgement } from './acknowledgement-errors.ts';
import { answerWarnings } from './answer-warnings.ts';
import {
  buildDocumentListQuery,
  buildDocumentRetrieve,
  DOCUMENT_QUERY,
  DOCUMENT_RETRIEVE,
  readDocumentList,
  readRetrievedDocument,
  type DocumentSummary,
} from './document-messages.ts';
import { handleFor, idForHandle } from './patient-handle.ts';
import {
  buildPdqQuery,
  criteriaFromText,
  isEmptyCriteria,
  PDQ_QUERY_ACTION,
  PDQ_RESPONSE_INTERACTION,
  type PdqCriteria,
} from './pdq-query.ts';
import { readPdqResponse, type PdqResponse } from './pdq-response.ts';
import { createSoapClient, protocolError } from './soap-client.ts';
import { readAcknowledgement } from './transmission-wrapper.ts';
import { plainTextIn } from './message-payload.ts';
import { probeFailure } from '../probe-outcome.ts';

export interface Hl7v3AdapterOptions {
  /** Documents retrieved at once (default 4): platforms are often single-threaded behind the ESB. */
  retrieveConcurrency?: number;
  /** Zone for timestamps without one (default "+08:00"). */
  defaultTimezone?: string;
}

type WarningSink = ((warnings: readonly AnswerWarning[]) => void) | undefined;

/** Tells the caller of an accepted answer's warnings, if there are any and anyone listens. */
function tell(sink: WarningSink, warnings: readonly AnswerWarning[]): void {
  if (sink && warnings.length > 0) sink(warnings);
}

async function mapLimited<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>, signal: AbortSignal): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      signal.throwIfAborted();
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/**
 * The answer must be the interaction asked for; but a platform that fails often answers with a
 * bare acknowledgement (MCCI_IN000002UV01) instead, whose AE/AR text is the reason to show.
 */
function expectAnswer(ctx: RequestContext, payload: Element, expected: string): void {
  if (payload.localName === expected) return;
  checkAcknowledgement(ctx, readAcknowledgement(payload), undefined);
  // A wrapper holding only a plain-text string is usually the ESB's own error sentence: show it.
  const said = plainTextIn(payload);
  throw protocolError(ctx, `expected ${expected} but got <${payload.localName ?? ''}>${said ? `: ${said}` : ''}`);
}

/** Runs a parser over a payload; a structural problem in the answer is a protocol error. */
function readOrFail<T>(ctx: RequestContext, read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof CdaError) throw protocolError(ctx, error.message);
    throw error;
  }
}

/** One retrieved document as sourced resources, each traced to the document or its clinical entry. */
function documentResources(
  config: Hl7v3SourceConfig,
  conversion: ReturnType<typeof convertCdaDocument>,
  docKey: string,
  fetchedAt: string,
): SourcedResource[] {
  const typeCode = conversion.header.code.coding?.[0]?.code ?? 'CDA';
  const messageType = `${DOCUMENT_RETRIEVE.response} (CDA ${typeCode})`;
  const provenance = (nativeId: string) => ({
    sourceId: config.id,
    sourceName: config.name,
    sourceKind: 'hl7v3' as const,
    nativeId,
    messageType,
    fetchedAt,
  });
  // The Composition repeats the DocumentReference for a timeline; the DocumentReference carries
  // the original and the sanitized HTML, so it alone stands for the document.
  const out: SourcedResource<Resource>[] = [{ resource: conversion.documentReference, provenance: provenance(docKey) }];
  for (const c of conversion.clinical) out.push({ resource: c.resource, provenance: provenance(c.nativeId) });
  return out;
}

/** One hit per patient over the readings of a query; a patient without an id we can open is counted as skipped. */
function uniquePatients(hits: readonly (SourcedResource<Patient> | undefined)[], onWarnings: WarningSink): SourcedResource<Patient>[] {
  const byId = new Map<string, SourcedResource<Patient>>();
  let withoutId = 0;
  for (const hit of hits) {
    if (!hit) withoutId++;
    else if (!byId.has(hit.resource.id ?? '')) byId.set(hit.resource.id ?? '', hit);
  }
  if (withoutId > 0) tell(onWarnings, [{ code: 'record-skipped', count: withoutId }]);
  return [...byId.values()];
}

export function createHl7v3Adapter(config: Hl7v3SourceConfig, options: Hl7v3AdapterOptions = {}): SourceAdapter {
  const source: SourceDescriptor = { id: config.id, name: config.name, kind: 'hl7v3' };
  const soap = createSoapClient({
    sourceId: config.id,
    sourceName: config.name,
    endpoint: config.endpoint,
    version: config.soapVersion,
    auth: config.auth,
    timeoutMs: config.resilience.timeoutMs,
  });
  const timezone = options.defaultTimezone ?? '+08:00';
  const concurrency = options.retrieveConcurrency ?? 4;
  const offers = (service: 'pdq' | 'documents'): boolean => config.services.includes(service);
  const ctxFor = (request: string): RequestContext => ({ sourceId: config.id, sourceName: config.name, request });

  const wrapper = (messageId: string) => ({
    messageRoot: config.senderDeviceId,
    messageId,
    creationTime: new Date(),
    senderDevice: config.senderDeviceId,
    receiverDevice: config.receiverDeviceId,
  });

  async function pdq(criteria: PdqCriteria, signal: AbortSignal, onWarnings?: WarningSink): Promise<PdqResponse & { receivedAt: string }> {
    const messageId = randomUUID();
    const label = `PDQv3 ${PDQ_QUERY_ACTION.split(':').pop() ?? ''}`;
    const ctx = ctxFor(label);
    const body = buildPdqQuery(wrapper(messageId), randomUUID(), criteria);
    const { payload, receivedAt } = await soap.call(PDQ_QUERY_ACTION, label, body, `urn:uuid:${messageId}`, signal);
    expectAnswer(ctx, payload, PDQ_RESPONSE_INTERACTION);
    const answer = readOrFail(ctx, () => readPdqResponse(payload));
    checkAcknowledgement(ctx, answer.acknowledgement, answer.queryResponseCode);
    tell(onWarnings, answerWarnings(answer.acknowledgement, answer.warnings));
    return { ...answer, receivedAt };
  }

  function sourcedPatient(ids: V3Id[], patient: Patient, fetchedAt: string): SourcedResource<Patient> | undefined {
    const own = ids.find((i) => i.root === config.patientIdRoot && i.extension) ?? ids.find((i) => i.extension);
    const handle = own ? handleFor(own, config.patientIdRoot) : undefined;
    if (!own || !handle) return undefined;
    return {
      resource: { ...patient, id: handle },
      provenance: {
        sourceId: config.id,
        sourceName: config.name,
        sourceKind: 'hl7v3',
        nativeId: `${own.root}^${own.extension ?? ''}`,
        messageType: PDQ_RESPONSE_INTERACTION,
        fetchedAt,
      },
    };
  }

  async function listDocuments(patient: V3Id, signal: AbortSignal, onWarnings: WarningSink): Promise<DocumentSummary[]> {
    const messageId = randomUUID();
    const ctx = ctxFor(`document query ${DOCUMENT_QUERY.request}`);
    const { payload } = await soap.call(
      DOCUMENT_QUERY.action,
      ctx.request,
      buildDocumentListQuery(wrapper(messageId), randomUUID(), patient),
      `urn:uuid:${messageId}`,
      signal,
    );
    expectAnswer(ctx, payload, DOCUMENT_QUERY.response);
    const answer = readOrFail(ctx, () => readDocumentList(payload, timezone));
    checkAcknowledgement(ctx, answer.acknowledgement, answer.queryResponseCode);
    tell(onWarnings, answerWarnings(answer.acknowledgement, answer.skipped));
    return answer.documents;
  }

  async function retrieveAndConvert(doc: DocumentSummary, patientRef: string, call: FetchOptions): Promise<SourcedResource[]> {
    const messageId = randomUUID();
    const ctx = ctxFor(`document retrieve ${DOCUMENT_RETRIEVE.request}`);
    const { payload, receivedAt } = await soap.call(
      DOCUMENT_RETRIEVE.action,
      ctx.request,
      buildDocumentRetrieve(wrapper(messageId), randomUUID(), doc.id),
      `urn:uuid:${messageId}`,
      call.signal,
    );
    expectAnswer(ctx, payload, DOCUMENT_RETRIEVE.response);
    const answer = readOrFail(ctx, () => readRetrievedDocument(payload, timezone));
    checkAcknowledgement(ctx, answer.acknowledgement, undefined);
    tell(call.onWarnings, answerWarnings(answer.acknowledgement));
    if (!answer.cda)
      throw new SourceError(
        'not-found',
        config.id,
        `${config.name}: ${ctx.request}: document ${doc.id.root}^${doc.id.extension ?? ''} was listed but not returned`,
        { request: ctx.request },
      );
    const cda = answer.cda;
    const conversion = readOrFail(ctxFor(`CDA ${doc.id.extension ?? doc.id.root}`), () =>
      convertCdaDocument(cda, { patient: { reference: patientRef }, defaultTimezone: timezone }),
    );
    return documentResources(config, conversion, `${doc.id.root}^${doc.id.extension ?? ''}`, receivedAt);
  }

  return {
    source,

    searches(query: PatientQuery): boolean {
      return offers('pdq') && criteriaFromText(query.text, config).some((c) => !isEmptyCriteria(c));
    },

    async searchPatients(query: PatientQuery, { signal, onWarnings }: FetchOptions): Promise<SourcedResource<Patient>[]> {
      if (!offers('pdq')) return [];
      const readings = criteriaFromText(query.text, config).filter((c) => !isEmptyCriteria(c));
      const answers = await Promise.all(readings.map((criteria) => pdq(criteria, signal, onWarnings)));
      const hits = answers.flatMap((answer) => answer.patients.map((p) => sourcedPatient(p.ids, p.patient, answer.receivedAt)));
      return uniquePatients(hits, onWarnings);
    },

    async fetchRecord(sourcePatientId: string, { signal, since, onWarnings }: RecordFetchOptions): Promise<SourcedResource[]> {
      const id = idForHandle(sourcePatientId, config.patientIdRoot);
      if (!id?.extension)
        throw new SourceError(
          'bad-request',
          config.id,
          `${config.name}: "${sourcePatientId.slice(0, 70)}" is not a patient id of this platform`,
        );
      const out: SourcedResource[] = [];
      if (offers('pdq')) {
        const answer = await pdq({ identifier: { root: id.root, extension: id.extension } }, signal, onWarnings);
        const match = answer.patients.find((p) => p.ids.some((i) => i.root === id.root && i.extension === id.extension));
        if (!match)
          throw new SourceError('not-found', config.id, `${config.name}: patient ${id.root}^${id.extension} is not known to the platform`);
        const patient = sourcedPatient(match.ids, match.patient, answer.receivedAt);
        if (patient) out.push({ resource: { ...patient.resource, id: sourcePatientId }, provenance: patient.provenance });
      }
      if (offers('documents')) {
        const docs = await listDocuments(id, signal, onWarnings);
        const wanted = since ? docs.filter((d) => !d.effectiveTime || Date.parse(d.effectiveTime) > Date.parse(since)) : docs;
        const converted = await mapLimited(
          wanted,
          concurrency,
          (d) => retrieveAndConvert(d, `Patient/${sourcePatientId}`, { signal, ...(onWarnings ? { onWarnings } : {}) }),
          signal,
        );
        out.push(...converted.flat());
      }
      return out;
    },

    async probe({ signal }: FetchOptions): Promise<ProbeResult> {
      const started = performance.now();
      const latency = (): number => Math.round(performance.now() - started);
      try {
        // An identifier nobody has: a healthy platform answers AA with NF.
        await pdq({ identifier: { root: config.patientIdRoot, extension: `huizhen-probe-${randomUUID().slice(0, 8)}` } }, signal);
        return { reachable: true, latencyMs: latency(), protocolVersion: `HL7 v3 PDQv3 over SOAP ${config.soapVersion}`, authOk: true };
      } catch (error) {
        return probeFailure(error, latency());
      }
    },
  };
}
