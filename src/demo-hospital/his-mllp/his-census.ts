/**
 * The demo HIS's ward census, as IHE ITI-22 (Patient Demographics and Visit Query) answers it:
 * QBP^ZV1 with QPD-3 naming the ward (`@PV1.3.1`), the attending (`@PV1.7.1`) and/or the patient
 * class (`@PV1.2`) → RSP^ZV2 with a PID, PV1 and PV2 (admit reason) per current inpatient. The
 * inpatients are the CDR's in-progress stays, known to the HIS under its own MRNs.
 */
import type { Encounter } from '@medplum/fhirtypes';
import type { Hl7Segment } from '../../adapters/hl7v2/hl7-message.ts';
import type { Hl7SegmentInput } from '../../adapters/hl7v2/encode-hl7.ts';
import { toHl7Time } from '../hl7v2-common/demo-identities.ts';
import { pidSegment } from '../hl7v2-common/pid-segment.ts';
import type { SyntheticHospital } from '../synthetic/synthetic-hospital.ts';
import type { HisPatient } from './his-patients.ts';

export interface HisInpatient {
  patient: HisPatient;
  ward: string;
  room?: string;
  bed?: string;
  attending?: { id: string; display?: string };
  visitNumber: string;
  admittedAt?: string;
  reason?: { code?: string; display: string };
}

export interface CensusCriteria {
  ward?: string;
  attending?: string;
  patientClass?: string;
}

const CENSUS_FIELDS: Record<string, keyof CensusCriteria> = {
  '@PV1.3.1': 'ward',
  '@PV1.3': 'ward',
  '@PV1.7.1': 'attending',
  '@PV1.7': 'attending',
  '@PV1.2': 'patientClass',
};

/** QPD-3 of QBP^ZV1; a field the HIS does not search on is named so the answer can refuse it (AE). */
export function readCensusCriteria(qpd: Hl7Segment): CensusCriteria | { unsupported: string } | { empty: true } {
  const criteria: CensusCriteria = {};
  for (const rep of qpd.repetitions(3)) {
    const field = (rep[0]?.[0] ?? '').trim().toUpperCase();
    const value = (rep[1]?.[0] ?? '').trim();
    if (!field || !value) continue;
    const key = CENSUS_FIELDS[field];
    if (!key) return { unsupported: field };
    criteria[key] = value;
  }
  return criteria.ward || criteria.attending ? criteria : { empty: true };
}

/**
 * The one stay the demo HIS places elsewhere than the CDR does (a transfer the CDR has not
 * received): the ward worklist shows such a disagreement as a conflict.
 */
export const HIS_TRANSFER_NOT_IN_CDR = { ward: 'CARD-1', cdrBed: '32', room: '12', bed: '35' } as const;

/** The in-progress inpatient stays of the synthetic hospital, each with the HIS's view of the patient. */
export function hisInpatients(data: SyntheticHospital, patients: readonly HisPatient[]): HisInpatient[] {
  const byCdrId = new Map(patients.map((p) => [p.identity.cdrId, p]));
  return data.resources.flatMap((resource): HisInpatient[] => {
    if (resource.resourceType !== 'Encounter') return [];
    const stay = resource as Encounter;
    if (stay.status !== 'in-progress' || stay.class.code !== 'IMP') return [];
    const patient = byCdrId.get(stay.subject?.reference?.replace(/^Patient\//, '') ?? '');
    const where = stay.location?.[0]?.location;
    const ward = where?.identifier?.value;
    if (!patient || !ward) return [];
    const display = where.display ?? '';
    const conflicting = ward === HIS_TRANSFER_NOT_IN_CDR.ward && display.includes(`${HIS_TRANSFER_NOT_IN_CDR.cdrBed}床`);
    // One deliberate disagreement: the HIS has moved this patient, the CDR has not heard yet.
    const room = conflicting ? HIS_TRANSFER_NOT_IN_CDR.room : /(\d+)\s*室/.exec(display)?.[1];
    const bed = conflicting ? HIS_TRANSFER_NOT_IN_CDR.bed : /(\d+)\s*床/.exec(display)?.[1];
    const attending = stay.participant?.find((p) => p.individual)?.individual;
    const attendingId = attending?.identifier?.value ?? attending?.reference?.split('/').pop();
    const reason = stay.reasonCode?.[0];
    return [
      {
        patient,
        ward,
        ...(room ? { room } : {}),
        ...(bed ? { bed } : {}),
        ...(attendingId ? { attending: { id: attendingId, ...(attending?.display ? { display: attending.display } : {}) } } : {}),
        visitNumber: `V-${stay.id ?? patient.identity.hisMrn}`,
        ...(stay.period?.start ? { admittedAt: stay.period.start } : {}),
        ...(reason?.text || reason?.coding?.[0]?.display
          ? {
              reason: {
                display: reason.text ?? reason.coding?.[0]?.display ?? '',
                ...(reason.coding?.[0]?.code ? { code: reason.coding[0].code } : {}),
              },
            }
          : {}),
      },
    ];
  });
}

export function matchesCensus(inpatient: HisInpatient, criteria: CensusCriteria): boolean {
  if (criteria.patientClass && criteria.patientClass.toUpperCase() !== 'I') return false;
  if (criteria.ward && inpatient.ward !== criteria.ward) return false;
  if (criteria.attending && inpatient.attending?.id !== criteria.attending) return false;
  return true;
}

/** PID, PV1 and PV2 of one inpatient, as RSP^ZV2 lists them. */
export function inpatientSegments(inpatient: HisInpatient, setId: number): Hl7SegmentInput[] {
  const pv1 = Array.from({ length: 44 }, (): Hl7SegmentInput['fields'][number] => undefined);
  pv1[0] = setId;
  pv1[1] = 'I';
  pv1[2] = [inpatient.ward, inpatient.room, inpatient.bed];
  pv1[6] = inpatient.attending ? [inpatient.attending.id, inpatient.attending.display] : undefined;
  pv1[18] = inpatient.visitNumber;
  pv1[43] = toHl7Time(inpatient.admittedAt);
  return [
    pidSegment(setId, inpatient.patient.view),
    { name: 'PV1', fields: pv1 },
    ...(inpatient.reason
      ? [{ name: 'PV2', fields: [undefined, undefined, [inpatient.reason.code, inpatient.reason.display, 'I10']] }]
      : []),
  ];
}
