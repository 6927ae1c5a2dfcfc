import { describe, expect, it } from 'vitest';
import type { TimelineEntry } from '../../../../src/shared/domain/timeline.ts';
import { reportsForStudy, studyForReport, studyKeysOf } from '../../../../src/shared/domain/imaging-report-link.ts';
import { generateSyntheticHospital } from '../../../../src/demo-hospital/synthetic/synthetic-hospital.ts';
import { DEMO_PACS_PATIENT_ID, buildSeedPlan } from '../../../../src/demo-hospital/pacs/seed-plan.ts';
import { DEMO_CT_IMPRESSION } from '../../../../src/demo-hospital/synthetic/radiology-report.ts';
import { DEMO_PRIOR_CT } from '../../../../src/demo-hospital/synthetic/dicom-uid.ts';
import { buildPlatformPatients } from '../../../../src/demo-hospital/platform-soap/platform-patients.ts';
import { documentsFor } from '../../../../src/demo-hospital/platform-soap/cda-documents.ts';
import {
  DEMO_PRIOR_CT_COMPLAINT,
  DEMO_PRIOR_CT_FINDINGS,
  DEMO_PRIOR_CT_IMPRESSION,
} from '../../../../src/demo-hospital/platform-soap/imaging-report-document.ts';
import { convertCdaDocument } from '../../../../src/adapters/cda/index.ts';
import { DCM_SYSTEM, REPORT_SECTION_EXTENSION } from '../../../../src/shared/domain/report-sections.ts';

const UID = '1.2.840.113619.2.55.3.1';
const OTHER_UID = '1.2.840.113619.2.55.3.2';
const ACSN = { type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'ACSN' }] } };

function entry(id: string, kind: TimelineEntry['kind'], resource: Record<string, unknown>, clinicalTime?: string): TimelineEntry {
  return {
    id,
    kind,
    title: id,
    codes: [],
    provenance: [
      {
        sourceId: 'ris',
        sourceName: 'RIS 放射信息系统',
        sourceKind: 'fhir',
        nativeId: `${String(resource['resourceType'])}/${id}`,
        fetchedAt: '2025-05-21T00:00:00Z',
      },
    ],
    resource: resource as unknown as TimelineEntry['resource'],
    ...(clinicalTime ? { clinicalTime } : {}),
  };
}

const study = entry('study', 'imaging', {
  resourceType: 'ImagingStudy',
  id: 'x',
  identifier: [
    { system: 'urn:dicom:uid', value: `urn:oid:${UID}` },
    { ...ACSN, value: 'A1' },
  ],
});
const keys = studyKeysOf(study)!;

