/**
 * The platform's EMR documents for each synthetic patient, written as a Chinese platform would:
 * WS/T 500-style 入院记录 (C0034) and 出院小结 (C0053) per inpatient stay, a 检验报告 (C0007)
 * with LOINC-coded results for the latest lab panel, 张伟's 检查报告 (C0006) of his prior CT,
 * and, for English-named patients, one
 * C-CDA-style Continuity of Care Document. Built from the CDR's records, so the documents and
 * the FHIR data tell the same story.
 */
import type { CodeableConcept, Condition, Encounter, Observation } from '@medplum/fhirtypes';
import { escapeXmlText as x } from '../../adapters/hl7v3/xml-text.ts';
import {
  ATC,
  document,
  DOCUMENT_ID_ROOT,
  ICD10,
  LOINC,
  section,
  SNOMED,
  WST500_DOC_OID,
  type PlatformDocument,
} from './cda-document-xml.ts';
import { hl7ts } from './document-time.ts';
import { imagingReportFor } from './imaging-report-document.ts';
import { DEMO_PLATFORM_PATIENT, PLATFORM_EMPI_ROOT, type PlatformPatient } from './platform-patients.ts';

export type { PlatformDocument } from './cda-document-xml.ts';

function coding(cc: CodeableConcept | undefined): { code: string; display: string } {
  const c = cc?.coding?.[0];
  return { code: c?.code ?? 'UNK', display: c?.display ?? cc?.text ?? '' };
}

/**
 * A WS/T 500 diagnosis as platforms write it: the name (DE05.01.025.00) with the ICD-10 code
 * (DE05.01.024.00) nested in an entryRelationship; the labels carry the role (入院诊断/出院诊断,
 * 主要诊断/其他诊断).
 */
function diagnosisEntry(
  c: { code: string; display: string },
  at: string | undefined,
  role: '入院诊断' | '出院诊断',
  rank?: '主要诊断' | '其他诊断',
): string {
  const de = 'codeSystem="2.16.156.10011.2.2.1" codeSystemName="卫生信息数据元目录"';
  const qualifier = rank ? `<qualifier><name displayName="${rank}名称"/></qualifier>` : '';
  return (
    `<entry typeCode="COMP"><observation classCode="OBS" moodCode="EVN"><code code="DE05.01.025.00" ${de} displayName="${role}-西医诊断名称">${qualifier}</code>` +
    (at ? `<effectiveTime value="${hl7ts(at)}"/>` : '') +
    `<value xsi:type="ST">${x(c.display)}</value>` +
    `<entryRelationship typeCode="COMP"><observation classCode="OBS" moodCode="EVN"><code code="DE05.01.024.00" ${de} displayName="${role}-西医诊断编码"/>` +
    `<value xsi:type="CD" code="${x(c.code)}" codeSystem="${ICD10}" codeSystemName="ICD-10" displayName="${x(c.display)}"/></observation></entryRelationship></observation></entry>`
  );
}

function labEntries(results: Observation[]): string {
  return results
    .map((o) => {
      const c = coding(o.code);
      const q = o.valueQuantity;
      const range = o.referenceRange?.[0];
      const flag = o.interpretation?.[0]?.coding?.[0]?.code;
      const unit = q?.code ?? q?.unit ?? '1';
      return (
        `<entry><observation classCode="OBS" moodCode="EVN"><templateId root="2.16.840.1.113883.10.20.22.4.2"/><id root="${PLATFORM_EMPI_ROOT}.6" extension="${x(o.id ?? '')}"/>` +
        // As a Chinese platform writes it: the LOINC name as displayName, the lab's own 汉字 name as originalText.
        `<code code="${x(c.code)}" codeSystem="${LOINC}" displayName="${x(c.display)}">${o.code?.text ? `<originalText>${x(o.code.text)}</originalText>` : ''}</code><statusCode code="completed"/>` +
        `<effectiveTime value="${hl7ts(o.effectiveDateTime)}"/><value xsi:type="PQ" value="${q?.value ?? ''}" unit="${x(unit)}"/>` +
        (flag ? `<interpretationCode code="${flag}" codeSystem="2.16.840.1.113883.5.83"/>` : '') +
        (range?.low && range.high
          ? `<referenceRange><observationRange><value xsi:type="IVL_PQ"><low value="${range.low.value}" unit="${x(unit)}"/><high value="${range.high.value}" unit="${x(unit)}"/></value></observationRange></referenceRange>`
          : '') +
        '</observation></entry>'
      );
    })
    .join('');
}

