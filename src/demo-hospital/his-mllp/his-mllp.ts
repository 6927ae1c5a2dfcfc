/**
 * The demo hospital's HIS over MLLP: answers IHE PDQ (QBP^Q22 → RSP^K22), the ward census as IHE
 * PDQ with visit (QBP^ZV1 → RSP^ZV2) and, as the hospital's PIX manager, IHE PIX (QBP^Q23 →
 * RSP^K23), in GB18030 as Chinese HIS do.
 */
import { buildResponse } from '../../adapters/hl7v2/acknowledgment.ts';
import { MSH18_LABEL } from '../../adapters/hl7v2/charsets.ts';
import { DEFAULT_DELIMITERS } from '../../adapters/hl7v2/delimiters.ts';
import type { Hl7SegmentInput } from '../../adapters/hl7v2/encode-hl7.ts';
import type { Hl7Message } from '../../adapters/hl7v2/hl7-message.ts';
import { nextControlId } from '../../adapters/hl7v2/queries.ts';
import type { Hl7v2SourceConfigInput } from '../hl7v2-common/source-config.ts';
import { HIS_DEMO_MRN } from '../hl7v2-common/demo-identities.ts';
import { echoSegment, startMllpListener, type DemoMllpListener, type DemoMllpOptions } from '../hl7v2-common/mllp-listener.ts';
import { pidSegment } from '../hl7v2-common/pid-segment.ts';
import type { SyntheticHospital } from '../synthetic/synthetic-hospital.ts';
import { crossReferences, hisPatients, type HisPatient } from './his-patients.ts';
import { matches, readPdqCriteria } from './pdq-matching.ts';
import { hisInpatients, inpatientSegments, matchesCensus, readCensusCriteria, type HisInpatient } from './his-census.ts';

export { HIS_DEMO_MRN };
export const HIS_APPLICATION = 'HIS';
export const HIS_FACILITY = 'DEMO-HOSPITAL';
const CHARSET = 'gb18030' as const;

export type HisMllpOptions = DemoMllpOptions;

function respond(
  request: Hl7Message,
  type: readonly string[],
  body: Hl7SegmentInput[],
  code: 'AA' | 'AE' | 'AR' = 'AA',
  error?: { code: string; text: string },
): string {
  return buildResponse(
    request,
    {
      code,
      controlId: nextControlId('HIS'),
      messageType: type,
      charsetLabel: MSH18_LABEL[CHARSET],
      body,
      ...(error ? { text: error.text, errorCode: error.code, errorText: error.text } : {}),
    },
    DEFAULT_DELIMITERS,
  );
}

function answerPdq(request: Hl7Message, patients: HisPatient[]): string {
  const qpd = request.segment('QPD');
  const type = ['RSP', 'K22', 'RSP_K21'];
  if (!qpd) return respond(request, type, [], 'AE', { code: '101', text: 'QPD segment missing' });
  const tag = qpd.get(2);
  const criteria = readPdqCriteria(qpd);
  if ('unsupported' in criteria) {
    return respond(request, type, [{ name: 'QAK', fields: [tag, 'AE'] }, echoSegment(qpd)], 'AE', {
      code: '103',
      text: `unsupported query field ${criteria.unsupported}`,
    });
  }
  const limit = Number(request.segment('RCP')?.get(2, 1) || '100');
  const hits = patients.filter((p) => matches(p, criteria)).slice(0, Number.isFinite(limit) && limit > 0 ? limit : 100);
  return respond(request, type, [
    { name: 'QAK', fields: [tag, hits.length > 0 ? 'OK' : 'NF', ['IHE PDQ Query'], hits.length, hits.length, 0] },
    echoSegment(qpd),
    ...hits.map((p, i) => pidSegment(i + 1, p.view)),
  ]);
}

