/** PV1 → Encounter: class, visit number, period, location and attending doctor. */
import type { Encounter, Patient, Reference } from '@medplum/fhirtypes';
import type { Hl7Segment } from '../hl7-message.ts';
import { comp, dateTime, identifier, type DataTypeContext } from './datatypes.ts';
import { stableId } from './ids.ts';

const ACT_CODE = 'http://terminology.hl7.org/CodeSystem/v3-ActCode';
const CLASS: Record<string, { code: string; display: string }> = {
  I: { code: 'IMP', display: 'inpatient encounter' },
  O: { code: 'AMB', display: 'ambulatory' },
  E: { code: 'EMER', display: 'emergency' },
  P: { code: 'PRENC', display: 'pre-admission' },
  R: { code: 'AMB', display: 'ambulatory' },
  B: { code: 'IMP', display: 'inpatient encounter' },
};

function xcnDisplay(seg: Hl7Segment, n: number): string | undefined {
  const c = seg.composite(n);
  const family = comp(c, 2, 1);
  const given = comp(c, 3);
  const text = /\p{Script=Han}/u.test(family + given) ? family + given : [comp(c, 6), given, family].filter(Boolean).join(' ');
  return text || comp(c, 1) || undefined;
}

export function encounterFromPv1(
  pv1: Hl7Segment,
  subject: Reference<Patient> | undefined,
  ctx: DataTypeContext & { namespace: string; fallbackKey: string },
): Encounter {
  const visit = identifier(pv1.composite(19), ctx);
  const key = visit ? `${visit.system ?? ''}|${visit.value}` : ctx.fallbackKey;
  const patientClass = comp(pv1.composite(2), 1).toUpperCase();
  const klass = CLASS[patientClass];
  const start = dateTime(comp(pv1.composite(44), 1), ctx);
  const end = dateTime(comp(pv1.composite(45), 1), ctx);
  const location = [comp(pv1.composite(3), 1), comp(pv1.composite(3), 2), comp(pv1.composite(3), 3)].filter(Boolean).join(' ');
  const attending = xcnDisplay(pv1, 7);
  return {
    resourceType: 'Encounter',
    id: stableId('enc', ctx.namespace, key),
    ...(visit ? { identifier: [visit] } : {}),
    status: end ? 'finished' : start ? 'in-progress' : 'unknown',
    class: klass
      ? { system: ACT_CODE, ...klass }
      : patientClass
        ? { system: 'http://terminology.hl7.org/CodeSystem/v2-0004', code: patientClass }
        : { system: 'http://terminology.hl7.org/CodeSystem/v3-NullFlavor', code: 'UNK' },
    ...(patientClass === 'I'
      ? { type: [{ text: '住院' }] }
      : patientClass === 'O'
        ? { type: [{ text: '门诊' }] }
        : patientClass === 'E'
          ? { type: [{ text: '急诊' }] }
          : {}),
    ...(subject ? { subject } : {}),
    ...(start || end ? { period: { ...(start ? { start } : {}), ...(end ? { end } : {}) } } : {}),
    ...(location ? { location: [{ location: { display: location } }] } : {}),
    ...(attending
      ? {
          participant: [
            {
              type: [
                { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ParticipationType', code: 'ATND', display: 'attender' }] },
              ],
              individual: { display: attending },
            },
          ],
        }
      : {}),
  };
}

export { xcnDisplay };
