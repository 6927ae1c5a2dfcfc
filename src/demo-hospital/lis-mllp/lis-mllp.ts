/**
 * The demo hospital's LIS over MLLP: answers the results query QRY^R02 with ORF^R04 (PID, then
 * ORC/OBR/OBX per report) in UTF-8, with LOINC and local codes, units, ranges and flags.
 */
import type { Observation } from '@medplum/fhirtypes';
import { buildResponse } from '../../adapters/hl7v2/acknowledgment.ts';
import { MSH18_LABEL } from '../../adapters/hl7v2/charsets.ts';
import { DEFAULT_DELIMITERS } from '../../adapters/hl7v2/delimiters.ts';
import type { Hl7SegmentInput } from '../../adapters/hl7v2/encode-hl7.ts';
import type { Hl7Message } from '../../adapters/hl7v2/hl7-message.ts';
import { nextControlId } from '../../adapters/hl7v2/queries.ts';
import { LIS_DEMO_MRN, toHl7Time } from '../hl7v2-common/demo-identities.ts';
import { echoSegment, startMllpListener, type DemoMllpListener, type DemoMllpOptions } from '../hl7v2-common/mllp-listener.ts';
import { pidSegment } from '../hl7v2-common/pid-segment.ts';
import type { Hl7v2SourceConfigInput } from '../hl7v2-common/source-config.ts';
import type { SyntheticHospital } from '../synthetic/synthetic-hospital.ts';
import { LIS_CODES, LIS_UNITS, lisPatients, type LisPatient, type LisReport } from './lis-records.ts';

export { LIS_DEMO_MRN };
export const LIS_APPLICATION = 'LIS';
export const LIS_FACILITY = 'DEMO-HOSPITAL';
const CHARSET = 'utf-8' as const;

export type LisMllpOptions = DemoMllpOptions;

function obx(setId: number, o: Observation): Hl7SegmentInput {
  const loinc = o.code.coding?.find((c) => c.system === 'http://loinc.org')?.code ?? '';
  const code = LIS_CODES[loinc] ?? [loinc, o.code.text ?? '', 'LN'];
  const q = o.valueQuantity;
  const unit = q?.code ?? q?.unit ?? '';
  const printed = LIS_UNITS[unit] ?? unit;
  const range = o.referenceRange?.[0];
  const rangeText =
    range?.low?.value !== undefined && range.high?.value !== undefined ? `${range.low.value}-${range.high.value}` : range?.text;
  const flag = o.interpretation?.[0]?.coding?.[0]?.code;
  return {
    name: 'OBX',
    fields: [
      setId,
      'NM',
      [...code],
      undefined,
      q?.value,
      printed ? [printed, undefined, 'UCUM'] : undefined,
      rangeText,
      flag,
      undefined,
      undefined,
      'F',
      undefined,
      undefined,
      toHl7Time(o.effectiveDateTime),
    ],
  };
}

function reportSegments(r: LisReport, index: number): Hl7SegmentInput[] {
  const first = r.observations[0];
  const effective = toHl7Time(r.report?.effectiveDateTime ?? first?.effectiveDateTime);
  const issued = toHl7Time(
    r.report?.issued ? new Date(r.report.issued).toISOString().replace(/\.\d{3}Z$/, 'Z') : first?.issued?.replace(/\.\d{3}Z$/, 'Z'),
  );
  const service = r.report ? ['11502-2', '检验报告', 'LN'] : r.service ? [...r.service] : ['GLU-POCT', '床旁血糖', 'L'];
  const obr: Hl7FieldArray = [index + 1, [r.placer, 'HIS'], [r.filler, 'LIS'], service, undefined, undefined, effective];
  while (obr.length < 21) obr.push(undefined);
  obr.push(issued, undefined, 'LAB', 'F');
  return [
    { name: 'ORC', fields: ['RE', [r.placer, 'HIS'], [r.filler, 'LIS'], undefined, 'CM'] },
    { name: 'OBR', fields: obr },
    ...r.observations.map((o, i) => obx(i + 1, o)),
  ];
}

