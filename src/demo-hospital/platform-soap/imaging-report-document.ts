/**
 * 张伟's 检查报告 (WS/T 500 C0006) of his prior chest CT, as the platform's EMR holds it
 * (synthetic, never a real patient's): the 电子申请单编号 on patientRole as WS/T 500 puts it, the
 * Study Instance UID in documentationOf/serviceEvent as DICOM PS3.20 does, the 主诉 and
 * clinical diagnosis of the order, and 检查所见 / 诊断意见 as the standard's data elements. The
 * PACS seeds this study without a FHIR report, so the viewer can only link it through the CDA.
 */
import { escapeXmlText as x } from '../../adapters/hl7v3/xml-text.ts';
import { DEMO_PRIOR_CT, demoStudyUid } from '../synthetic/dicom-uid.ts';
import { document, DOCUMENT_ID_ROOT, ICD10, section, WST500_DOC_OID, type PlatformDocument } from './cda-document-xml.ts';
import type { PlatformPatient } from './platform-patients.ts';

/** WS/T 500's root for the 电子申请单编号 (electronic order number). */
const ORDER_NUMBER_ROOT = '2.16.156.10011.1.24';
const DATA_ELEMENTS = 'codeSystem="2.16.156.10011.2.2.1" codeSystemName="卫生信息数据元目录"';

export const DEMO_PRIOR_CT_FINDINGS =
  '胸廓对称。双肺纹理清晰，右肺下叶背段见一枚实性小结节，直径约 0.5 cm，边缘光整。余肺野未见实变及磨玻璃影。气管及主支气管通畅。纵隔内未见肿大淋巴结。心影大小正常。未见胸腔积液。';
export const DEMO_PRIOR_CT_IMPRESSION = '右肺下叶背段小结节（约 0.5 cm），考虑良性可能，建议 12 个月后复查胸部 CT。';
export const DEMO_PRIOR_CT_COMPLAINT = '体检胸片发现右下肺小结节影 1 周。';

function element(code: string, label: string, value: string): string {
  return `<entry><observation classCode="OBS" moodCode="EVN"><code code="${code}" ${DATA_ELEMENTS} displayName="${label}"/><value xsi:type="ST">${x(value)}</value></observation></entry>`;
}

export function imagingReportFor(p: PlatformPatient): PlatformDocument {
  const studyUid = demoStudyUid(p.seed, DEMO_PRIOR_CT.key);
  const studyTime = `${DEMO_PRIOR_CT.date.replaceAll('-', '')}${DEMO_PRIOR_CT.time.replaceAll(':', '')}`;
  const effective = `${DEMO_PRIOR_CT.date.replaceAll('-', '')}163000`;
  const diagnosis =
    `<entry><observation classCode="OBS" moodCode="EVN"><code code="DE05.01.025.00" ${DATA_ELEMENTS} displayName="诊断名称"/>` +
    `<value xsi:type="ST">肺结节待查</value><entryRelationship typeCode="COMP"><observation classCode="OBS" moodCode="EVN">` +
    `<code code="DE05.01.024.00" ${DATA_ELEMENTS} displayName="诊断代码"/><value xsi:type="CD" code="R91" codeSystem="${ICD10}" codeSystemName="ICD-10" displayName="肺结节待查"/>` +
    '</observation></entryRelationship></observation></entry>';
  const sections = [
    section('29548-5', 'Diagnosis', '诊断记录', '', diagnosis),
    section('10154-3', 'CHIEF COMPLAINT', '主诉', '', element('DE04.01.119.00', '主诉', DEMO_PRIOR_CT_COMPLAINT)),
    section(
      '30954-2',
      'STUDIES SUMMARY',
      '检查报告',
      '',
      element('DE02.10.027.00', '检查方法名称', '胸部CT平扫') +
        element('DE04.30.018.00', '检查类别', 'CT') +
        element('DE04.50.131.00', '检查报告结果-客观所见', DEMO_PRIOR_CT_FINDINGS) +
        element('DE04.50.132.00', '检查报告结果-主观提示', DEMO_PRIOR_CT_IMPRESSION) +
        element('DE08.10.026.00', '检查报告科室', '放射科'),
    ),
  ];
  const headerExtras =
    `<documentationOf><serviceEvent classCode="ACT"><id root="${studyUid}"/><code displayName="胸部CT平扫"/>` +
    `<effectiveTime><low value="${studyTime}"/></effectiveTime></serviceEvent></documentationOf>`;
  const id = `${p.empiId}-EXAM-1`;
  const code = { code: 'C0006', codeSystem: WST500_DOC_OID, displayName: '检查报告' };
  const title = '检查报告 胸部CT平扫';
  return {
    id: { root: DOCUMENT_ID_ROOT, extension: id },
    code,
    title,
    effectiveTime: effective,
    xml: document(p, {
      id,
      code,
      title,
      effective,
      realm: 'CN',
      sections,
      headerExtras,
      author: '王影像 主治医师',
      roleIds: `<id root="${ORDER_NUMBER_ROOT}" extension="${DEMO_PRIOR_CT.accession}"/>`,
    }),
  };
}
