import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { DocumentReference } from '@medplum/fhirtypes';
import { convertCdaDocument } from '../../../../src/adapters/cda/index.ts';
import { reportsForStudy, studyForReport } from '../../../../src/shared/domain/imaging-report-link.ts';
import type { TimelineEntry } from '../../../../src/shared/domain/timeline.ts';

/**
 * A CDA imaging report names its study: on HL7's public C-CDA Diagnostic Imaging Report, a
 * public WS/T 500 检查报告 (both in test/fixtures/real-world, origin and licence in the READMEs
 * there), and generated documents for the edge cases (accession only, UID only, two studies,
 * placeholders). The converted DocumentReference then links through the same shared rules as a
 * FHIR DiagnosticReport.
 */
const REAL_WORLD = new URL('../../../fixtures/real-world/', import.meta.url);
const sample = (path: string): string => readFileSync(new URL(path, REAL_WORLD), 'utf8');

const DIR_STUDY_UID = '1.2.840.113619.2.62.994044785528.114289542805';

function asEntry(doc: DocumentReference, id = 'doc'): TimelineEntry {
  return {
    id,
    kind: 'document',
    title: doc.description ?? 'document',
    codes: [],
    provenance: [{ sourceId: 'platform', sourceName: '区域平台', sourceKind: 'hl7v3', nativeId: id, fetchedAt: '2026-01-01T00:00:00Z' }],
    resource: doc,
  };
}

