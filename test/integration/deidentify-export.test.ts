/**
 * De-identified exports, scanned: a real DICOM study (pydicom's Debian test files re-labelled
 * as the demo patient) de-identified to a folder and every output file parsed back and
 * byte-scanned; the demo patient's timeline exported as FHIR and its JSON text scanned.
 */
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Patient, Resource } from '@medplum/fhirtypes';
import { convertCdaDocument } from '../../src/adapters/cda/convert-cda.ts';
import { HIS_DEMO_MRN, LIS_DEMO_MRN } from '../../src/demo-hospital/hl7v2-common/demo-identities.ts';
import { DEMO_PACS_PATIENT_ID, PYDICOM_TEST_FILES } from '../../src/demo-hospital/pacs/seed-plan.ts';
import { DEMO_PLATFORM_PATIENT, buildPlatformPatients } from '../../src/demo-hospital/platform-soap/platform-patients.ts';
import { documentsFor } from '../../src/demo-hospital/platform-soap/cda-documents.ts';
import { DEMO_PATIENT } from '../../src/demo-hospital/synthetic/demo-patient.ts';
import { generateSyntheticHospital } from '../../src/demo-hospital/synthetic/synthetic-hospital.ts';
import { readPart10, type DcmjsDataset } from '../../src/main/services/privacy/dicom/dcmjs-api.ts';
import { writeDeidentifiedStudy, type ExportReport } from '../../src/main/services/privacy/dicom/write-export.ts';
import { deidentifyTimeline } from '../../src/main/services/privacy/index.ts';
import { PrivacyConfigSchema } from '../../src/shared/config/privacy.ts';
import type { TimelineEntry } from '../../src/shared/domain/timeline.ts';
import { knownIdentityOfPatients } from '../../src/main/services/privacy/known-identity.ts';

const INSTITUTION = 'Huizhen Demo Hospital 汇诊示范医院';
const ORIGINAL = {
  study: '1.2.826.0.1.3680043.8.498.1001',
  series: ['1.2.826.0.1.3680043.8.498.2001', '1.2.826.0.1.3680043.8.498.2002'],
  sops: [
    '1.2.826.0.1.3680043.8.498.3001',
    '1.2.826.0.1.3680043.8.498.3002',
    '1.2.826.0.1.3680043.8.498.3003',
    '1.2.826.0.1.3680043.8.498.3004',
  ],
  frameOfReference: '1.2.826.0.1.3680043.8.498.4001',
};

function isEmpty(values: unknown[] | undefined): boolean {
  return (values ?? []).every((v) => v === '' || (typeof v === 'object' && v !== null && Object.values(v).every((c) => c === '')));
}

function str(value: string): { vr: string; Value: string[] } {
  return { vr: 'LO', Value: [value] };
}

/** One instance of the demo patient's study, built from a pydicom test file. */
async function buildInstance(file: string, index: number, seriesIndex: number, extra: DcmjsDataset = {}): Promise<Uint8Array> {
  const parsed = readPart10(await readFile(join(PYDICOM_TEST_FILES, file)));
  const sop = ORIGINAL.sops[index]!;
  parsed.dict = {
    ...parsed.dict,
    '00080005': { vr: 'CS', Value: ['ISO_IR 192'] },
    '00080018': { vr: 'UI', Value: [sop] },
    '00080080': str(INSTITUTION),
    '00080090': { vr: 'PN', Value: [{ Alphabetic: 'Li^Na', Ideographic: '李^娜' }] },
    '00100010': { vr: 'PN', Value: [{ Alphabetic: 'Zhang^Wei', Ideographic: '张^伟' }] },
    '00100020': str(DEMO_PACS_PATIENT_ID),
    '00100030': { vr: 'DA', Value: ['19680312'] },
    '00101002': {
      vr: 'SQ',
      Value: [
        {
          '00100020': str(DEMO_PATIENT.residentId),
          '00100024': { vr: 'SQ', Value: [{ '00400032': { vr: 'UT', Value: ['2.16.156.10011.1.3'] } }] },
        },
      ],
    },
    '00101040': str('北京市东城区东华门大街1号'),
    '00102154': { vr: 'SH', Value: ['13811112222'] },
    '0020000D': { vr: 'UI', Value: [ORIGINAL.study] },
    '0020000E': { vr: 'UI', Value: [ORIGINAL.series[seriesIndex]!] },
    '00200052': { vr: 'UI', Value: [ORIGINAL.frameOfReference] },
    '00291010': { vr: 'LO', Value: ['private note about Zhang Wei'] },
    ...extra,
  };
  parsed.meta = { ...parsed.meta, '00020003': { vr: 'UI', Value: [sop] }, '00020016': { vr: 'AE', Value: ['HOSPPACS'] } };
  return new Uint8Array(parsed.write());
}