type Hl7FieldArray = Hl7SegmentInput['fields'][number][];

function isoFromHl7(value: string): string | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})?(\d{2})?(\d{2})?([+-]\d{4})?$/.exec(value.trim());
  if (!m) return undefined;
  const [, y, mo, d, h = '00', mi = '00', s = '00', z = '+0800'] = m;
  return `${y}-${mo}-${d}T${h}:${mi}:${s}${z.slice(0, 3)}:${z.slice(3)}`;
}

function answerResults(request: Hl7Message, patients: LisPatient[]): string {
  const qrd = request.segment('QRD');
  const qrf = request.segment('QRF');
  const type = ['ORF', 'R04', 'ORF_R04'];
  const respond = (code: 'AA' | 'AE', body: Hl7SegmentInput[], text?: string): string =>
    buildResponse(
      request,
      {
        code,
        controlId: nextControlId('LIS'),
        messageType: type,
        charsetLabel: MSH18_LABEL[CHARSET],
        body,
        ...(text ? { text, errorCode: '101', errorText: text } : {}),
      },
      DEFAULT_DELIMITERS,
    );
  if (!qrd) return respond('AE', [], 'QRD segment missing');
  const tag = qrd.get(4);
  const patientId = qrd.get(8, 1);
  const sinceText = qrf?.get(2) ?? '';
  const since = sinceText ? isoFromHl7(sinceText) : undefined;
  const patient = patients.find((p) => p.identity.lisMrn === patientId);
  const head = [echoSegment(qrd), ...(qrf ? [echoSegment(qrf)] : [])];
  if (!patient) return respond('AA', [{ name: 'QAK', fields: [tag, 'NF'] }, ...head]);
  const sinceMs = since ? Date.parse(since) : undefined;
  const reports = patient.reports.filter(
    (r) => sinceMs === undefined || r.observations.some((o) => Date.parse(o.meta?.lastUpdated ?? o.issued ?? '') > sinceMs),
  );
  return respond('AA', [
    { name: 'QAK', fields: [tag, 'OK'] },
    ...head,
    pidSegment(1, patient.view),
    ...reports.flatMap((r, i) => reportSegments(r, i)),
  ]);
}

export type DemoLisMllp = DemoMllpListener;

export async function startLisMllp(data: SyntheticHospital, options: LisMllpOptions = {}): Promise<DemoLisMllp> {
  const patients = lisPatients(data);
  return startMllpListener({
    charset: CHARSET,
    application: LIS_APPLICATION,
    ...(options.port !== undefined ? { port: options.port } : {}),
    ...(options.faults ? { faults: options.faults } : {}),
    ...(options.faultSeed !== undefined ? { faultSeed: options.faultSeed } : {}),
    handle(message) {
      const code = message.msh.get(9, 1);
      const trigger = message.msh.get(9, 2);
      if (code === 'QRY' && trigger === 'R02') return answerResults(message, patients);
      return buildResponse(
        message,
        {
          code: 'AR',
          controlId: nextControlId('LIS'),
          charsetLabel: MSH18_LABEL[CHARSET],
          text: `unsupported message type ${code}^${trigger}`,
          errorCode: '200',
          errorText: `unsupported message type ${code}^${trigger}`,
        },
        DEFAULT_DELIMITERS,
      );
    },
  });
}

/** The source entry for the workstation's config (validated by Hl7v2SourceConfigSchema). */
export function lisMllpSourceConfig(listener: { host: string; port: number }): Hl7v2SourceConfigInput {
  return {
    id: 'lis',
    name: 'LIS (HL7 v2 MLLP)',
    kind: 'hl7v2',
    host: listener.host,
    port: listener.port,
    charset: CHARSET,
    receivingApplication: LIS_APPLICATION,
    receivingFacility: LIS_FACILITY,
    services: ['results'],
    patientIdAuthority: 'LIS',
    version: '2.4',
  };
}
