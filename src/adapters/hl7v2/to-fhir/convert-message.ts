/**
 * One parsed HL7 v2 message → FHIR R4 resources, walking its segments in order the way
 * Microsoft's FHIR-Converter templates do: PID sets the patient, PV1 the encounter, ORC the
 * order, OBR opens a report that the following OBX fill.
 */
import { createHash } from 'node:crypto';
import type { Condition, DiagnosticReport, Immunization, Observation, Patient, Reference, Resource } from '@medplum/fhirtypes';
import { Hl7ParseError } from '../hl7-parse-error.ts';
import type { Hl7Message, Hl7Segment } from '../hl7-message.ts';
import { readHeader } from '../message-header.ts';
import { allergyFromAl1, conditionFromDg1, conditionFromPrb, procedureFromPr1 } from './clinical.ts';
import { boundedKey } from './ids.ts';
import { nativeId, type ConversionContext, type ConvertedResource, type Hl7ConversionOptions } from './conversion-context.ts';
import { codeableConcept, comp } from './datatypes.ts';
import { encapsulatedAttachment, encapsulatedDocument } from './encapsulated-data.ts';
import { encounterFromPv1 } from './encounter.ts';
import { mergedPatient, patientFromPid } from './patient.ts';
import { imagingOrder } from './imaging-order.ts';
import { immunizationFromRxa, isImmunizationRxa } from './immunization.ts';
import { isOrderMessage, serviceRequestFromObr } from './order-request.ts';
import { pharmacyOrder } from './pharmacy-order.ts';
import { observationFromObx, reportFromObr, type ReportScope } from './results.ts';

/** MSH-9 rides in every resource's provenance: a hostile one is cut once here (real ones are ≈ 15 characters). */
const MESSAGE_TYPE_LIMIT = 64;

function contextFor(message: Hl7Message, options: Hl7ConversionOptions): ConversionContext {
  const header = readHeader(message);
  const occurrence = new Map<number, number>();
  const counts = new Map<string, number>();
  for (const s of message.segments) {
    const n = (counts.get(s.name) ?? 0) + 1;
    counts.set(s.name, n);
    occurrence.set(s.index, n);
  }
  const messageKey =
    (header.controlId && boundedKey(header.controlId)) ||
    createHash('sha256')
      .update(message.segments.map((s) => s.rawFields.join('|')).join('\r'))
      .digest('hex')
      .slice(0, 16);
  const app = header.sendingApplication || 'unknown';
  return {
    header:
      header.messageType.length <= MESSAGE_TYPE_LIMIT
        ? header
        : { ...header, messageType: header.messageType.slice(0, MESSAGE_TYPE_LIMIT) },
    namespace: boundedKey(`${options.idNamespace ?? 'hl7v2'}|${app}|${header.sendingFacility}`),
    patientIdAuthority: options.patientIdAuthority,
    messageKey,
    occurrence,
    defaultTimezone: options.defaultTimezone ?? '+08:00',
    identifierSystems: options.identifierSystems ?? {},
    localSystemBase: options.localCodeSystemBase ?? `urn:huizhen:hl7v2:local:${encodeURIComponent(app)}`,
  };
}

interface WalkState {
  out: ConvertedResource[];
  patient?: { resource: Patient; key: string };
  orc?: Hl7Segment;
  report?: ReportScope & { results: Observation[] };
  /** What an NTE right here comments on: the segment group it follows (OBX, or the OBR itself), never an earlier one. */
  noteTarget?:
    | { kind: 'observation'; observation: Observation }
    | { kind: 'condition'; condition: Condition }
    | { kind: 'report' }
    | { kind: 'request' };
  /** The vaccination being read: an RXR after its RXA gives the route. */
  vaccination?: Immunization;
  /** TQ1 right after the ORC: the order's timing, before its RXO/RXE. */
  orderTiming?: Hl7Segment;
  /** The pharmacy order being read: RXR and TQ1 after its RXO/RXE refine it in place, and an RXE replaces the RXO it encodes. */
  rx?: { segment: Hl7Segment; tq1?: Hl7Segment; routes: Hl7Segment[]; at: number; local: ConversionContext & { fallbackKey: string } };
  /** An order message's OBR being read: the IPC segments after it refine its ServiceRequest in place. */
  request?: { obr: Hl7Segment; ipcs: Hl7Segment[]; notes: string[]; at: number; local: ConversionContext & { fallbackKey: string } };
}