describe('de-identified DICOM study export', () => {
  let directory: string;
  let report: ExportReport;
  const inputs: { name: string; bytes: Uint8Array }[] = [];

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'huizhen-deid-'));
    const overlay = {
      '60000010': { vr: 'US', Value: [64] },
      '60003000': { vr: 'OW', Value: [new Uint8Array(512).buffer] },
      '60004000': str('Zhang Wei overlay'),
    };
    inputs.push({ name: 'mr-1.dcm', bytes: await buildInstance('MR_small.dcm', 0, 0, overlay) });
    inputs.push({ name: 'mr-2.dcm', bytes: await buildInstance('MR_small.dcm', 1, 0) });
    inputs.push({ name: 'broken.dcm', bytes: await readFile(join(PYDICOM_TEST_FILES, 'MR_truncated.dcm')) });
    inputs.push({ name: 'mr-3.dcm', bytes: await buildInstance('MR_small_jpeg_ls_lossless.dcm', 2, 0) });
    inputs.push({ name: 'not-dicom.dcm', bytes: new TextEncoder().encode('this is not a DICOM file at all, just text') });
    const references = {
      '00081140': {
        vr: 'SQ',
        Value: [{ '00081150': { vr: 'UI', Value: ['1.2.840.10008.5.1.4.1.1.4'] }, '00081155': { vr: 'UI', Value: [ORIGINAL.sops[0]!] } }],
      },
      '00082112': {
        vr: 'SQ',
        Value: [{ '00081150': { vr: 'UI', Value: ['1.2.840.10008.5.1.4.1.1.4'] }, '00081155': { vr: 'UI', Value: [ORIGINAL.sops[1]!] } }],
      },
    };
    inputs.push({ name: 'ct-derived.dcm', bytes: await buildInstance('CT_small.dcm', 3, 1, references) });
    report = await writeDeidentifiedStudy(directory, inputs);
  });

  afterAll(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('exports the good instances and reports each broken one by name', async () => {
    expect(report.written.map((w) => w.instance)).toEqual(['mr-1.dcm', 'mr-2.dcm', 'mr-3.dcm', 'ct-derived.dcm']);
    expect(report.failed).toEqual([
      { instance: 'broken.dcm', code: 'truncated', message: expect.stringMatching(/^broken\.dcm: PixelData \(7FE0,0010\) has \d+ bytes/) },
      { instance: 'not-dicom.dcm', code: 'not-dicom', message: expect.stringMatching(/^not-dicom\.dcm: cannot be read as DICOM/) },
    ]);
    const files = (await readdir(directory)).sort();
    expect(files).toEqual(report.written.map((w) => w.fileName).sort());
    expect(files.every((f) => /^2\.25\.\d+\.dcm$/.test(f))).toBe(true);
  });

  it('leaves no identifying value in any output byte', async () => {
    const forbidden = [
      'Zhang',
      'ZHANG',
      'Wei',
      '张',
      '李',
      DEMO_PACS_PATIENT_ID,
      DEMO_PATIENT.residentId,
      '19680312',
      'Huizhen Demo Hospital',
      '汇诊示范医院',
      '东华门',
      '13811112222',
      'HOSPPACS',
      'CompressedSamples',
      'private note',
      ORIGINAL.study,
      ...ORIGINAL.series,
      ...ORIGINAL.sops,
      ORIGINAL.frameOfReference,
    ];
    for (const { fileName } of report.written) {
      const bytes = Buffer.from(await readFile(join(directory, fileName)));
      for (const term of forbidden) expect(bytes.includes(Buffer.from(term, 'utf8')), `${term} in ${fileName}`).toBe(false);
    }
  });

  it('parses back with the profile applied, UIDs consistent and references remapped', async () => {
    const parsed = await Promise.all(report.written.map(async (w) => readPart10(await readFile(join(directory, w.fileName)))));
    const first = (d: DcmjsDataset, tag: string) => d[tag]?.Value?.[0];
    const studies = new Set(parsed.map((p) => first(p.dict, '0020000D')));
    expect(studies.size).toBe(1);
    const [mr1, mr2, mr3, ct] = parsed as [(typeof parsed)[0], (typeof parsed)[0], (typeof parsed)[0], (typeof parsed)[0]];
    expect(first(mr1.dict, '0020000E')).toBe(first(mr2.dict, '0020000E'));
    expect(first(mr1.dict, '0020000E')).toBe(first(mr3.dict, '0020000E'));
    expect(first(ct.dict, '0020000E')).not.toBe(first(mr1.dict, '0020000E'));
    expect(new Set(parsed.map((p) => first(p.dict, '00200052'))).size).toBe(1);
    for (const p of parsed) {
      expect(first(p.meta, '00020003')).toBe(first(p.dict, '00080018'));
      expect(first(p.dict, '00120062')).toBe('YES');
      expect(first(p.dict, '00120063')).toMatch(/Basic Application Confidentiality Profile/);
      expect((first(p.dict, '00120064') as DcmjsDataset)['00080100']?.Value).toEqual(['113100']);
      // Zero-length values (Z) read back from dcmjs as no value or one empty string.
      for (const tag of ['00100010', '00100020', '00100030', '00080090', '00080050']) expect(isEmpty(p.dict[tag]?.Value), tag).toBe(true);
      expect(p.dict['00101002']).toBeUndefined();
      expect(p.dict['00101040']).toBeUndefined();
      expect(Object.keys(p.dict).filter((t) => Number.parseInt(t.slice(0, 4), 16) % 2 === 1)).toEqual([]);
      expect(Object.keys(p.dict).filter((t) => t.startsWith('60'))).toEqual([]);
      expect(String(first(p.dict, '0020000D'))).toMatch(/^2\.25\.\d+$/);
      // SOP Class UIDs are not identifying and must survive.
      expect(String(first(p.dict, '00080016'))).toMatch(/^1\.2\.840\.10008\./);
    }
    const referenced = (first(ct.dict, '00081140') as DcmjsDataset)['00081155']?.Value?.[0];
    const source = (first(ct.dict, '00082112') as DcmjsDataset)['00081155']?.Value?.[0];
    expect(referenced).toBe(first(mr1.dict, '00080018'));
    expect(source).toBe(first(mr2.dict, '00080018'));
  });

  it('keeps the pixel data byte for byte', async () => {
    for (const [i, input] of [inputs[0]!, inputs[1]!, inputs[3]!, inputs[5]!].entries()) {
      const before = readPart10(input.bytes).dict['7FE00010']?.Value ?? [];
      const after = readPart10(await readFile(join(directory, report.written[i]!.fileName))).dict['7FE00010']?.Value ?? [];
      expect(after.length).toBe(before.length);
      before.forEach((fragment, f) =>
        expect(Buffer.compare(Buffer.from(fragment as ArrayBuffer), Buffer.from(after[f] as ArrayBuffer))).toBe(0),
      );
    }
  });

  it('gives the same study different UIDs in another export', async () => {
    const other = await mkdtemp(join(tmpdir(), 'huizhen-deid-'));
    try {
      const again = await writeDeidentifiedStudy(other, [inputs[0]!]);
      expect(again.written[0]!.fileName).not.toBe(report.written[0]!.fileName);
    } finally {
      await rm(other, { recursive: true, force: true });
    }
  });
});