/** IHE ITI-22 by visit fields: the ward's (or attending's) current inpatients, RCP-2 at most; QAK-6 says how many were left out. */
function answerCensus(request: Hl7Message, inpatients: readonly HisInpatient[]): string {
  const qpd = request.segment('QPD');
  const type = ['RSP', 'ZV2', 'RSP_ZV2'];
  if (!qpd) return respond(request, type, [], 'AE', { code: '101', text: 'QPD segment missing' });
  const tag = qpd.get(2);
  const criteria = readCensusCriteria(qpd);
  if ('unsupported' in criteria || 'empty' in criteria) {
    const text =
      'unsupported' in criteria ? `unsupported query field ${criteria.unsupported}` : 'name a ward (@PV1.3.1) or an attending (@PV1.7.1)';
    return respond(request, type, [{ name: 'QAK', fields: [tag, 'AE'] }, echoSegment(qpd)], 'AE', { code: '103', text });
  }
  const requested = Number(request.segment('RCP')?.get(2, 1) || '500');
  const limit = Number.isFinite(requested) && requested > 0 ? requested : 500;
  const hits = inpatients.filter((p) => matchesCensus(p, criteria));
  const sent = hits.slice(0, limit);
  return respond(request, type, [
    { name: 'QAK', fields: [tag, hits.length > 0 ? 'OK' : 'NF', ['IHE PDQ Query'], hits.length, sent.length, hits.length - sent.length] },
    echoSegment(qpd),
    ...sent.flatMap((p, i) => inpatientSegments(p, i + 1)),
  ]);
}

function answerPix(request: Hl7Message, patients: HisPatient[]): string {
  const qpd = request.segment('QPD');
  const type = ['RSP', 'K23', 'RSP_K23'];
  if (!qpd) return respond(request, type, [], 'AE', { code: '101', text: 'QPD segment missing' });
  const tag = qpd.get(2);
  const value = qpd.get(3, 1);
  const authority = qpd.get(3, 4, 1);
  const person = patients.find((p) =>
    crossReferences(p.identity).some((x) => x.value === value && (!authority || x.authority[0] === authority)),
  );
  if (!person) {
    // IHE ITI-9: an identifier the manager does not know is an error naming QPD-3.
    return respond(request, type, [{ name: 'QAK', fields: [tag, 'AE'] }, echoSegment(qpd)], 'AE', {
      code: '204',
      text: `unknown patient identifier ${value}`,
    });
  }
  const others = crossReferences(person.identity).filter((x) => !(x.value === value && (!authority || x.authority[0] === authority)));
  return respond(request, type, [
    { name: 'QAK', fields: [tag, 'OK'] },
    echoSegment(qpd),
    { name: 'PID', fields: [1, undefined, { repeat: others.map((x) => [x.value, undefined, undefined, [...x.authority], x.type]) }] },
  ]);
}

export type DemoHisMllp = DemoMllpListener;

export async function startHisMllp(data: SyntheticHospital, options: HisMllpOptions = {}): Promise<DemoHisMllp> {
  const patients = hisPatients(data);
  const inpatients = hisInpatients(data, patients);
  return startMllpListener({
    charset: CHARSET,
    application: HIS_APPLICATION,
    ...(options.port !== undefined ? { port: options.port } : {}),
    ...(options.faults ? { faults: options.faults } : {}),
    ...(options.faultSeed !== undefined ? { faultSeed: options.faultSeed } : {}),
    handle(message) {
      const code = message.msh.get(9, 1);
      const trigger = message.msh.get(9, 2);
      if (code === 'QBP' && trigger === 'Q22') return answerPdq(message, patients);
      if (code === 'QBP' && trigger === 'ZV1') return answerCensus(message, inpatients);
      if (code === 'QBP' && trigger === 'Q23') return answerPix(message, patients);
      return respond(message, ['ACK', trigger, 'ACK'], [], 'AR', { code: '200', text: `unsupported message type ${code}^${trigger}` });
    },
  });
}

/** The source entry for the workstation's config (validated by Hl7v2SourceConfigSchema); `census`: ask the HIS for the ward census too. */
export function hisMllpSourceConfig(listener: { host: string; port: number }, options: { census?: boolean } = {}): Hl7v2SourceConfigInput {
  return {
    id: 'his',
    name: 'HIS (HL7 v2 MLLP)',
    kind: 'hl7v2',
    host: listener.host,
    port: listener.port,
    charset: CHARSET,
    receivingApplication: HIS_APPLICATION,
    receivingFacility: HIS_FACILITY,
    services: options.census ? ['pdq', 'pix', 'census'] : ['pdq', 'pix'],
    patientIdAuthority: 'HIS',
  };
}