/** An order message's OBR is a request (ServiceRequest), not a report: nothing has been found yet. */
function rebuildRequest(state: WalkState, ctx: ConversionContext): void {
  const request = state.request;
  if (!request) return;
  const resource = serviceRequestFromObr(
    request.obr,
    { orc: state.orc, ipcs: request.ipcs, messageCode: ctx.header.messageCode },
    ctx.patient?.reference,
    ctx.encounterRef,
    request.local,
  );
  if (request.notes.length > 0) resource.note = request.notes.map((text) => ({ text }));
  state.out[request.at] = { resource, nativeId: nativeId(ctx, request.obr), messageType: ctx.header.messageType };
}

function rebuildOrder(state: WalkState, ctx: ConversionContext): void {
  const rx = state.rx;
  if (!rx) return;
  const resource = pharmacyOrder(
    rx.segment,
    { orc: state.orc, tq1: rx.tq1 ?? state.orderTiming, routes: rx.routes },
    ctx.patient?.reference,
    ctx.encounterRef,
    rx.local,
  );
  state.out[rx.at] = { resource, nativeId: nativeId(ctx, rx.segment), messageType: ctx.header.messageType };
}

/** RXO/RXE open an order; an RXE after the RXO of the same ORC is that order as pharmacy encoded it. */
function openOrder(
  segment: Hl7Segment,
  local: ConversionContext & { fallbackKey: string },
  ctx: ConversionContext,
  state: WalkState,
): void {
  const replaces = segment.name === 'RXE' && state.rx?.segment.name === 'RXO';
  state.rx = { segment, routes: [], at: replaces ? state.rx!.at : state.out.length, local };
  rebuildOrder(state, ctx);
}

/** An ED result's documents (PDF, image, HTML) as one DocumentReference the Observation is derived from. */
function emitEncapsulated(
  obx: Hl7Segment,
  observation: Observation,
  subject: Reference<Patient> | undefined,
  report: DiagnosticReport | undefined,
  ctx: ConversionContext,
  emit: (resource: Resource, part?: string) => void,
): void {
  const title = observation.code.text ?? observation.code.coding?.[0]?.display;
  const attachments = obx.repetitions(5).flatMap((r) => encapsulatedAttachment(r, title) ?? []);
  if (attachments.length === 0) return;
  const document = encapsulatedDocument(attachments, observation, subject, report, ctx.namespace);
  observation.derivedFrom = [{ reference: `DocumentReference/${document.id ?? ''}` }];
  // Its own record of the OBX, not a second delivery of the result: a timeline counts a native id once.
  emit(document, 'ED');
}