describe('de-identified FHIR timeline export', () => {
  const hospital = generateSyntheticHospital();
  const demoRef = `Patient/${DEMO_PATIENT.fhirId}`;
  const cdr = hospital.resources.filter((r) => r.id === DEMO_PATIENT.fhirId || JSON.stringify(r).includes(`"${demoRef}"`));
  const platformPatient = buildPlatformPatients(hospital)[0]!;
  const documents = documentsFor(platformPatient).map((d) => convertCdaDocument(d.xml));
  const platform: Resource[] = documents.flatMap((c) => [
    ...(c.patient ? [c.patient] : []),
    c.composition,
    c.documentReference,
    ...c.clinical.map((x) => x.resource),
  ]);
  const otherSystems: Resource[] = [
    {
      resourceType: 'Patient',
      id: HIS_DEMO_MRN,
      identifier: [{ value: HIS_DEMO_MRN }],
      name: [{ text: 'ZHANG WEI' }],
      telecom: [{ system: 'phone', value: '13811112222' }],
    },
    { resourceType: 'Patient', id: LIS_DEMO_MRN, identifier: [{ value: LIS_DEMO_MRN }], name: [{ family: 'Zhang', given: ['Wei'] }] },
    { resourceType: 'Patient', id: DEMO_PACS_PATIENT_ID, identifier: [{ value: DEMO_PACS_PATIENT_ID }] },
    {
      resourceType: 'Provenance',
      id: 'prov-1',
      recorded: '2025-06-30T10:00:00Z',
      target: [{ reference: demoRef }],
      agent: [{ who: { display: `${DEMO_PLATFORM_PATIENT.extension}` } }],
    },
  ];
  const forbidden = [
    DEMO_PATIENT.nameHanzi,
    DEMO_PATIENT.namePinyin,
    DEMO_PATIENT.namePinyin.toUpperCase(),
    'Zhang^Wei',
    DEMO_PATIENT.residentId,
    DEMO_PATIENT.mrn,
    DEMO_PATIENT.fhirId,
    HIS_DEMO_MRN,
    LIS_DEMO_MRN,
    DEMO_PLATFORM_PATIENT.extension,
    DEMO_PACS_PATIENT_ID,
    '13811112222',
    '1381111',
    '东华门',
    DEMO_PATIENT.birthDate,
  ];

  it('has the demo patient in its input (the scan would prove nothing otherwise)', () => {
    const input = JSON.stringify([...cdr, ...platform]);
    for (const term of [DEMO_PATIENT.nameHanzi, DEMO_PATIENT.residentId, DEMO_PATIENT.mrn, DEMO_PLATFORM_PATIENT.extension])
      expect(input).toContain(term);
    expect(documents.length).toBeGreaterThan(0);
  });

  it('contains none of the demo patient identifiers, names or phone', () => {
    const bundle = deidentifyTimeline([...cdr, ...platform, ...otherSystems]);
    const text = JSON.stringify(bundle);
    for (const term of forbidden) expect(text.includes(term), term).toBe(false);
    expect(text).not.toMatch(/"identifier"|"masterIdentifier"|"div"|"telecom"|"address"|"photo"|"data"/);
    expect(bundle.type).toBe('collection');
  });

  it('replaces the patients by one pseudonymous Patient and rewrites every reference to it', () => {
    const bundle = deidentifyTimeline([...cdr, ...platform, ...otherSystems]);
    const patients = (bundle.entry ?? []).filter((e) => e.resource?.resourceType === 'Patient');
    expect(patients).toHaveLength(1);
    const pseudo = patients[0]!.resource!;
    expect(pseudo).toMatchObject({ gender: 'male', birthDate: '1968' });
    expect(Object.keys(pseudo).sort()).toEqual(['birthDate', 'gender', 'id', 'meta', 'resourceType']);
    const fullUrls = new Set((bundle.entry ?? []).map((e) => e.fullUrl));
    const references = [...JSON.stringify(bundle).matchAll(/"reference":"([^"]+)"/g)].map((m) => m[1]!);
    expect(references.length).toBeGreaterThan(10);
    for (const ref of references) expect(fullUrls.has(ref) || ref.startsWith('#'), ref).toBe(true);
    expect(references.filter((r) => r === patients[0]!.fullUrl).length).toBeGreaterThan(10);
    expect((bundle.entry ?? []).some((e) => e.resource?.resourceType === 'Provenance')).toBe(false);
  });

  it('exports timeline entries with a known identity, and shifts dates when asked', () => {
    // Entries as the timeline carries them (built here, not by buildTimeline, to test only the export).
    const entries: TimelineEntry[] = [...cdr, ...platform]
      .filter((r) => r.resourceType !== 'Patient')
      .map((resource) => ({
        id: `cdr:${resource.resourceType}/${resource.id ?? ''}`,
        kind: 'other',
        title: resource.resourceType,
        codes: [],
        provenance: [
          {
            sourceId: 'cdr',
            sourceName: 'CDR',
            sourceKind: 'fhir',
            nativeId: `${resource.resourceType}/${resource.id ?? ''}`,
            fetchedAt: '2025-06-30T10:00:00Z',
          },
        ],
        resource,
      }));
    const patients = [...cdr, ...platform];
    const config = PrivacyConfigSchema.parse({ export: { dateShift: true, birthDate: 'remove' } });
    const bundle = deidentifyTimeline(entries, {
      config,
      known: knownIdentityOfPatients(patients.filter((r): r is Patient => r.resourceType === 'Patient')),
      dateShiftDays: 10,
    });
    const text = JSON.stringify(bundle);
    for (const term of forbidden) expect(text.includes(term), term).toBe(false);
    const original = entries.find((e) => e.resource.resourceType === 'Observation')!;
    const originalDate = (original.resource as { effectiveDateTime?: string }).effectiveDateTime!;
    const shifted = (bundle.entry ?? []).map((e) => (e.resource as { effectiveDateTime?: string }).effectiveDateTime).filter(Boolean);
    expect(shifted).not.toContain(originalDate);
    expect(shifted.length).toBeGreaterThan(0);
    expect((bundle.entry?.[0]?.resource as { birthDate?: string }).birthDate).toBeUndefined();
  });
});
