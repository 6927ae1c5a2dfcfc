/**
 * 张伟's brain MR order (synthetic, never a real patient's): the study the PACS holds with no
 * report yet — the radiologist's usual case. The CDR's ServiceRequest carries why it was ordered
 * (a reason in words and the hypertension Condition it references), what the ordering doctor
 * added, who ordered it and when; it names the study by accession number and by the Study
 * Instance UID the worklist gave the modality.
 */
import type { Condition, Resource, ServiceRequest } from '@medplum/fhirtypes';
import { demoStudyUid } from './dicom-uid.ts';

/** 张伟's brain MR: the seeder's third study (hence its accession number); no report names it. */
export const DEMO_MR = { key: 'mr-2023', accession: 'A202300003', date: '2023-09-05' } as const;

export const DEMO_MR_INDICATION = '反复头晕、头痛 2 周，血压控制欠佳，排除腔隙性脑梗死';
export const DEMO_MR_CLINICAL_INFO = '高血压病史 10 年，2 型糖尿病；无心脏起搏器及金属植入物，无 MR 检查禁忌';
export const DEMO_MR_REQUESTER = '赵神经 主治医师';

const V2_0203 = 'http://terminology.hl7.org/CodeSystem/v2-0203';
const ACCESSION_SYSTEM = 'urn:oid:2.16.840.1.113883.3.9999.1.7';

/** The hypertension among the patient's conditions, which the order gives as a reason by reference. */
function hypertensionOf(records: readonly Resource[]): Condition | undefined {
  return records.find((r): r is Condition => r.resourceType === 'Condition' && r.code?.coding?.some((c) => c.code === 'I10') === true);
}

export function demoMrOrder(patientId: string, seed: number, records: readonly Resource[]): ServiceRequest {
  const hypertension = hypertensionOf(records);
  return {
    resourceType: 'ServiceRequest',
    id: `${patientId}-sr-mr-2023`,
    meta: { versionId: '1', lastUpdated: '2023-09-04T08:20:00Z' },
    identifier: [
      {
        type: { coding: [{ system: V2_0203, code: 'ACSN' }], text: 'Accession number' },
        system: ACCESSION_SYSTEM,
        value: DEMO_MR.accession,
      },
      { system: 'urn:dicom:uid', value: `urn:oid:${demoStudyUid(seed, DEMO_MR.key)}` },
    ],
    status: 'completed',
    intent: 'order',
    category: [{ coding: [{ system: 'http://snomed.info/sct', code: '363679005', display: 'Imaging' }], text: '检查' }],
    code: { text: '头颅MR平扫 Brain MR without contrast' },
    subject: { reference: `Patient/${patientId}` },
    authoredOn: '2023-09-04T16:20:00+08:00',
    requester: { display: DEMO_MR_REQUESTER },
    reasonCode: [{ coding: [{ system: 'http://hl7.org/fhir/sid/icd-10', code: 'R42', display: '头晕和眩晕' }], text: DEMO_MR_INDICATION }],
    ...(hypertension?.id ? { reasonReference: [{ reference: `Condition/${hypertension.id}` }] } : {}),
    note: [{ text: DEMO_MR_CLINICAL_INFO }],
  };
}
