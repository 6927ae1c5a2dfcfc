import type { DiagnosticReport, ServiceRequest } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { parseHl7Message } from '../../../../../src/adapters/hl7v2/parse-hl7.ts';
import { convertHl7Message } from '../../../../../src/adapters/hl7v2/to-fhir/convert-message.ts';
import { isImagingSection } from '../../../../../src/adapters/hl7v2/to-fhir/imaging-order.ts';
import { reportsForStudy } from '../../../../../src/shared/domain/imaging-report-link.ts';
import type { TimelineEntry } from '../../../../../src/shared/domain/timeline.ts';

/** An OBR with fields 1–31 as given (generated; no person). */
function obr(fields: Record<number, string>): string {
  const out = ['OBR'];
  for (let n = 1; n <= 31; n++) out.push(fields[n] ?? '');
  return out.join('|');
}

const oru = (segment: string) =>
  [
    'MSH|^~\\&|RIS|HOSP|HUIZHEN|WARD|20250520110000||ORU^R01^ORU_R01|MSG-RAD-1|P|2.5',
    'PID|1||P0001^^^HOSP^MR||测试^患者||19700101|M',
    segment,
    'OBX|1|TX|18782-3^Radiology Study observation^LN||右肺下叶见磨玻璃影||||||F',
  ].join('\r');

const RADIOLOGY = obr({
  2: 'ORD-1^RIS',
  3: 'FIL-1^RIS',
  4: '24627-2^CT Chest^LN',
  7: '20250520093000',
  13: '发热 3 天',
  18: 'A202500001',
  22: '20250520110000',
  24: 'RAD',
  25: 'F',
  31: 'R05^Cough^I10~^查肺部感染',
});

function converted(message: string) {
  const resources = convertHl7Message(parseHl7Message(message)).map((r) => r.resource);
  return {
    report: resources.find((r): r is DiagnosticReport => r.resourceType === 'DiagnosticReport')!,
    order: resources.find((r): r is ServiceRequest => r.resourceType === 'ServiceRequest'),
    resources,
  };
}

const asEntry = (resource: TimelineEntry['resource'], kind: TimelineEntry['kind']): TimelineEntry => ({
  id: `${resource.resourceType}/${resource.id ?? ''}`,
  kind,
  title: resource.resourceType,
  codes: [],
  provenance: [],
  resource,
});

describe('HL7 v2 radiology OBR → accession number and the order’s reason for study', () => {
  it('OBR-18 is the accession; OBR-31 and OBR-13 become the reasons of the ServiceRequest the report is basedOn', () => {
    const { report, order } = converted(oru(RADIOLOGY));
    expect(report.identifier?.find((i) => i.type?.coding?.[0]?.code === 'ACSN')?.value).toBe('A202500001');
    expect(order).toMatchObject({
      status: 'completed',
      intent: 'order',
      code: { coding: [{ code: '24627-2' }] },
      subject: report.subject,
      reasonCode: [{ coding: [{ code: 'R05' }], text: 'Cough' }, { text: '查肺部感染' }, { text: '发热 3 天' }],
    });
    expect(report.basedOn).toEqual([{ reference: `ServiceRequest/${order!.id}` }]);
    expect(order!.identifier?.map((i) => i.type?.coding?.[0]?.code)).toEqual(['PLAC', 'FILL', 'ACSN']);
  });

  it('the report panel links it by accession and shows the indication', () => {
    const { report, order } = converted(oru(RADIOLOGY));
    const entries = [asEntry(report, 'report'), asEntry(order!, 'other')];
    expect(reportsForStudy({ studyUid: '1.2.3', accessions: ['A202500001'] }, entries)).toMatchObject([
      { matchedBy: ['accession'], indication: ['Cough', '查肺部感染', '发热 3 天'] },
    ]);
  });

  it('a lab OBR keeps its OBR-13 and OBR-18 to itself: no order, no accession', () => {
    const lab = obr({ 2: 'L-1', 4: '2345-7^Glucose^LN', 13: '空腹', 18: 'X1', 24: 'LAB', 25: 'F', 31: '^体检' });
    const { report, order } = converted(oru(lab));
    expect(order).toBeUndefined();
    expect(report.basedOn).toBeUndefined();
    expect(report.identifier?.some((i) => i.type?.coding?.[0]?.code === 'ACSN')).toBe(false);
  });

  it('an imaging OBR without a reason makes no order', () => {
    const { order, report } = converted(oru(obr({ 2: 'ORD-2', 4: '^CT', 18: 'A2', 24: 'CT', 25: 'F' })));
    expect(order).toBeUndefined();
    expect(report.identifier?.find((i) => i.type?.coding?.[0]?.code === 'ACSN')?.value).toBe('A2');
  });

  it('OBR-24 as table 0074 or as the DICOM modality a RIS sends (MR, US, DX…) is imaging; lab and therapy sections are not', () => {
    for (const section of ['RAD', 'CT', 'NMR', 'mr', 'MRI', 'US', 'DX', 'CR', 'MG', 'XA', 'PET'])
      expect(isImagingSection(section)).toBe(true);
    for (const section of ['CH', 'HM', 'MB', 'PT', 'PHR', '']) expect(isImagingSection(section)).toBe(false);
  });
});