function labTable(results: Observation[], cn: boolean): string {
  const head = cn
    ? '<tr><th>项目</th><th>结果</th><th>单位</th><th>参考范围</th><th>提示</th></tr>'
    : '<tr><th>Test</th><th>Result</th><th>Unit</th><th>Range</th><th>Flag</th></tr>';
  const rows = results
    .map(
      (o) =>
        `<tr><td>${x(o.code?.text ?? coding(o.code).display)}</td><td>${o.valueQuantity?.value ?? ''}</td><td>${x(o.valueQuantity?.unit ?? '')}</td><td>${x(o.referenceRange?.[0]?.text ?? '')}</td><td>${x(o.interpretation?.[0]?.coding?.[0]?.code ?? '')}</td></tr>`,
    )
    .join('');
  return `<table><thead>${head}</thead><tbody>${rows}</tbody></table>`;
}

function medicationEntries(p: PlatformPatient): string {
  return p.medications
    .map((m) => {
      const c = coding(m.medicationCodeableConcept);
      return (
        `<entry><substanceAdministration classCode="SBADM" moodCode="INT"><templateId root="2.16.840.1.113883.10.20.22.4.16"/><text>${x(m.dosageInstruction?.[0]?.text ?? '')}</text><statusCode code="active"/>` +
        `<effectiveTime xsi:type="IVL_TS"><low value="${hl7ts(m.authoredOn)}"/></effectiveTime>` +
        `<consumable><manufacturedProduct><manufacturedMaterial><code code="${x(c.code)}" codeSystem="${ATC}" displayName="${x(c.display)}"/></manufacturedMaterial></manufacturedProduct></consumable></substanceAdministration></entry>`
      );
    })
    .join('');
}

function allergyEntries(p: PlatformPatient): string {
  return p.allergies
    .map((a) => {
      const c = a.code?.coding?.[0];
      const system = c?.system === 'http://snomed.info/sct' ? SNOMED : ATC;
      const reaction = a.reaction?.[0]?.manifestation?.[0]?.text ?? '';
      return (
        `<entry><act classCode="ACT" moodCode="EVN"><templateId root="2.16.840.1.113883.10.20.22.4.30"/><code code="CONC" codeSystem="2.16.840.1.113883.5.6"/><entryRelationship typeCode="SUBJ"><observation classCode="OBS" moodCode="EVN"><templateId root="2.16.840.1.113883.10.20.22.4.7"/><code code="ASSERTION" codeSystem="2.16.840.1.113883.5.4"/>` +
        `<effectiveTime><low value="${hl7ts(a.recordedDate)}"/></effectiveTime><value xsi:type="CD" code="${a.category?.[0] === 'food' ? '414285001' : a.category?.[0] === 'medication' ? '416098002' : '419199007'}" codeSystem="${SNOMED}"/>` +
        `<participant typeCode="CSM"><participantRole classCode="MANU"><playingEntity classCode="MMAT"><code code="${x(c?.code ?? '')}" codeSystem="${system}" displayName="${x(c?.display ?? '')}"><originalText>${x(a.code?.text ?? '')}</originalText></code></playingEntity></participantRole></participant>` +
        `<entryRelationship typeCode="MFST" inversionInd="true"><observation classCode="OBS" moodCode="EVN"><templateId root="2.16.840.1.113883.10.20.22.4.9"/><code code="ASSERTION" codeSystem="2.16.840.1.113883.5.4"/><value xsi:type="CD" nullFlavor="OTH"><originalText>${x(reaction)}</originalText></value></observation></entryRelationship>` +
        '</observation></entryRelationship></act></entry>'
      );
    })
    .join('');
}

function chronic(p: PlatformPatient): Condition[] {
  return p.conditions.filter((c) => !c.abatementDateTime);
}

/** WS/T 500 data elements of the admission examination's vital signs, by the LOINC the CDR records them under. */
const WST500_VITALS: readonly { loinc: string; element: string; label: string; component?: string }[] = [
  { loinc: '8310-5', element: 'DE04.10.186.00', label: '体温' },
  { loinc: '8867-4', element: 'DE04.10.118.00', label: '脉率' },
  { loinc: '9279-1', element: 'DE04.10.081.00', label: '呼吸频率' },
  { loinc: '85354-9', element: 'DE04.10.174.00', label: '收缩压', component: '8480-6' },
  { loinc: '85354-9', element: 'DE04.10.176.00', label: '舒张压', component: '8462-4' },
  { loinc: '29463-7', element: 'DE04.10.188.00', label: '体重' },
];

