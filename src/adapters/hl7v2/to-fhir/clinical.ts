/**
 * The smaller clinical segments: AL1 → AllergyIntolerance, DG1 and PRB → Condition, PR1 → Procedure
 * (pharmacy orders are in pharmacy-order.ts).
 */
import type { AllergyIntolerance, Condition, Encounter, Patient, Procedure, Reference } from '@medplum/fhirtypes';
import type { Hl7Segment } from '../hl7-message.ts';
import { codeableConcept, comp, dateTime, type DataTypeContext, conceptKey } from './datatypes.ts';
import { xcnDisplay } from './encounter.ts';
import { stableId } from './ids.ts';

type Ctx = DataTypeContext & { namespace: string; fallbackKey: string };

const ALLERGY_CATEGORY: Record<string, NonNullable<AllergyIntolerance['category']>[number]> = {
  DA: 'medication',
  FA: 'food',
  EA: 'environment',
  LA: 'environment',
  AA: 'environment',
  PA: 'environment',
};
const SEVERITY: Record<string, 'mild' | 'moderate' | 'severe'> = { MI: 'mild', MO: 'moderate', SV: 'severe' };

export function allergyFromAl1(al1: Hl7Segment, patient: Reference<Patient> | undefined, patientKey: string, ctx: Ctx): AllergyIntolerance {
  const code = codeableConcept(al1.composite(3), ctx) ?? { text: 'Allergy' };
  const codeKey = conceptKey(code);
  const category = ALLERGY_CATEGORY[comp(al1.composite(2), 1).toUpperCase()];
  const severity = SEVERITY[comp(al1.composite(4), 1).toUpperCase()];
  const reactions = al1
    .repetitions(5)
    .map((r) => comp(r, 1))
    .filter(Boolean);
  const recorded = dateTime(comp(al1.composite(6), 1), ctx);
  return {
    resourceType: 'AllergyIntolerance',
    id: stableId('alg', ctx.namespace, patientKey, codeKey),
    clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical', code: 'active' }] },
    ...(category ? { category: [category] } : {}),
    code,
    patient: patient ?? { display: 'unknown patient' },
    ...(recorded ? { recordedDate: recorded } : {}),
    ...(reactions.length > 0 || severity
      ? {
          reaction: [
            {
              manifestation: reactions.length > 0 ? reactions.map((text) => ({ text })) : [{ text: code.text ?? 'reaction' }],
              ...(severity ? { severity } : {}),
            },
          ],
        }
      : {}),
  };
}

const VERIFICATION: Record<string, string> = { A: 'provisional', W: 'provisional', F: 'confirmed' };

