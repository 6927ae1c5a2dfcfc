/**
 * The data-quality checks over the public samples of the real-world corpus
 * (test/fixtures/real-world; each folder's README gives every file's origin and licence),
 * converted as `huizhen convert` does. Per file: the finding kinds it truly has, each traced to
 * what the file sends, and no other kind. Samples the converters refuse (error answers, a
 * malformed document, a query request) have no records to check and are left out.
 *
 * Kinds no public sample shows — unit-not-convertible, implausible-value, identifier-mismatch,
 * missing-subject, future-date, value-conflict — stay covered by the generated bad data in
 * assess-timeline.test.ts and the demo's injected defects (test/integration/quality-bad-data.test.ts).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Bundle } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { CONVERTERS, type ConverterKind } from '../../../../../src/cli/commands/convert.ts';
import type { SourcedResource } from '../../../../../src/adapters/source-adapter.ts';
import { buildCheckedTimeline } from '../../../../../src/main/services/data-quality/index.ts';
import { QualityFindingSchema, type QualityCode, type QualityFinding } from '../../../../../src/shared/domain/quality.ts';

const NOW = new Date('2026-06-01T00:00:00Z');
const ROOT = fileURLToPath(new URL('../../../../fixtures/real-world/', import.meta.url));

function findingsIn(folder: string, file: string, kind: ConverterKind): QualityFinding[] {
  const bundle = CONVERTERS[kind](readFileSync(`${ROOT}${folder}/${file}`)) as Bundle;
  const items: SourcedResource[] = (bundle.entry ?? []).flatMap((e, i) =>
    e.resource
      ? [
          {
            resource: e.resource,
            provenance: {
              sourceId: 'sample',
              sourceName: 'SAMPLE',
              sourceKind: kind === 'cda' ? ('cda' as const) : kind,
              nativeId: `${e.resource.resourceType}/${e.resource.id ?? i}`,
              fetchedAt: NOW.toISOString(),
            },
          },
        ]
      : [],
  );
  const { entries, recordFindings } = buildCheckedTimeline(items, NOW);
  const findings = [...entries.flatMap((e) => e.quality ?? []), ...recordFindings];
  for (const f of findings) QualityFindingSchema.parse(f);
  return findings;
}

const kindsOf = (findings: QualityFinding[]) => [...new Set(findings.map((f) => f.code))].sort();
const of = (findings: QualityFinding[], code: QualityCode) => findings.filter((f) => f.code === code);

interface Sample {
  folder: string;
  file: string;
  kind: ConverterKind;
  /** Every kind the file has; the note says what in the file each one is. */
  kinds: QualityCode[];
  note: string;
}

/**
 * WS/T 500 documents name ICD-10 (国家临床版) and the TCM table (GB/T 15657) by OID only
 * (2.16.156.10011.2.3.3.11 / .14): the checks know those OIDs, so a real code there is mapped, and
 * a placeholder ("1", no code at all) under them is an unmapped code.
 */