/**
 * Onsets 张伟 gave the admitting doctor for his 既往史, where they differ from the hospital's own
 * first diagnosis: his diabetes was found at a community clinic in June 2018, before the CDR
 * first coded it (2019-03-25). Synthetic; it gives the demo an onset two systems state
 * differently, which the merged record must show rather than settle silently.
 */
const DEMO_REPORTED_ONSETS: Readonly<Record<string, string>> = { 'E11.9': '2018-06-15' };

/** The demo patient's past illnesses with the onset he reported, as coded problem observations. */
function pastIllnessEntries(p: PlatformPatient): string {
  if (p.empiId !== DEMO_PLATFORM_PATIENT.extension) return '';
  return chronic(p)
    .map((c) => coding(c.code))
    .filter((c) => DEMO_REPORTED_ONSETS[c.code] !== undefined)
    .map(
      (c) =>
        `<entry><observation classCode="OBS" moodCode="EVN"><templateId root="2.16.840.1.113883.10.20.22.4.4"/><code code="55607006" codeSystem="${SNOMED}" displayName="Problem"/><statusCode code="completed"/>` +
        `<effectiveTime><low value="${hl7ts(DEMO_REPORTED_ONSETS[c.code])}"/></effectiveTime><value xsi:type="CD" code="${x(c.code)}" codeSystem="${ICD10}" displayName="${x(c.display)}"/></observation></entry>`,
    )
    .join('');
}

/** The vital signs measured at admission (the stay's start), as the nursing chart holds them; none → no section. */
function admissionVitalsSection(p: PlatformPatient, stay: Encounter): string | undefined {
  const at = stay.period?.start;
  const taken = p.observations.filter(
    (o) => o.effectiveDateTime === at && o.category?.some((c) => c.coding?.some((x) => x.code === 'vital-signs')),
  );
  const rows = WST500_VITALS.flatMap((v) => {
    const o = taken.find((t) => t.code.coding?.some((c) => c.code === v.loinc));
    const q = v.component ? o?.component?.find((c) => c.code.coding?.some((x) => x.code === v.component))?.valueQuantity : o?.valueQuantity;
    return q?.value !== undefined ? [{ ...v, value: q.value, unit: q.code ?? q.unit ?? '' }] : [];
  });
  if (rows.length === 0) return undefined;
  const text = `<paragraph>${rows.map((r) => `${r.label} ${r.value} ${x(r.unit.replace('mm[Hg]', 'mmHg').replace('Cel', '℃').replace('/min', '次/分'))}`).join('，')}</paragraph>`;
  const entries = rows
    .map(
      (r) =>
        `<entry typeCode="COMP"><observation classCode="OBS" moodCode="EVN"><code code="${r.element}" codeSystem="2.16.156.10011.2.2.1" displayName="${r.label}"/>` +
        `<effectiveTime value="${hl7ts(at)}"/><value xsi:type="PQ" value="${r.value}" unit="${x(r.unit)}"/></observation></entry>`,
    )
    .join('');
  return section('8716-3', 'VITAL SIGNS', '体格检查 生命体征', text, entries);
}