export function conditionFromDg1(
  dg1: Hl7Segment,
  subject: Reference<Patient> | undefined,
  encounter: Reference<Encounter> | undefined,
  patientKey: string,
  ctx: Ctx,
): Condition {
  const coded = codeableConcept(dg1.composite(3), ctx);
  const description = comp(dg1.composite(4), 1);
  const code = coded ? { ...coded, ...(coded.text ? {} : description ? { text: description } : {}) } : { text: description || 'Diagnosis' };
  const codeKey = conceptKey(code);
  const when = dateTime(comp(dg1.composite(5), 1), ctx);
  const verification = VERIFICATION[comp(dg1.composite(6), 1).toUpperCase()];
  return {
    resourceType: 'Condition',
    id: stableId('cond', ctx.namespace, patientKey, codeKey, when ?? ''),
    ...(verification
      ? { verificationStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-ver-status', code: verification }] } }
      : {}),
    category: [
      {
        coding: [
          {
            system: 'http://terminology.hl7.org/CodeSystem/condition-category',
            code: 'encounter-diagnosis',
            display: 'Encounter Diagnosis',
          },
        ],
      },
    ],
    code,
    subject: subject ?? { display: 'unknown patient' },
    ...(encounter ? { encounter } : {}),
    ...(when ? { recordedDate: when } : {}),
  };
}

/** HL7 table 0287 problem actions: a deleted problem was never the patient's. */
const PROBLEM_DELETED = new Set(['DE']);

/**
 * PRB (PPR problem messages, and ADT/ORU feeds that carry the problem list): a problem-list item.
 * PRB-3 the problem, PRB-4 its instance id (what later actions on it name), PRB-7 established,
 * PRB-9 resolved, PRB-16 onset.
 */
export function conditionFromPrb(
  prb: Hl7Segment,
  subject: Reference<Patient> | undefined,
  encounter: Reference<Encounter> | undefined,
  patientKey: string,
  ctx: Ctx,
): Condition {
  const coded = codeableConcept(prb.composite(3), ctx);
  // Problem lists often send the problem's name alone in PRB-3.1 ("aortic stenosis"): it is the name to show.
  const named = coded?.text ?? coded?.coding?.find((c) => c.display)?.display ?? coded?.coding?.[0]?.code;
  const code = coded ? { ...coded, ...(named ? { text: named } : {}) } : { text: 'Problem' };
  const codeKey = conceptKey(code);
  const instance = comp(prb.composite(4), 1);
  const deleted = PROBLEM_DELETED.has(comp(prb.composite(1), 1).toUpperCase());
  const onset = dateTime(comp(prb.composite(16), 1), ctx);
  const established = dateTime(comp(prb.composite(7), 1), ctx);
  const resolved = dateTime(comp(prb.composite(9), 1), ctx);
  return {
    resourceType: 'Condition',
    id: stableId('prb', ctx.namespace, patientKey, instance || codeKey),
    ...(deleted
      ? {
          verificationStatus: {
            coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-ver-status', code: 'entered-in-error' }],
          },
        }
      : {
          clinicalStatus: {
            coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: resolved ? 'resolved' : 'active' }],
          },
        }),
    category: [
      {
        coding: [
          { system: 'http://terminology.hl7.org/CodeSystem/condition-category', code: 'problem-list-item', display: 'Problem List Item' },
        ],
      },
    ],
    code,
    subject: subject ?? { display: 'unknown patient' },
    ...(encounter ? { encounter } : {}),
    ...(onset ? { onsetDateTime: onset } : {}),
    ...(resolved ? { abatementDateTime: resolved } : {}),
    ...(established ? { recordedDate: established } : {}),
  };
}

/** PR1 (ADT A01–A03 and others): a procedure the patient had. PR1-3 code, PR1-4 its description, PR1-5 when. */
export function procedureFromPr1(
  pr1: Hl7Segment,
  subject: Reference<Patient> | undefined,
  encounter: Reference<Encounter> | undefined,
  patientKey: string,
  ctx: Ctx,
): Procedure {
  const coded = codeableConcept(pr1.composite(3), ctx);
  const description = comp(pr1.composite(4), 1);
  const code = coded ? { ...coded, ...(coded.text ? {} : description ? { text: description } : {}) } : { text: description || 'Procedure' };
  const codeKey = conceptKey(code);
  const when = dateTime(comp(pr1.composite(5), 1), ctx);
  // PR1-12 (PR1-11 before v2.3's split): who performed it.
  const performer = xcnDisplay(pr1, 12) ?? xcnDisplay(pr1, 11);
  const note = description && description !== code.text ? description : undefined;
  return {
    resourceType: 'Procedure',
    id: stableId('proc', ctx.namespace, patientKey, codeKey, when ?? ''),
    // PR1 reports procedures performed; the segment has no status of its own.
    status: 'completed',
    code,
    subject: subject ?? { display: 'unknown patient' },
    ...(encounter ? { encounter } : {}),
    ...(when ? { performedDateTime: when } : {}),
    ...(performer ? { performer: [{ actor: { display: performer } }] } : {}),
    ...(note ? { note: [{ text: note }] } : {}),
  };
}