const SAMPLES: Sample[] = [
  // HL7 v2 — Chinese LIS/RIS feeds (hcmi-*), library test suites (hapi-*, hl7apy-*, python-hl7-*).
  {
    folder: 'hl7v2',
    file: 'hcmi-oul-r24-liver-renal-panel-st.hl7',
    kind: 'hl7v2',
    kinds: ['missing-time', 'numeric-as-text', 'unmapped-code'],
    note: 'numbers typed ST ("290.00"), OBX-14 and OBR times empty, local codes (0301032 果糖胺, serum indices)',
  },
  {
    folder: 'hl7v2',
    file: 'hcmi-oul-r24-tumour-markers.hl7',
    kind: 'hl7v2',
    kinds: ['numeric-as-text', 'unmapped-code'],
    note: 'CEA, AFP … sent as ST ("1.82"), local codes 40400x0101; OBX-14 is filled',
  },
  {
    folder: 'hl7v2',
    file: 'hcmi-oul-r24-stool-qualitative.hl7',
    kind: 'hl7v2',
    kinds: ['unmapped-code'],
    note: 'local codes only; qualitative results are text by nature, not numbers sent as text',
  },
  { folder: 'hl7v2', file: 'hcmi-oru-r01-ecg-report.hl7', kind: 'hl7v2', kinds: ['unmapped-code'], note: 'MEDEX local report codes' },
  {
    folder: 'hl7v2',
    file: 'hcmi-oru-r01-ultrasound-report.hl7',
    kind: 'hl7v2',
    kinds: ['unmapped-code'],
    note: 'MEDEX local report codes',
  },
  {
    folder: 'hl7v2',
    file: 'hapi-oml-o21-glucose-tolerance-file.hl7',
    kind: 'hl7v2',
    kinds: ['duplicate-id', 'missing-time', 'unmapped-code'],
    // duplicate-id: the file holds one order's successive messages (NW, SC, XO for placer 12345678);
    // converted as one batch the same id arrives several times, as it would from a source that resends.
    note: 'one order (placer 12345678) in several messages, OBR-7 empty, local codes (GLUCOSE, 10525 …)',
  },
  {
    folder: 'hl7v2',
    file: 'hl7apy-oml-o33-order.hl7',
    kind: 'hl7v2',
    kinds: ['missing-time', 'unmapped-code'],
    note: 'an order with no time, local code TPO',
  },
  { folder: 'hl7v2', file: 'python-hl7-batch-without-fhs.hl7', kind: 'hl7v2', kinds: ['missing-time'], note: 'ADT visits without PV1-44' },
  { folder: 'hl7v2', file: 'python-hl7-file-two-batches.hl7', kind: 'hl7v2', kinds: ['missing-time'], note: 'ADT visits without PV1-44' },
  { folder: 'hl7v2', file: 'python-hl7-file-without-bhs.hl7', kind: 'hl7v2', kinds: ['missing-time'], note: 'ADT visits without PV1-44' },
  { folder: 'hl7v2', file: 'python-hl7-file-without-fhs.hl7', kind: 'hl7v2', kinds: ['missing-time'], note: 'ADT visits without PV1-44' },
  {
    folder: 'hl7v2',
    file: 'hapi-adt-a03-procedure.hl7',
    kind: 'hl7v2',
    kinds: ['missing-time', 'unmapped-code'],
    note: 'a discharge whose visit has no PV1-44, a procedure by local code (1111 Mastoplastica)',
  },
  { folder: 'hl7v2', file: 'hl7apy-rsp-k22-v27-truncation-char.hl7', kind: 'hl7v2', kinds: [], note: 'a PDQ answer: patients only, clean' },
  {
    folder: 'hl7v2',
    file: 'linuxforhealth-mdm-t02-obr-and-obx-notes.hl7',
    kind: 'hl7v2',
    kinds: ['missing-code', 'missing-time', 'unmapped-code'],
    note: 'OBR-4 empty (a report with no code), an order with no time, local code "Most Current Weight"',
  },
  // HL7 v3 — 互联互通 registrations with the standard's placeholder 身份证; IHE PIX/PDQ examples are clean.
  {
    folder: 'hl7v3',
    file: 'lzihe-h0201-prpa-in201311uv02-register.xml',
    kind: 'hl7v3',
    kinds: ['invalid-identifier'],
    note: 'placeholder 身份证 with a wrong check digit',
  },
  {
    folder: 'hl7v3',
    file: 'lzihe-h0202-prpa-in201314uv02-update.xml',
    kind: 'hl7v3',
    kinds: ['invalid-identifier'],
    note: 'placeholder 身份证 with a wrong check digit',
  },
  {
    folder: 'hl7v3',
    file: 'zoe-phip-prpa-in201311uv02-classic.xml',
    kind: 'hl7v3',
    kinds: ['invalid-identifier'],
    note: '身份证 with a wrong check digit',
  },
  { folder: 'hl7v3', file: 'ehealthsuisse-iti44-prpa-in201301uv02.xml', kind: 'hl7v3', kinds: [], note: 'IHE example, clean' },
  { folder: 'hl7v3', file: 'ipf-pdq-response-prpa-in201306uv02.xml', kind: 'hl7v3', kinds: [], note: 'IHE example, clean' },
  { folder: 'hl7v3', file: 'ipf-pdq-empty-response-prpa-in201306uv02.xml', kind: 'hl7v3', kinds: [], note: 'an answer with no patient' },
  { folder: 'hl7v3', file: 'ipf-pix-feed-register-prpa-in201301uv02.xml', kind: 'hl7v3', kinds: [], note: 'IHE example, clean' },
  { folder: 'hl7v3', file: 'ipf-pix-feed-revise-prpa-in201302uv02.xml', kind: 'hl7v3', kinds: [], note: 'IHE example, clean' },
  // WS/T 500 CDA — see the note above SAMPLES on unmapped-code; invalid-identifier per the folder README.
  {
    folder: 'cda-wst500',
    file: 'lzihe-c0006-exam-report-ecg.xml',
    kind: 'cda',
    kinds: ['invalid-identifier', 'missing-time', 'unit-not-ucum', 'unmapped-code'],
    note: '检查定量结果 0.0000 with the unit "无" (none); a procedure without a time; the 身份证 region 990000 put in by de-identification',
  },
  {
    folder: 'cda-wst500',
    file: 'lzihe-c0037-first-course-record.xml',
    kind: 'cda',
    kinds: ['invalid-identifier', 'missing-code'],
    note: 'diagnoses given as text without a code (诊断依据, 鉴别诊断 …); placeholder 身份证',
  },
  {
    folder: 'cda-wst500',
    file: 'lzihe-c0007-lab-report.xml',
    kind: 'cda',
    kinds: ['invalid-identifier', 'unmapped-code'],
    note: '检验 result coded by the data-element catalogue (DE04.30.015.00), not LOINC; 身份证 not 18 characters',
  },
  {
    folder: 'cda-wst500',
    file: 'lzihe-c0020-vital-signs.xml',
    kind: 'cda',
    kinds: ['invalid-identifier', 'unmapped-code'],
    note: 'a vital sign coded by the data-element catalogue (DE04.10.052.00), not LOINC; placeholder 身份证',
  },
  ...['lzihe-c0002-outpatient-record.xml', 'lzihe-c0004-western-prescription.xml', 'lzihe-c0032-inpatient-front-page.xml'].map(
    (file): Sample => ({
      folder: 'cda-wst500',
      file,
      kind: 'cda',
      kinds: ['invalid-identifier', 'unmapped-code'],
      note: 'placeholder codes ("1") under the ICD-10/TCM OIDs; placeholder, masked or de-identified (region 990000) 身份证',
    }),
  ),
  ...[
    'lzihe-c0005-chinese-herbal-prescription.xml',
    'lzihe-c0013-transfusion-record.xml',
    'lzihe-c0025-discharge-assessment.xml',
    'lzihe-c0034-admission-record.xml',
    'lzihe-c0049-discharge-record.xml',
    'xmap-c0001-medical-record-summary.xml',
    'xmap-c0004-western-prescription.xml',
    'xmap-c0023-admission-assessment.xml',
  ].map((file): Sample => ({
    folder: 'cda-wst500',
    file,
    kind: 'cda',
    kinds: ['invalid-identifier'],
    note: 'diagnoses by OID-named ICD-10/TCM codes (recognised); placeholder, masked or de-identified (region 990000) 身份证',
  })),
  // C-CDA — HL7's examples are clean; Cerner's sample names its ICD-9-CM diagnoses by an ICD-9-CM OID (the procedure table's, a mislabel the checks cannot see without the table).
  ...[
    'hl7-ccd-1.xml',
    'hl7-diagnostic-imaging-report.xml',
    'hl7-history-and-physical.xml',
    'hl7-progress-note.xml',
    'hl7-referral-note.xml',
    'hl7-discharge-summary.xml',
    'hl7-consultation-note.xml',
    'hl7-operative-note.xml',
    'hl7-procedure-note.xml',
    'hl7-transfer-summary.xml',
    'hl7-ccd-2.xml',
    'hl7-care-plan.xml',
  ].map((file): Sample => ({ folder: 'ccda', file, kind: 'cda', kinds: [], note: 'HL7 example, clean' })),
  {
    folder: 'ccda',
    file: 'sample-ccdas-cerner-problems-and-medications.xml',
    kind: 'cda',
    kinds: [],
    note: 'problems coded 780.2, 401.9 … under 2.16.840.1.113883.6.104 (ICD-9-CM by OID, recognised)',
  },
  // Vendor C-CDAs from chb/sample_ccdas.
  {
    folder: 'ccda',
    file: 'nist-sample-ccdas-ccd-ambulatory.xml',
    kind: 'cda',
    kinds: [],
    note: 'NIST MU2 data: LOINC, SNOMED, RxNorm; 10+3/ul and g/dl respelled to UCUM',
  },
  {
    folder: 'ccda',
    file: 'greenway-sample-ccdas-export-summary.xml',
    kind: 'cda',
    kinds: ['missing-code', 'unit-not-ucum', 'unmapped-code'],
    note: 'two problems with value nullFlavor OTH and no translation; a temperature in "C" (UCUM coulomb, kept as text); procedures in CPT (2.16.840.1.113883.6.12), which the checks do not count as standard',
  },
  // WS/T 500 as a vendor integration kept it (placeholder values throughout).
  {
    folder: 'cda-wst500',
    file: 'querymq-c0002-outpatient-record-vendor-ids.xml',
    kind: 'cda',
    kinds: ['invalid-identifier', 'unmapped-code'],
    note: 'placeholder codes ("1") under the ICD-10/TCM OIDs; the standard’s placeholder 身份证 420106201101011919 fails its check digit',
  },
  // HL7 v2 — LinuxForHealth's and python-hl7's test messages, node-hl7-complete's vendor samples.
  {
    folder: 'hl7v2',
    file: 'linuxforhealth-oru-r01-nist-hepatitis-panel.hl7',
    kind: 'hl7v2',
    kinds: ['unmapped-code'],
    note: 'the panel in OBR-4 is a local code (1000^…^99USL); the results are LOINC',
  },
  {
    folder: 'hl7v2',
    file: 'linuxforhealth-rde-o11-ceftriaxone-allergy.hl7',
    kind: 'hl7v2',
    kinds: ['missing-time'],
    note: 'AL1 without an identification date (AL1-6 empty)',
  },
  {
    folder: 'hl7v2',
    file: 'linuxforhealth-ppr-pc1-problem-and-order.hl7',
    kind: 'hl7v2',
    kinds: ['missing-code', 'missing-time', 'unmapped-code'],
    note: 'OBR without OBR-4; OBX codes 111/100 with no system; PRB-3 is the words "aortic stenosis"; PRB-7/PRB-16 empty',
  },
  {
    folder: 'hl7v2',
    file: 'linuxforhealth-orm-o01-hydralazine-allergies.hl7',
    kind: 'hl7v2',
    kinds: ['missing-time'],
    note: 'three AL1 without AL1-6; ORC-9 empty, so the order has no time',
  },
  {
    folder: 'hl7v2',
    file: 'linuxforhealth-vxu-v04-hpv-immunization.hl7',
    kind: 'hl7v2',
    kinds: ['missing-time'],
    note: 'PV1 with no admit time (PV1-44 empty)',
  },
  {
    folder: 'hl7v2',
    file: 'python-hl7-oru-r01-ghh-glucose-sn.hl7',
    kind: 'hl7v2',
    kinds: ['unmapped-code'],
    note: 'LOINC 1554-5/1553-5 sent without a coding system (CE-3 holds "POST 12H CFST…")',
  },
  ...[
    'node-hl7-complete-cerner-oru-r01-lead-elr.hl7',
    'node-hl7-complete-cerner-oru-r01-bordetella-ce-text.hl7',
    'node-hl7-complete-realm-oru-r01-hcv-sn-ratio.hl7',
    'node-hl7-complete-nist-oru-r01-hcv-rna-iu.hl7',
  ].map((file): Sample => ({ folder: 'hl7v2', file, kind: 'hl7v2', kinds: [], note: 'US ELR sample: LOINC, UCUM, times present' })),
  {
    folder: 'hl7v2',
    file: 'node-hl7-complete-nist-oru-r01-stool-culture.hl7',
    kind: 'hl7v2',
    kinds: ['unmapped-code'],
    note: '"20995-1^Salmonella^LN" fails the LOINC check digit, so it is not read as LOINC',
  },
  {
    folder: 'hl7v2',
    file: 'node-hl7-complete-corepoint-siu-s14-v23.hl7',
    kind: 'hl7v2',
    kinds: ['missing-time'],
    note: 'PV1 with no admit time',
  },
];

