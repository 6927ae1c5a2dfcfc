/**
 * The ward census from a HIS over MLLP: IHE ITI-22 (QBP^ZV1 → RSP^ZV2), one query per ward and
 * one for the attending's own patients elsewhere. Each inpatient comes back as a PID with its
 * PV1; the patient is named by the same identifier the inbound ADT path stores them under.
 */
import type { Hl7v2SourceConfig } from '../../shared/config/sources/hl7v2.ts';
import { SourceError } from '../source-error.ts';
import type { Hl7Message, Hl7Segment } from './hl7-message.ts';
import type { OutgoingHl7 } from './mllp-client.ts';
import { buildCensusQuery, type CensusCriterion, type Hl7Endpoint } from './queries.ts';
import { ownIdentifier } from './to-fhir/patient.ts';

/** One inpatient of an answer: the HIS's own patient id, with the segments that say who and where. */
export interface CensusInpatient {
  sourcePatientId: string;
  pid: Hl7Segment;
  pv1: Hl7Segment;
  /** PV2 (its admit reason), when the HIS sends one. */
  pv2?: Hl7Segment;
  /** The DG1 and AL1 segments of the patient's group, when the HIS adds them. */
  dg1: Hl7Segment[];
  al1: Hl7Segment[];
  /** The answer's MSH (its time, its sender). */
  msh: Hl7Segment;
}

export interface CensusAnswer {
  inpatients: CensusInpatient[];
  /**
   * Every query was answered in full (no hits left: QAK-6 is 0 or absent, no DSC continuation):
   * only then may a patient the answer leaves out be taken as gone from the ward.
   */
  complete: boolean;
}

/** Splits RSP^ZV2 into its patients: each PID opens a group, its PV1 (and DG1/AL1) follow. */
export function inpatientsOf(answer: Hl7Message, config: Pick<Hl7v2SourceConfig, 'id' | 'name' | 'patientIdAuthority'>): CensusInpatient[] {
  const malformed = (detail: string) =>
    new SourceError('protocol', config.id, `${config.name}: RSP^ZV2: ${detail}`, { request: 'QBP^ZV1' });
  const out: CensusInpatient[] = [];
  let current: CensusInpatient | undefined;
  let pid: Hl7Segment | undefined;
  for (const segment of answer.segments) {
    if (segment.name === 'PID') {
      // ITI-22 requires a PV1 per patient: without it the answer cannot say where anyone lies.
      if (pid) throw malformed('a PID without its PV1');
      pid = segment;
      current = undefined;
    } else if (segment.name === 'PV1' && pid) {
      const own = ownIdentifier(pid, config.patientIdAuthority);
      if (!own) throw malformed('a PID has no patient identifier in PID-3');
      current = { sourcePatientId: own.value, pid, pv1: segment, dg1: [], al1: [], msh: answer.msh };
      out.push(current);
      pid = undefined;
    } else if (segment.name === 'PV2' && current) current.pv2 = segment;
    else if (segment.name === 'DG1') current?.dg1.push(segment);
    else if (segment.name === 'AL1') current?.al1.push(segment);
  }
  if (pid) throw malformed('a PID without its PV1');
  return out;
}

/** QAK-6 (hits remaining) or a DSC continuation pointer: the supplier holds more than it sent. */
function isPartial(answer: Hl7Message): boolean {
  const remaining = Number(answer.segment('QAK')?.get(6) || '0');
  return (Number.isFinite(remaining) && remaining > 0) || Boolean(answer.segment('DSC')?.get(1));
}

/**
 * Asks the census of the wards (and of the attending), in parallel over the one MLLP link. A
 * query that fails fails the whole answer (a SourceError: timeout, AE/AR, malformed), so the
 * caller keeps this HIS's census as it was rather than read a half answer as discharges.
 */
export async function askCensus(
  deps: {
    config: Hl7v2SourceConfig;
    endpoint: Hl7Endpoint;
    ask(request: OutgoingHl7, signal: AbortSignal): Promise<Hl7Message | undefined>;
  },
  query: { wards: readonly string[]; practitionerId?: string },
  signal: AbortSignal,
): Promise<CensusAnswer> {
  const { config, endpoint, ask } = deps;
  const criteria: CensusCriterion[] = [
    ...query.wards.map((ward) => ({ ward })),
    ...(query.practitionerId ? [{ attending: query.practitionerId }] : []),
  ];
  const answers = await Promise.all(criteria.map((c) => ask(buildCensusQuery(endpoint, c, config.censusLimit), signal)));
  const seen = new Set<string>();
  const inpatients: CensusInpatient[] = [];
  for (const answer of answers) {
    if (!answer) continue;
    for (const inpatient of inpatientsOf(answer, config)) {
      if (seen.has(inpatient.sourcePatientId)) continue;
      seen.add(inpatient.sourcePatientId);
      inpatients.push(inpatient);
    }
  }
  return { inpatients, complete: answers.every((a) => !a || !isPartial(a)) };
}