function study(uid: string, accession?: string): TimelineEntry {
  return {
    id: `study-${uid}`,
    kind: 'imaging',
    title: 'CT',
    codes: [],
    provenance: [],
    resource: {
      resourceType: 'ImagingStudy',
      status: 'available',
      subject: { reference: 'Patient/p' },
      identifier: [
        { system: 'urn:dicom:uid', value: `urn:oid:${uid}` },
        ...(accession
          ? [{ type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0203', code: 'ACSN' }] }, value: accession }]
          : []),
      ],
    },
  };
}

interface GeneratedParts {
  code?: string;
  codeSystem?: string;
  header?: string;
  roleIds?: string;
  sections?: string;
}

/** A minimal CDA R2 document with the given header parts and body sections (generated, no person). */
function cda({ code = '18748-4', codeSystem = '2.16.840.1.113883.6.1', header = '', roleIds = '', sections = '' }: GeneratedParts): string {
  return (
    '<ClinicalDocument xmlns="urn:hl7-org:v3" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' +
    '<typeId root="2.16.840.1.113883.1.3" extension="POCD_HD000040"/><id root="2.25.1" extension="gen-1"/>' +
    `<code code="${code}" codeSystem="${codeSystem}"/><title>Generated report</title><effectiveTime value="20250101120000+0800"/>` +
    `<recordTarget><patientRole><id root="2.25.9" extension="P1"/>${roleIds}<patient><name>测试患者</name></patient></patientRole></recordTarget>` +
    '<author><time value="20250101"/><assignedAuthor><id root="2.25.8"/></assignedAuthor></author>' +
    `${header}<component><structuredBody>${sections}</structuredBody></component></ClinicalDocument>`
  );
}

const dcmSection = (code: string, text: string): string =>
  `<component><section><code code="${code}" codeSystem="1.2.840.10008.2.16.4"/><title>${code}</title><text>${text}</text></section></component>`;

describe('CDA imaging report → study keys (public samples)', () => {
  it('reads HL7’s C-CDA Diagnostic Imaging Report: order id as accession, serviceEvent and catalog as the study UID, DCM sections', () => {
    const c = convertCdaDocument(sample('ccda/hl7-diagnostic-imaging-report.xml'));
    expect(c.imagingReport).toMatchObject({
      accessions: [{ value: '10523475', type: { coding: [{ code: 'ACSN' }] } }],
      studyUids: [DIR_STUDY_UID],
      indication: ['Suspected lung tumor', 'Sore throat.'],
    });
    expect(c.imagingReport?.findings).toMatch(/^The cardiomediastinum is within normal limits\. .*unremarkable\.$/);
    expect(c.imagingReport?.impression).toMatch(/^No acute cardiopulmonary process\. Round density in left superior hilus/);
    // Placer and filler order numbers are not accession numbers: only the order's first id is.
    expect(c.imagingReport?.accessions).toHaveLength(1);
    expect(c.documentReference.context?.related?.map((r) => r.identifier?.value)).toEqual([`urn:oid:${DIR_STUDY_UID}`, '10523475']);
  });

  it('reads a WS/T 500 检查报告 (C0006): 电子申请单编号 as accession, 客观所见 / 主观提示, 主诉 as indication', () => {
    const c = convertCdaDocument(sample('cda-wst500/lzihe-c0006-exam-report-ecg.xml'));
    expect(c.imagingReport).toEqual({
      accessions: [expect.objectContaining({ system: 'urn:oid:2.16.156.10011.1.24', value: '105046001' })],
      studyUids: [],
      findings: '无',
      impression: '无',
      indication: ['内窥镜额颞部除皱、下睑袋矫正术、面部吸脂术后半小时。'],
    });
    // Its placeholder ids ("-": 检查报告单号, 标本编号) name nothing.
    expect(c.documentReference.context?.related).toHaveLength(1);
  });

  it('leaves other documents alone (a 检验报告 also carries an 电子申请单编号)', () => {
    const c = convertCdaDocument(sample('cda-wst500/lzihe-c0007-lab-report.xml'));
    expect(c.imagingReport).toBeUndefined();
    expect(c.documentReference.context?.related).toBeUndefined();
    expect(c.documentReference.content).toHaveLength(2);
  });

  it('links the converted DIR to its study by both keys, shows its parts, and finds the study from the report', () => {
    const doc = convertCdaDocument(sample('ccda/hl7-diagnostic-imaging-report.xml')).documentReference;
    const entries = [study(DIR_STUDY_UID, '10523475'), asEntry(doc)];
    const [linked] = reportsForStudy({ studyUid: DIR_STUDY_UID, accessions: ['10523475'] }, entries);
    expect(linked).toMatchObject({
      entryId: 'doc',
      matchedBy: ['accession', 'study-uid'],
      indication: ['Suspected lung tumor', 'Sore throat.'],
    });
    expect(linked?.findings).toMatch(/^The cardiomediastinum/);
    expect(linked?.impression).toMatch(/^No acute cardiopulmonary process/);
    expect(studyForReport(entries[1]!, entries)).toEqual({ studyUid: DIR_STUDY_UID, matchedBy: ['accession', 'study-uid'] });
  });
});

describe('CDA imaging report → study keys (generated edge cases)', () => {
  it('accession only: links by accession number, and refuses it when a UID in the report names another study', () => {
    const doc = convertCdaDocument(
      cda({ code: 'C0006', codeSystem: '2.16.156.10011.2.4', roleIds: '<id root="2.16.156.10011.1.24" extension="A7"/>' }),
    ).documentReference;
    expect(reportsForStudy({ studyUid: '1.2.3', accessions: ['A7'] }, [asEntry(doc)])).toMatchObject([{ matchedBy: ['accession'] }]);
    const other = convertCdaDocument(
      cda({
        header:
          '<inFulfillmentOf><order><id root="1.2.9" extension="A7"/></order></inFulfillmentOf><documentationOf><serviceEvent><id root="1.2.4"/></serviceEvent></documentationOf>',
      }),
    ).documentReference;
    expect(reportsForStudy({ studyUid: '1.2.3', accessions: ['A7'] }, [asEntry(other)])).toEqual([]);
  });

  it('missing UID and accession: an imaging report that names no study links to none', () => {
    const c = convertCdaDocument(cda({ sections: dcmSection('121070', '<paragraph>No change.</paragraph>') }));
    expect(c.imagingReport).toMatchObject({ accessions: [], studyUids: [], findings: 'No change.' });
    expect(c.documentReference.context?.related).toBeUndefined();
    expect(reportsForStudy({ studyUid: '1.2.3', accessions: ['A7'] }, [asEntry(c.documentReference)])).toEqual([]);
  });

  it('UID only, from the DICOM Object Catalog; a non-UID serviceEvent id (a GUID) is not taken', () => {
    const catalog =
      '<component><section><code code="121181" codeSystem="1.2.840.10008.2.16.4"/><entry><act classCode="ACT" moodCode="EVN">' +
      '<id root="1.2.3.4"/><code code="113014" codeSystem="1.2.840.10008.2.16.4"/></act></entry></section></component>';
    const c = convertCdaDocument(
      cda({
        code: '11111-1',
        header: '<documentationOf><serviceEvent><id root="2F3A6A5E-1A2B-4C3D-8E9F-000000000001"/></serviceEvent></documentationOf>',
        sections: catalog,
      }),
    );
    expect(c.imagingReport?.studyUids).toEqual(['1.2.3.4']);
    expect(reportsForStudy({ studyUid: '1.2.3.4', accessions: [] }, [asEntry(c.documentReference)])).toMatchObject([
      { matchedBy: ['study-uid'] },
    ]);
  });

  it('two studies in one report (e.g. chest and abdomen read together): it links to each', () => {
    const header =
      '<documentationOf><serviceEvent><id root="1.2.3.1"/></serviceEvent></documentationOf>' +
      '<documentationOf><serviceEvent><id root="1.2.840.10008.2.16.4" extension="1.2.3.2"/></serviceEvent></documentationOf>';
    const c = convertCdaDocument(cda({ header, sections: dcmSection('121072', 'Both normal.') }));
    expect(c.imagingReport?.studyUids).toEqual(['1.2.3.1', '1.2.3.2']);
    const entries = [asEntry(c.documentReference)];
    for (const uid of ['1.2.3.1', '1.2.3.2'])
      expect(reportsForStudy({ studyUid: uid, accessions: [] }, entries)).toMatchObject([
        { impression: 'Both normal.', matchedBy: ['study-uid'] },
      ]);
  });

  it('narrative lines, nested text observations and HL7 escapes become plain text; placeholders do not', () => {
    const list = '<list><item>右肺结节</item><item>较前缩小</item></list>';
    const wst =
      '<component><section><code displayName="检查报告"/><text/>' +
      '<entry><observation classCode="OBS" moodCode="EVN"><code code="DE04.50.131.00" codeSystem="2.16.156.10011.2.2.1"/><value xsi:type="ST">-</value></observation></entry>' +
      '<entry><observation classCode="OBS" moodCode="EVN"><code code="DE04.50.132.00" codeSystem="2.16.156.10011.2.2.1"/><value xsi:type="ST">1、结节\\X000d\\2、钙化</value></observation></entry>' +
      '</section></component>';
    const c = convertCdaDocument(cda({ code: 'C0006', codeSystem: '2.16.156.10011.2.4', sections: dcmSection('121109', list) + wst }));
    expect(c.imagingReport).toMatchObject({ indication: ['右肺结节', '较前缩小'], impression: '1、结节\n2、钙化' });
    expect(c.imagingReport?.findings).toBeUndefined();
  });
});