function admissionNote(p: PlatformPatient, stay: Encounter, n: number): PlatformDocument {
  const reason = coding(stay.reasonCode?.[0]);
  const history = chronic(p).map((c) => coding(c.code));
  const effective = hl7ts(stay.period?.start);
  const allergyText =
    p.allergies.length > 0
      ? p.allergies.map((a) => `${x(a.code?.text ?? '')}（${x(a.reaction?.[0]?.manifestation?.[0]?.text ?? '')}）`).join('；')
      : '否认药物及食物过敏史';
  const sections = [
    section('10154-3', 'CHIEF COMPLAINT', '主诉', '<paragraph>发热、咳嗽3天。</paragraph>'),
    section(
      '10164-2',
      'HISTORY OF PRESENT ILLNESS',
      '现病史',
      '<paragraph>患者3天前受凉后出现发热，最高体温38.9℃，伴咳嗽、咳黄痰。门诊胸片提示右下肺斑片影，收入院。</paragraph>',
    ),
    section(
      '11348-0',
      'HISTORY OF PAST ILLNESS',
      '既往史',
      `<list>${history.map((h) => `<item>${x(h.display)}（${x(h.code)}）</item>`).join('') || '<item>既往体健</item>'}</list>`,
      pastIllnessEntries(p),
    ),
    section(
      '48765-2',
      'ALLERGIES',
      '过敏史',
      `<paragraph>${allergyText}</paragraph>`,
      allergyEntries(p),
      '2.16.840.1.113883.10.20.22.2.6.1',
    ),
    admissionVitalsSection(p, stay),
    section(
      '46241-6',
      'HOSPITAL ADMISSION DX',
      '入院诊断',
      `<paragraph>${x(reason.display)}（${x(reason.code)}）</paragraph>`,
      diagnosisEntry(reason, stay.period?.start, '入院诊断'),
    ),
  ].filter((s): s is string => s !== undefined);
  const id = `${p.empiId}-ADM-${n}`;
  const code = { code: 'C0034', codeSystem: WST500_DOC_OID, displayName: '入院记录' };
  return {
    id: { root: DOCUMENT_ID_ROOT, extension: id },
    code,
    title: '入院记录',
    effectiveTime: effective,
    xml: document(p, { id, code, title: '入院记录', effective, realm: 'CN', encounter: stay, sections }),
  };
}

function dischargeSummary(p: PlatformPatient, stay: Encounter, n: number): PlatformDocument {
  const reason = coding(stay.reasonCode?.[0]);
  const effective = hl7ts(stay.period?.end);
  const discharge = [reason, ...chronic(p).map((c) => coding(c.code))];
  const sections = [
    section('46241-6', 'HOSPITAL ADMISSION DX', '入院诊断', `<paragraph>${x(reason.display)}</paragraph>`),
    section(
      '8648-8',
      'HOSPITAL COURSE',
      '住院经过',
      '<paragraph>入院后予抗感染、化痰、补液等治疗，体温于第3天恢复正常，复查血常规好转。</paragraph>',
    ),
    section(
      '11535-2',
      'HOSPITAL DISCHARGE DX',
      '出院诊断',
      `<list listType="ordered">${discharge.map((d) => `<item>${x(d.display)}（${x(d.code)}）</item>`).join('')}</list>`,
      discharge.map((d, i) => diagnosisEntry(d, stay.period?.end, '出院诊断', i === 0 ? '主要诊断' : '其他诊断')).join(''),
    ),
    section(
      '10183-2',
      'HOSPITAL DISCHARGE MEDICATIONS',
      '出院带药',
      `<list>${p.medications.map((m) => `<item>${x(coding(m.medicationCodeableConcept).display)}：${x(m.dosageInstruction?.[0]?.text ?? '')}</item>`).join('')}</list>`,
      medicationEntries(p),
    ),
    section(
      '8653-8',
      'HOSPITAL DISCHARGE INSTRUCTIONS',
      '出院医嘱',
      '<paragraph>注意休息，1周后呼吸科门诊复诊，<content styleCode="Bold">如再发热请及时就诊</content>。</paragraph>',
    ),
  ];
  const id = `${p.empiId}-DIS-${n}`;
  const code = { code: 'C0053', codeSystem: WST500_DOC_OID, displayName: '出院小结' };
  return {
    id: { root: DOCUMENT_ID_ROOT, extension: id },
    code,
    title: '出院小结',
    effectiveTime: effective,
    xml: document(p, { id, code, title: '出院小结', effective, realm: 'CN', encounter: stay, sections }),
  };
}

function latestPanel(p: PlatformPatient): Observation[] {
  const report = [...p.reports].sort((a, b) => (a.effectiveDateTime ?? '').localeCompare(b.effectiveDateTime ?? '')).at(-1);
  if (!report) return [];
  const ids = new Set((report.result ?? []).map((r) => r.reference?.replace('Observation/', '')));
  return p.observations.filter((o) => ids.has(o.id));
}