describe('data-quality findings on the public samples of the real-world corpus', () => {
  it.each(SAMPLES)('$folder/$file: $kinds ($note)', ({ folder, file, kind, kinds }) => {
    expect(kindsOf(findingsIn(folder, file, kind))).toEqual([...kinds].sort());
  });

  it('the evidence: which field, which unit, which identifier problem — never the identifier itself', () => {
    const ecg = findingsIn('cda-wst500', 'lzihe-c0006-exam-report-ecg.xml', 'cda');
    expect(of(ecg, 'unit-not-ucum')).toEqual([expect.objectContaining({ resourceType: 'Observation', params: { unit: '无' } })]);
    // The de-identified 身份证 (region 990000, valid check digit, folder README) is caught by its region only.
    expect(of(ecg, 'invalid-identifier')).toEqual([expect.objectContaining({ params: { kind: 'resident-id', problem: 'area' } })]);
    expect(JSON.stringify(ecg)).not.toContain('990000195801010033');

    const st = findingsIn('hl7v2', 'hcmi-oul-r24-liver-renal-panel-st.hl7', 'hl7v2');
    expect(of(st, 'numeric-as-text').length).toBe(15);
    expect(of(st, 'numeric-as-text').every((f) => f.resourceType === 'Observation')).toBe(true);
    expect(of(st, 'unit-not-ucum')).toEqual([]);

    const register = findingsIn('hl7v3', 'lzihe-h0201-prpa-in201311uv02-register.xml', 'hl7v3');
    expect(of(register, 'invalid-identifier')).toEqual([
      expect.objectContaining({ resourceType: 'Patient', params: { kind: 'resident-id', problem: 'check-digit' } }),
    ]);

    const course = findingsIn('cda-wst500', 'lzihe-c0037-first-course-record.xml', 'cda');
    expect(of(course, 'missing-code').map((f) => f.resourceType)).toEqual(['Condition', 'Condition', 'Condition', 'Condition']);

    const cerner = findingsIn('ccda', 'sample-ccdas-cerner-problems-and-medications.xml', 'cda');
    expect(of(cerner, 'unmapped-code')).toEqual([]);
  });

  it('every sample of the corpus is listed above, or refused by its converter (nothing to check)', () => {
    const refused: Sample[] = [
      { folder: 'hl7v3', file: 'hcmi-prpa-in201306uv02-ae-query-failed.xml', kind: 'hl7v3', kinds: [], note: 'error answer' },
      { folder: 'hl7v3', file: 'zjpa-mcci-in000002uv01-ae-xml-parse-failed.xml', kind: 'hl7v3', kinds: [], note: 'error answer' },
      { folder: 'hl7v3', file: 'lzihe-h0204-prpa-in201305uv02-query-request.xml', kind: 'hl7v3', kinds: [], note: 'a query' },
      { folder: 'cda-wst500', file: 'lzihe-c0053-discharge-summary-malformed.xml', kind: 'cda', kinds: [], note: 'not well-formed' },
      { folder: 'hl7v2', file: 'linuxforhealth-adt-a01-allergies-problem-mixed-eol.hl7', kind: 'hl7v2', kinds: [], note: 'MSH-2 ^~\\\\&' },
      {
        folder: 'hl7v2',
        file: 'node-hl7-complete-epic-orm-o01-xray-dg1.hl7',
        kind: 'hl7v2',
        kinds: [],
        note: 'an OBR broken across lines',
      },
    ];
    for (const r of refused) expect(() => findingsIn(r.folder, r.file, r.kind), r.file).toThrow();
    const covered = new Set([...SAMPLES, ...refused].map((s) => `${s.folder}/${s.file}`));
    const onDisk = ['hl7v2', 'hl7v3', 'cda-wst500', 'ccda'].flatMap((folder) =>
      readdirSync(`${ROOT}${folder}`)
        .filter((f) => /\.(hl7|xml)$/.test(f))
        .map((f) => `${folder}/${f}`),
    );
    expect(onDisk.filter((f) => !covered.has(f))).toEqual([]);
  });
});