describe('reportsForStudy', () => {
  it('reads the study keys from an ImagingStudy', () => {
    expect(keys).toEqual({ studyUid: UID, accessions: ['A1'] });
  });

  it('links by accession number alone and says so', () => {
    const report = entry('r1', 'report', {
      resourceType: 'DiagnosticReport',
      identifier: [{ ...ACSN, value: 'A1' }],
      conclusion: '未见异常',
    });
    expect(reportsForStudy(keys, [study, report])).toMatchObject([
      { entryId: 'r1', matchedBy: ['accession'], impression: '未见异常', sourceName: 'RIS 放射信息系统' },
    ]);
  });

  it('links by Study Instance UID alone and says so', () => {
    const report = entry('r2', 'report', {
      resourceType: 'DiagnosticReport',
      imagingStudy: [{ identifier: { system: 'urn:dicom:uid', value: `urn:oid:${UID}` } }],
    });
    expect(reportsForStudy(keys, [report])).toMatchObject([{ entryId: 'r2', matchedBy: ['study-uid'] }]);
  });

  it('links nothing when neither key matches, and not on an accession whose UID names another study', () => {
    const unrelated = entry('r3', 'report', { resourceType: 'DiagnosticReport', identifier: [{ ...ACSN, value: 'A2' }], conclusion: 'x' });
    const collided = entry('r4', 'report', {
      resourceType: 'DiagnosticReport',
      identifier: [{ ...ACSN, value: 'A1' }],
      imagingStudy: [{ identifier: { system: 'urn:dicom:uid', value: OTHER_UID } }],
    });
    const lab = entry('r5', 'report', { resourceType: 'DiagnosticReport', conclusion: '检验' });
    expect(reportsForStudy(keys, [unrelated, collided, lab])).toEqual([]);
  });

  it('returns two reports newest first, each with how it matched, findings, author and the order indication', () => {
    const findings = Buffer.from('右肺下叶磨玻璃影', 'utf8').toString('base64');
    const older = entry('old', 'report', {
      resourceType: 'DiagnosticReport',
      identifier: [{ ...ACSN, value: 'A1' }],
      issued: '2025-05-20T03:00:00Z',
      conclusion: '初步',
    });
    const newer = entry('new', 'report', {
      resourceType: 'DiagnosticReport',
      identifier: [{ ...ACSN, value: 'A1' }],
      imagingStudy: [{ identifier: { system: 'urn:dicom:uid', value: UID } }],
      basedOn: [{ reference: 'ServiceRequest/sr1' }],
      issued: '2025-05-21T03:00:00Z',
      resultsInterpreter: [{ display: '王影像' }],
      presentedForm: [{ contentType: 'text/plain; charset=utf-8', data: findings }],
      conclusion: '修订',
    });
    const order = entry('sr1', 'other', {
      resourceType: 'ServiceRequest',
      id: 'sr1',
      reasonCode: [{ text: '咳嗽 1 周' }],
      reasonReference: [{ display: '社区获得性肺炎?' }],
    });
    const linked = reportsForStudy(keys, [older, order, newer]);
    expect(linked.map((r) => [r.entryId, r.matchedBy])).toEqual([
      ['new', ['accession', 'study-uid']],
      ['old', ['accession']],
    ]);
    expect(linked[0]).toMatchObject({
      findings: '右肺下叶磨玻璃影',
      author: '王影像',
      indication: ['咳嗽 1 周', '社区获得性肺炎?'],
      time: '2025-05-21T03:00:00Z',
    });
    expect(linked[1]?.indication).toBeUndefined();
  });

  it('links a document (a CDA 检查报告 as DocumentReference) by the study named in its context, with its text as findings', () => {
    const text = Buffer.from('检查所见：未见异常', 'utf8').toString('base64');
    const doc = entry('d1', 'document', {
      resourceType: 'DocumentReference',
      context: {
        related: [{ identifier: { ...ACSN, value: 'A1' } }, { identifier: { system: 'urn:dicom:uid', value: `urn:oid:${UID}` } }],
      },
      author: [{ display: '放射科 赵医师' }],
      date: '2025-05-20T04:00:00Z',
      content: [{ attachment: { contentType: 'text/xml', data: 'PGNkYS8+' } }, { attachment: { contentType: 'text/plain', data: text } }],
    });
    expect(reportsForStudy(keys, [doc])).toMatchObject([
      {
        entryId: 'd1',
        matchedBy: ['accession', 'study-uid'],
        findings: '检查所见：未见异常',
        author: '放射科 赵医师',
        time: '2025-05-20T04:00:00Z',
      },
    ]);
  });

  it('reads a document’s tagged parts (findings, impression, indication) and adds the order’s reason found by accession', () => {
    const part = (code: string, text: string) => ({
      attachment: { contentType: 'text/plain; charset=utf-8', data: Buffer.from(text, 'utf8').toString('base64') },
      extension: [{ url: REPORT_SECTION_EXTENSION, valueCoding: { system: DCM_SYSTEM, code } }],
    });
    const doc = entry('d2', 'document', {
      resourceType: 'DocumentReference',
      context: { related: [{ identifier: { ...ACSN, value: 'A1' } }] },
      content: [
        { attachment: { contentType: 'application/hl7-v3+xml', data: 'PGNkYS8+' } },
        part('121109', '主诉：咳嗽\n肺结节待查'),
        part('121072', '右肺结节'),
        part('121070', '右肺下叶见结节'),
      ],
    });
    const order = entry('sr2', 'other', {
      resourceType: 'ServiceRequest',
      id: 'sr2',
      identifier: [{ ...ACSN, value: 'A1' }],
      reasonCode: [{ text: '肺结节随访' }],
    });
    expect(reportsForStudy(keys, [doc, order])).toMatchObject([
      { findings: '右肺下叶见结节', impression: '右肺结节', indication: ['肺结节随访', '主诉：咳嗽', '肺结节待查'] },
    ]);
  });

  it('an order named by accession in basedOn, and a reason that points to a Condition in the record, still give the indication', () => {
    const report = entry('r8', 'report', {
      resourceType: 'DiagnosticReport',
      basedOn: [{ identifier: { ...ACSN, value: 'A1' } }],
      conclusion: '未见异常',
    });
    const order = entry('sr3', 'other', {
      resourceType: 'ServiceRequest',
      id: 'sr3',
      identifier: [{ ...ACSN, value: 'A1' }],
      reasonReference: [{ reference: 'Condition/c1' }, { reference: 'Condition/missing' }],
    });
    const condition = entry('c1', 'condition', {
      resourceType: 'Condition',
      id: 'c1',
      code: { coding: [{ code: 'R91', display: '肺结节' }] },
    });
    expect(reportsForStudy(keys, [report, order, condition])).toMatchObject([{ matchedBy: ['accession'], indication: ['肺结节'] }]);
  });

  it('finds the study a report names, for one click from the report to the images', () => {
    const report = entry('r6', 'report', { resourceType: 'DiagnosticReport', identifier: [{ ...ACSN, value: 'A1' }] });
    expect(studyForReport(report, [study, report])).toEqual({ studyUid: UID, matchedBy: ['accession'] });
    expect(studyForReport(entry('r7', 'report', { resourceType: 'DiagnosticReport' }), [study])).toBeUndefined();
  });
});