function convertSegment(segment: Hl7Segment, ctx: ConversionContext, state: WalkState): void {
  const emit = (resource: Resource, part?: string): void => {
    const id = nativeId(ctx, segment);
    state.out.push({ resource, nativeId: part ? `${id}/${part}` : id, messageType: ctx.header.messageType });
  };
  const fallbackKey = `${ctx.messageKey}/${segment.name}/${ctx.occurrence.get(segment.index) ?? 1}`;
  const local = { ...ctx, fallbackKey };
  const subject = ctx.patient?.reference;
  const patientKey = ctx.patient?.key ?? ctx.messageKey;
  const noteTarget = state.noteTarget;
  if (segment.name !== 'NTE') state.noteTarget = undefined;
  switch (segment.name) {
    case 'PID': {
      const { patient, key } = patientFromPid(segment, local);
      ctx.patient = { reference: { reference: `Patient/${patient.id}` }, key };
      ctx.encounterRef = undefined;
      state.patient = { resource: patient, key };
      state.report = undefined;
      state.rx = undefined;
      state.request = undefined;
      state.vaccination = undefined;
      emit(patient);
      return;
    }
    case 'MRG': {
      if (!state.patient) return;
      const prior = mergedPatient(segment, state.patient.resource, local);
      if (prior) emit(prior);
      return;
    }
    case 'PV1': {
      const encounter = encounterFromPv1(segment, subject, local);
      // A11 cancels the admission or visit: the stay never happened, so it must not read as a
      // current one (the care rule grants ward access from in-progress stays).
      if (ctx.header.messageType.split('^')[1] === 'A11') encounter.status = 'cancelled';
      ctx.encounterRef = { reference: `Encounter/${encounter.id}` };
      emit(encounter);
      return;
    }
    case 'IPC':
      if (state.request) {
        state.request.ipcs.push(segment);
        rebuildRequest(state, ctx);
      }
      return;
    case 'ORC':
      state.orc = segment;
      state.request = undefined;
      state.report = undefined;
      state.rx = undefined;
      state.orderTiming = undefined;
      state.vaccination = undefined;
      return;
    case 'TQ1':
      if (state.rx) {
        state.rx.tq1 = segment;
        rebuildOrder(state, ctx);
      } else state.orderTiming = segment;
      return;
    case 'RXR':
      if (state.rx) {
        state.rx.routes.push(segment);
        rebuildOrder(state, ctx);
      } else if (state.vaccination && !state.vaccination.route) {
        const route = codeableConcept(segment.composite(1), local);
        if (route) state.vaccination.route = route;
        const site = codeableConcept(segment.composite(2), local);
        if (site) state.vaccination.site = site;
      }
      return;
    case 'RXA': {
      state.vaccination = undefined;
      if (!isImmunizationRxa(segment, ctx.header.messageCode)) return;
      state.vaccination = immunizationFromRxa(segment, subject, ctx.encounterRef, patientKey, local);
      emit(state.vaccination);
      return;
    }
    case 'RXC':
      return;
    case 'OBR': {
      if (isOrderMessage(ctx.header.messageCode)) {
        state.request = { obr: segment, ipcs: [], notes: [], at: state.out.length, local };
        rebuildRequest(state, ctx);
        state.noteTarget = { kind: 'request' };
        return;
      }
      const scope = reportFromObr(segment, subject, ctx.encounterRef, local);
      state.report = { ...scope, results: [] };
      // A radiology OBR's reason for study becomes the order the report is based on.
      const order = imagingOrder(segment, scope.report, scope.key, local);
      if (order) scope.report.basedOn = [{ reference: `ServiceRequest/${order.id ?? ''}` }];
      emit(scope.report);
      if (order) emit(order);
      state.noteTarget = { kind: 'report' };
      return;
    }
    case 'OBX': {
      const observation = observationFromObx(segment, state.report, subject, ctx.encounterRef, local);
      // Appended in place: copying the list per OBX would make a 40,000-result report quadratic.
      if (state.report) (state.report.report.result ??= []).push({ reference: `Observation/${observation.id}` });
      state.noteTarget = { kind: 'observation', observation };
      emit(observation);
      if (comp(segment.composite(2), 1).toUpperCase() === 'ED')
        emitEncapsulated(segment, observation, subject, state.report?.report, local, emit);
      return;
    }
    case 'NTE': {
      // Comments after an OBX belong to it; NTE-3 repeats as lines.
      const text = segment
        .texts(3)
        .filter((t) => t.trim() !== '')
        .join('\n');
      if (!text || !noteTarget) return;
      if (noteTarget.kind === 'observation') (noteTarget.observation.note ??= []).push({ text });
      else if (noteTarget.kind === 'condition') (noteTarget.condition.note ??= []).push({ text });
      // R4 DiagnosticReport has no note: a comment on the whole report (溶血, 复查 …) is read with its conclusion.
      else if (noteTarget.kind === 'report' && state.report)
        state.report.report.conclusion = state.report.report.conclusion ? `${state.report.report.conclusion}\n${text}` : text;
      else if (noteTarget.kind === 'request' && state.request) {
        state.request.notes.push(text);
        rebuildRequest(state, ctx);
      }
      return;
    }
    case 'RXO':
    case 'RXE':
      openOrder(segment, local, ctx, state);
      return;
    case 'AL1':
      emit(allergyFromAl1(segment, subject, patientKey, local));
      return;
    case 'DG1':
      emit(conditionFromDg1(segment, subject, ctx.encounterRef, patientKey, local));
      return;
    case 'PRB': {
      const condition = conditionFromPrb(segment, subject, ctx.encounterRef, patientKey, local);
      state.noteTarget = { kind: 'condition', condition };
      emit(condition);
      return;
    }
    case 'PR1':
      return emit(procedureFromPr1(segment, subject, ctx.encounterRef, patientKey, local));
    default:
    // Other segments, Z-segments included, stay in the parsed message but map to nothing; an
    // NTE after them no longer belongs to the last OBX (noteTarget was cleared above).
  }
}

/** Throws only Hl7ParseError: a mapping slip is reported against the segment it happened in. */
export function convertHl7Message(message: Hl7Message, options: Hl7ConversionOptions = {}): ConvertedResource[] {
  const ctx = contextFor(message, options);
  const state: WalkState = { out: [] };
  for (const segment of message.segments) {
    try {
      convertSegment(segment, ctx, state);
    } catch (error) {
      if (error instanceof Hl7ParseError) throw error;
      throw new Hl7ParseError(
        `cannot convert: ${error instanceof Error ? error.message.slice(0, 160) : 'unknown error'}`,
        { segment: segment.name, segmentIndex: segment.index },
        { cause: error },
      );
    }
  }
  return state.out;
}