function labReport(p: PlatformPatient): PlatformDocument | undefined {
  const results = latestPanel(p);
  const first = results[0];
  if (!first) return undefined;
  const effective = hl7ts(first.issued ?? first.effectiveDateTime);
  const sections = [
    section('30954-2', 'STUDIES SUMMARY', '检验结果', labTable(results, true), labEntries(results), '2.16.840.1.113883.10.20.22.2.3.1'),
  ];
  const id = `${p.empiId}-LAB-1`;
  const code = { code: 'C0007', codeSystem: WST500_DOC_OID, displayName: '检验报告' };
  return {
    id: { root: DOCUMENT_ID_ROOT, extension: id },
    code,
    title: '检验报告',
    effectiveTime: effective,
    xml: document(p, { id, code, title: '检验报告', effective, realm: 'CN', sections }),
  };
}

function continuityOfCare(p: PlatformPatient): PlatformDocument | undefined {
  const results = latestPanel(p);
  const at = results[0]?.issued ?? p.encounters.at(-1)?.period?.end;
  if (!at) return undefined;
  const effective = hl7ts(at);
  const problems = chronic(p).map((c) => coding(c.code));
  const problemEntries = problems
    .map(
      (c) =>
        `<entry><act classCode="ACT" moodCode="EVN"><templateId root="2.16.840.1.113883.10.20.22.4.3"/><code code="CONC" codeSystem="2.16.840.1.113883.5.6"/><statusCode code="active"/><entryRelationship typeCode="SUBJ"><observation classCode="OBS" moodCode="EVN"><templateId root="2.16.840.1.113883.10.20.22.4.4"/><code code="55607006" codeSystem="${SNOMED}" displayName="Problem"/><statusCode code="completed"/><effectiveTime><low value="${hl7ts(p.encounters[0]?.period?.start)}"/></effectiveTime><value xsi:type="CD" code="${x(c.code)}" codeSystem="${ICD10}" displayName="${x(c.display)}"/></observation></entryRelationship></act></entry>`,
    )
    .join('');
  const sections = [
    section(
      '11450-4',
      'Problem list',
      'Problems',
      `<list>${problems.map((c) => `<item>${x(c.display)} (${x(c.code)})</item>`).join('')}</list>`,
      problemEntries,
      '2.16.840.1.113883.10.20.22.2.5.1',
    ),
    section(
      '48765-2',
      'Allergies',
      'Allergies',
      `<paragraph>${p.allergies.map((a) => x(a.code?.coding?.[0]?.display ?? '')).join('; ') || 'No known allergies'}</paragraph>`,
      allergyEntries(p),
      '2.16.840.1.113883.10.20.22.2.6.1',
    ),
    section(
      '10160-0',
      'History of medication use',
      'Medications',
      `<list>${p.medications.map((m) => `<item>${x(coding(m.medicationCodeableConcept).display)}</item>`).join('')}</list>`,
      medicationEntries(p),
      '2.16.840.1.113883.10.20.22.2.1.1',
    ),
    section(
      '30954-2',
      'Relevant diagnostic tests',
      'Results',
      labTable(results, false),
      `<entry><organizer classCode="BATTERY" moodCode="EVN"><templateId root="2.16.840.1.113883.10.20.22.4.1"/><statusCode code="completed"/>${labEntries(results).replaceAll('<entry>', '<component>').replaceAll('</entry>', '</component>')}</organizer></entry>`,
      '2.16.840.1.113883.10.20.22.2.3.1',
    ),
  ];
  const id = `${p.empiId}-CCD-1`;
  const code = { code: '34133-9', codeSystem: LOINC, displayName: 'Summarization of Episode Note' };
  return {
    id: { root: DOCUMENT_ID_ROOT, extension: id },
    code,
    title: 'Continuity of Care Document',
    effectiveTime: effective,
    xml: document(p, { id, code, title: 'Continuity of Care Document', effective, realm: 'US', sections }),
  };
}

/** Every document the platform holds for one patient, oldest first. */
export function documentsFor(p: PlatformPatient): PlatformDocument[] {
  const docs: PlatformDocument[] = [];
  if (p.chinese) {
    const stays = p.encounters.filter((e) => e.class?.code === 'IMP');
    stays.forEach((stay, i) => docs.push(admissionNote(p, stay, i + 1), dischargeSummary(p, stay, i + 1)));
    const lab = labReport(p);
    if (lab) docs.push(lab);
    if (p.empiId === DEMO_PLATFORM_PATIENT.extension) docs.push(imagingReportFor(p));
  } else {
    const ccd = continuityOfCare(p);
    if (ccd) docs.push(ccd);
  }
  return docs.sort((a, b) => a.effectiveTime.localeCompare(b.effectiveTime));
}