describe('the demo hospital', () => {
  it("has a report for 张伟's current CT naming the same accession and Study Instance UID the PACS seeds", () => {
    const data = generateSyntheticHospital();
    const plan = buildSeedPlan(data, { profile: 'small' });
    const ct = plan.studies.find((s) => s.patient.id === DEMO_PACS_PATIENT_ID && s.date === '20250520')!;
    const entries = data.resources.map((r, i) => entry(`e${i}`, 'report', r as unknown as Record<string, unknown>));
    const linked = reportsForStudy({ studyUid: ct.studyUid, accessions: [ct.accession] }, entries);
    expect(linked).toHaveLength(1);
    expect(linked[0]).toMatchObject({
      matchedBy: ['accession', 'study-uid'],
      impression: DEMO_CT_IMPRESSION,
      indication: ['咳嗽 1 周，发热，查肺部感染'],
    });
  });
});

describe('the demo platform’s CDA 检查报告', () => {
  it("links to 张伟's prior CT by the accession number and Study Instance UID the PACS seeds, with its sections", () => {
    const data = generateSyntheticHospital();
    const prior = buildSeedPlan(data, { profile: 'small' }).studies.find(
      (s) => s.patient.id === DEMO_PACS_PATIENT_ID && s.date === DEMO_PRIOR_CT.date.replaceAll('-', ''),
    )!;
    expect(prior.accession).toBe(DEMO_PRIOR_CT.accession);
    const zhang = buildPlatformPatients(data)[0]!;
    const exam = documentsFor(zhang).find((d) => d.code.code === 'C0006')!;
    const doc = entry('cda', 'document', convertCdaDocument(exam.xml).documentReference as unknown as Record<string, unknown>);
    expect(reportsForStudy({ studyUid: prior.studyUid, accessions: [prior.accession] }, [doc])).toMatchObject([
      {
        matchedBy: ['accession', 'study-uid'],
        findings: DEMO_PRIOR_CT_FINDINGS,
        impression: DEMO_PRIOR_CT_IMPRESSION,
        indication: ['肺结节待查', DEMO_PRIOR_CT_COMPLAINT],
      },
    ]);
  });
});
