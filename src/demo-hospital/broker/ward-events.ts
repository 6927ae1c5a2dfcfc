/**
 * The demo integration platform's event stream: admissions (ADT^A01), transfers (A02),
 * discharges (A03) and lab results (ORU^R01) for the demo HIS's patients on the demo wards, as
 * HL7 v2 from the HIS (MSH-3 "HIS"), each with its routing key `adt.<ward>` or `oru.<ward>`.
 * A stay cycles admit → results → transfer → results → discharge, so the stream never ends.
 */
import { encodeHl7, hl7Timestamp, type Hl7SegmentInput } from '../../adapters/hl7v2/encode-hl7.ts';
import { hisPatients, type HisPatient } from '../his-mllp/his-patients.ts';
import { HIS_APPLICATION, HIS_FACILITY } from '../his-mllp/his-mllp.ts';
import { pidSegment } from '../hl7v2-common/pid-segment.ts';
import type { SyntheticHospital } from '../synthetic/synthetic-hospital.ts';

export const DEMO_WARDS = ['CARD-1', 'RESP-2'] as const;

export interface WardEvent {
  routingKey: string;
  messageId: string;
  body: string;
  /** For the demo's log line: no names. */
  summary: string;
}

interface Stay {
  patient: HisPatient;
  ward: string;
  bed: number;
  step: number;
}

/** Results drawn per event, in the units and codes the LIS uses. */
const RESULTS = [
  { code: '2823-3', text: '钾', unit: 'mmol/L', range: '3.5-5.3', low: 3.0, high: 6.2 },
  { code: '2345-7', text: '葡萄糖', unit: 'mmol/L', range: '3.9-6.1', low: 3.5, high: 14 },
  { code: '2160-0', text: '肌酐', unit: 'umol/L', range: '57-111', low: 50, high: 300 },
] as const;

export interface WardEventSource {
  next(now?: Date): WardEvent;
}

export function createWardEvents(data: SyntheticHospital, options: { seed?: number; patients?: number } = {}): WardEventSource {
  const patients = hisPatients(data).slice(0, options.patients ?? 12);
  let state = (options.seed ?? 16) >>> 0;
  const random = (): number => {
    // xorshift32: the same seed gives the same stream (tests, screenshots).
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 0x1_0000_0000;
  };
  const stays: Stay[] = patients.map((patient, i) => ({
    patient,
    ward: DEMO_WARDS[i % DEMO_WARDS.length]!,
    bed: 1 + Math.floor(i / DEMO_WARDS.length),
    step: 0,
  }));
  let counter = 0;
  let turn = 0;

  function message(type: string, structure: string, now: Date, body: Hl7SegmentInput[]): string {
    counter += 1;
    const controlId = `BRK${now.getTime().toString(36).toUpperCase()}${counter}`;
    const msh: Hl7SegmentInput = {
      name: 'MSH',
      fields: [
        HIS_APPLICATION,
        HIS_FACILITY,
        'HUIZHEN',
        'WARD',
        hl7Timestamp(now),
        undefined,
        [type.split('^')[0], type.split('^')[1], structure],
        controlId,
        'P',
        '2.5',
        undefined,
        undefined,
        'AL',
        'NE',
        'CHN',
        'UNICODE UTF-8',
      ],
    };
    return encodeHl7([msh, ...body]);
  }

  function pv1(stay: Stay, patientClass = 'I'): Hl7SegmentInput {
    return { name: 'PV1', fields: [1, patientClass, [stay.ward, String(100 + stay.bed), String(stay.bed)]] };
  }

  return {
    next(now = new Date()) {
      const stay = stays[turn % stays.length]!;
      turn += 1;
      const pid = pidSegment(1, stay.patient.view);
      const at = hl7Timestamp(now);
      const step = stay.step % 6;
      stay.step += 1;
      if (step === 0 || step === 5) {
        const type = step === 0 ? 'A01' : 'A03';
        const body = message(`ADT^${type}`, 'ADT_A01', now, [{ name: 'EVN', fields: [type, at] }, pid, pv1(stay)]);
        return {
          routingKey: `adt.${stay.ward}`,
          messageId: controlIdOf(body),
          body,
          summary: `${type === 'A01' ? 'admission' : 'discharge'} on ${stay.ward}`,
        };
      }
      if (step === 3) {
        const from = stay.ward;
        stay.ward = DEMO_WARDS[(DEMO_WARDS.indexOf(from as (typeof DEMO_WARDS)[number]) + 1) % DEMO_WARDS.length]!;
        const body = message('ADT^A02', 'ADT_A02', now, [
          { name: 'EVN', fields: ['A02', at] },
          pid,
          { name: 'PV1', fields: [1, 'I', [stay.ward, String(100 + stay.bed), String(stay.bed)], undefined, undefined, [from]] },
        ]);
        return { routingKey: `adt.${stay.ward}`, messageId: controlIdOf(body), body, summary: `transfer ${from} → ${stay.ward}` };
      }
      const result = RESULTS[Math.floor(random() * RESULTS.length)]!;
      const value = (result.low + random() * (result.high - result.low)).toFixed(1);
      const [lo, hi] = result.range.split('-').map(Number) as [number, number];
      const flag = Number(value) < lo ? 'L' : Number(value) > hi ? 'H' : 'N';
      const order = `BRK-${counter + 1}`;
      const body = message('ORU^R01', 'ORU_R01', now, [
        pid,
        pv1(stay),
        { name: 'ORC', fields: ['RE', order, order] },
        {
          name: 'OBR',
          fields: [
            1,
            order,
            order,
            [result.code, result.text, 'LN'],
            undefined,
            undefined,
            at,
            undefined,
            undefined,
            undefined,
            undefined,
            undefined,
            undefined,
            undefined,
            undefined,
            undefined,
            undefined,
            undefined,
            undefined,
            undefined,
            undefined,
            at,
            undefined,
            undefined,
            'F',
          ],
        },
        {
          name: 'OBX',
          fields: [
            1,
            'NM',
            [result.code, result.text, 'LN'],
            undefined,
            value,
            result.unit,
            result.range,
            flag,
            undefined,
            undefined,
            'F',
            undefined,
            undefined,
            at,
          ],
        },
      ]);
      return { routingKey: `oru.${stay.ward}`, messageId: controlIdOf(body), body, summary: `result ${result.code} on ${stay.ward}` };
    },
  };
}

function controlIdOf(body: string): string {
  return body.split('\r', 1)[0]!.split('|')[9] ?? '';
}
