/**
 * 张伟's chest CT report and the order behind it (synthetic, never a real patient's): a
 * DiagnosticReport naming the study by accession number and by Study Instance UID, as a RIS
 * does, and the ServiceRequest carrying the clinical indication. The viewer shows this report
 * beside the images.
 */
import type { DiagnosticReport, ServiceRequest } from '@medplum/fhirtypes';
import { LOINC_SYSTEM } from './clinical-catalog.ts';
import { DEMO_CURRENT_CT, demoStudyUid } from './dicom-uid.ts';

const V2_0203 = 'http://terminology.hl7.org/CodeSystem/v2-0203';
const V2_0074 = 'http://terminology.hl7.org/CodeSystem/v2-0074';
const ACCESSION_SYSTEM = 'urn:oid:2.16.840.1.113883.3.9999.1.7';
const ICD10 = 'http://hl7.org/fhir/sid/icd-10';

export const DEMO_CT_FINDINGS =
  '胸廓对称。双肺纹理增多，右肺下叶见小片状磨玻璃密度影，边界模糊，最大径约 1.2 cm。气管及主支气管通畅。纵隔内未见肿大淋巴结。心影稍大，主动脉壁见钙化。未见胸腔积液。';
export const DEMO_CT_IMPRESSION = '右肺下叶磨玻璃影，考虑炎症可能，建议抗感染治疗后复查；心影稍大，主动脉硬化。';

const utf8Base64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');

export function demoRadiologyReport(patientId: string, seed: number, requester: string): [ServiceRequest, DiagnosticReport] {
  const subject = { reference: `Patient/${patientId}` };
  const studyUid = demoStudyUid(seed, DEMO_CURRENT_CT.key);
  const accession = {
    type: { coding: [{ system: V2_0203, code: 'ACSN' }], text: 'Accession number' },
    system: ACCESSION_SYSTEM,
    value: DEMO_CURRENT_CT.accession,
  };
  const orderedAt = `${DEMO_CURRENT_CT.date}T08:10:00+08:00`;
  const order: ServiceRequest = {
    resourceType: 'ServiceRequest',
    id: `${patientId}-sr-ct-2025`,
    meta: { versionId: '1', lastUpdated: `${DEMO_CURRENT_CT.date}T00:10:00Z` },
    identifier: [accession],
    status: 'completed',
    intent: 'order',
    category: [{ coding: [{ system: 'http://snomed.info/sct', code: '363679005', display: 'Imaging' }], text: '检查' }],
    code: { text: '胸部CT平扫 Chest CT without contrast' },
    subject,
    authoredOn: orderedAt,
    requester: { display: requester },
    reasonCode: [{ coding: [{ system: ICD10, code: 'R05', display: 'Cough' }], text: '咳嗽 1 周，发热，查肺部感染' }],
  };
  const report: DiagnosticReport = {
    resourceType: 'DiagnosticReport',
    id: `${patientId}-rpt-ct-2025`,
    meta: { versionId: '1', lastUpdated: `${DEMO_CURRENT_CT.date}T03:05:00Z` },
    identifier: [accession],
    basedOn: [{ reference: `ServiceRequest/${order.id}` }],
    status: 'final',
    category: [{ coding: [{ system: V2_0074, code: 'RAD', display: 'Radiology' }], text: '影像' }],
    code: { coding: [{ system: LOINC_SYSTEM, code: '24627-2', display: 'CT Chest' }], text: '检查报告 胸部CT平扫' },
    subject,
    effectiveDateTime: `${DEMO_CURRENT_CT.date}T${DEMO_CURRENT_CT.time}+08:00`,
    issued: `${DEMO_CURRENT_CT.date}T03:05:00Z`,
    resultsInterpreter: [{ display: '王影像 主治医师' }],
    imagingStudy: [{ identifier: { system: 'urn:dicom:uid', value: `urn:oid:${studyUid}` }, display: 'CT 胸部平扫 Chest CT' }],
    conclusion: DEMO_CT_IMPRESSION,
    presentedForm: [{ contentType: 'text/plain; charset=utf-8', title: '检查所见', data: utf8Base64(DEMO_CT_FINDINGS) }],
  };
  return [order, report];
}

/** The LIS and the platform's lab documents carry laboratory reports only, not this one. */
export function isRadiologyReport(report: DiagnosticReport): boolean {
  return report.category?.some((c) => c.coding?.some((x) => x.system === V2_0074 && x.code === 'RAD')) === true;
}
