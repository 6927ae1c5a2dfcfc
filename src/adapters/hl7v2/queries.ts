/**
 * The queries real systems answer: IHE PDQ (QBP^Q22), IHE PDQ with visit (QBP^ZV1, the ward
 * census), IHE PIX (QBP^Q23) and the results query QRY^R02 that Chinese LIS still offer. Each
 * builder returns the message text and its MSH-10.
 */
import { MSH18_LABEL, type Hl7Charset } from './charsets.ts';
import { DEFAULT_DELIMITERS } from './delimiters.ts';
import { encodeHl7, hl7Timestamp, type Hl7FieldInput, type Hl7SegmentInput } from './encode-hl7.ts';
import type { OutgoingHl7 } from './mllp-client.ts';

export interface Hl7Endpoint {
  sendingApplication: string;
  sendingFacility: string;
  receivingApplication: string;
  receivingFacility: string;
  version: string;
  charset: Hl7Charset;
}

export interface PdqParameters {
  family?: string;
  given?: string;
  identifier?: string;
  /** YYYY-MM-DD */
  birthDate?: string;
}

let sequence = 0;

/** Unique per process and per run: time in base 36 plus a counter. */
export function nextControlId(prefix = 'HZ'): string {
  sequence = (sequence + 1) % 1_000_000;
  return `${prefix}${Date.now().toString(36).toUpperCase()}${String(sequence).padStart(6, '0')}`;
}

function msh(endpoint: Hl7Endpoint, type: readonly string[], controlId: string, now: Date): Hl7SegmentInput {
  const fields: Hl7FieldInput[] = [
    endpoint.sendingApplication,
    endpoint.sendingFacility,
    endpoint.receivingApplication,
    endpoint.receivingFacility,
    hl7Timestamp(now),
    undefined,
    type,
    controlId,
    'P',
    endpoint.version,
    undefined,
    undefined,
    undefined,
    undefined,
    undefined,
    MSH18_LABEL[endpoint.charset],
  ];
  return { name: 'MSH', fields };
}

function outgoing(segments: Hl7SegmentInput[], controlId: string, messageType: string): OutgoingHl7 {
  return { text: encodeHl7(segments, DEFAULT_DELIMITERS), controlId, messageType };
}

const compact = (value: string): string => value.replace(/-/g, '');

/** IHE ITI-21: QPD-3 lists "@PID.x.y^value" pairs; every pair must match (AND). */
export function buildPdqQuery(endpoint: Hl7Endpoint, params: PdqParameters, limit: number, now = new Date()): OutgoingHl7 {
  const controlId = nextControlId();
  const pairs: [string, string][] = [];
  if (params.identifier) pairs.push(['@PID.3.1', params.identifier]);
  if (params.family) pairs.push(['@PID.5.1.1', params.family]);
  if (params.given) pairs.push(['@PID.5.2', params.given]);
  if (params.birthDate) pairs.push(['@PID.7.1', compact(params.birthDate)]);
  return outgoing(
    [
      msh(endpoint, ['QBP', 'Q22', 'QBP_Q21'], controlId, now),
      { name: 'QPD', fields: [['IHE PDQ Query'], `Q${controlId}`, { repeat: pairs.map(([field, value]) => [field, value]) }] },
      { name: 'RCP', fields: ['I', [limit, 'RD']] },
    ],
    controlId,
    'QBP^Q22',
  );
}

/** Who a census query asks for: the inpatients (PV1-2 "I") of one ward, or of one attending doctor. */
export type CensusCriterion = { ward: string } | { attending: string };

/**
 * IHE ITI-22 (Patient Demographics and Visit Query): QPD-3 "@PV1.3.1" names the ward (the point
 * of care of the assigned location) or "@PV1.7.1" the attending, "@PV1.2" the patient class; the
 * supplier answers RSP^ZV2 with a PID and a PV1 per inpatient.
 */
export function buildCensusQuery(endpoint: Hl7Endpoint, criterion: CensusCriterion, limit: number, now = new Date()): OutgoingHl7 {
  const controlId = nextControlId();
  const pairs: [string, string][] = [
    'ward' in criterion ? ['@PV1.3.1', criterion.ward] : ['@PV1.7.1', criterion.attending],
    ['@PV1.2', 'I'],
  ];
  return outgoing(
    [
      msh(endpoint, ['QBP', 'ZV1', 'QBP_Q21'], controlId, now),
      { name: 'QPD', fields: [['IHE PDQ Query'], `Q${controlId}`, { repeat: pairs.map(([field, value]) => [field, value]) }] },
      { name: 'RCP', fields: ['I', [limit, 'RD']] },
    ],
    controlId,
    'QBP^ZV1',
  );
}

/** IHE ITI-9: one identifier with its authority; QPD-4 empty asks for every domain. */
export function buildPixQuery(endpoint: Hl7Endpoint, id: { value: string; authority?: string }, now = new Date()): OutgoingHl7 {
  const controlId = nextControlId();
  return outgoing(
    [
      msh(endpoint, ['QBP', 'Q23', 'QBP_Q21'], controlId, now),
      {
        name: 'QPD',
        fields: [['IHE PIX Query'], `Q${controlId}`, [id.value, undefined, undefined, id.authority ? [id.authority] : undefined]],
      },
      { name: 'RCP', fields: ['I'] },
    ],
    controlId,
    'QBP^Q23',
  );
}

/**
 * QRY^R02 (HL7 2.3/2.4 display-oriented results query): QRD-8 names the patient, QRD-9 "RES"
 * asks for results, QRF-2 limits to results since an instant (incremental refresh).
 */
export function buildResultsQuery(
  endpoint: Hl7Endpoint,
  params: { patientId: string; since?: string },
  limit: number,
  now = new Date(),
): OutgoingHl7 {
  const controlId = nextControlId();
  const since = params.since ? hl7Timestamp(new Date(params.since)) : undefined;
  return outgoing(
    [
      msh(endpoint, ['QRY', 'R02', 'QRY_R02'], controlId, now),
      {
        name: 'QRD',
        fields: [hl7Timestamp(now), 'R', 'I', `Q${controlId}`, undefined, undefined, [limit, 'RD'], [params.patientId], ['RES'], undefined],
      },
      { name: 'QRF', fields: [endpoint.receivingApplication, since, undefined, undefined, undefined, 'RCT', 'ANY', 'ALL'] },
    ],
    controlId,
    'QRY^R02',
  );
}
