/**
 * Chinese patient names in the character sets PACS actually store them in — GB18030 (PS3.5
 * Annex J), ISO 2022 IR 58 with escape sequences (Annex K), UTF-8 (ISO_IR 192) and GB18030 with no
 * SpecificCharacterSet at all — served by a real Orthanc over DICOMweb: the name must reach the
 * patient search and the study list as 汉字 with its pinyin form beside it, whichever charset the
 * modality wrote. The instances are built here byte by byte from the standard's own example value
 * "Wang^XiaoDong=王^小东=".
 */
import type { ImagingStudy, Patient } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDicomwebAdapter } from '../../src/adapters/dicomweb/dicomweb-adapter.ts';
import type { SourceAdapter } from '../../src/adapters/source-adapter.ts';
import { startOrthanc, type OrthancProcess } from '../../src/demo-hospital/pacs/orthanc-process.ts';
import { demoPacsSourceConfig } from '../../src/demo-hospital/pacs/start-demo-pacs.ts';
import { DicomwebSourceConfigSchema } from '../../src/shared/config/sources/dicomweb.ts';
import { ensureOrthancInstalled } from '../support/pacs-orthanc.ts';

const ascii = (s: string): number[] => [...Buffer.from(s, 'latin1')];
/** "Wang^XiaoDong=王^小东=" as PS3.5 prints it for each character set. */
const WANG: Record<string, { charset: string; name: number[] }> = {
  // PatientIDs: GB18030, ISO 2022 IR 58, undeclared GB18030, UTF-8.
  '990000101': { charset: 'GB18030', name: [...ascii('Wang^XiaoDong='), 0xcd, 0xf5, 0x5e, 0xd0, 0xa1, 0xb6, 0xab, 0x3d] },
  '990000102': {
    charset: '\\ISO 2022 IR 58',
    name: [...ascii('Wang^XiaoDong='), 0x1b, 0x24, 0x29, 0x41, 0xcd, 0xf5, 0x5e, 0x1b, 0x24, 0x29, 0x41, 0xd0, 0xa1, 0xb6, 0xab, 0x3d],
  },
  // Many Chinese modalities write GB18030 and no SpecificCharacterSet at all: Orthanc then reads the
  // bytes with its DefaultEncoding (Latin-1 unless set), and the name reaches DICOMweb as "С" — lost
  // before any adapter sees it. A PACS serving such modalities must run with DefaultEncoding "Chinese".
  '990000104': { charset: '', name: [...ascii('Wang^XiaoDong='), 0xcd, 0xf5, 0x5e, 0xd0, 0xa1, 0xb6, 0xab, 0x3d] },
  '990000103': { charset: 'ISO_IR 192', name: [...Buffer.from('Wang^XiaoDong=王^小东=', 'utf8')] },
};

/** One explicit-VR little-endian element; values padded to even length as PS3.5 requires. */
function element(group: number, elem: number, vr: string, value: number[], pad = 0x20): Buffer {
  const bytes = value.length % 2 === 0 ? value : [...value, pad];
  const head = Buffer.alloc(8);
  head.writeUInt16LE(group, 0);
  head.writeUInt16LE(elem, 2);
  head.write(vr, 4, 'latin1');
  head.writeUInt16LE(bytes.length, 6);
  return Buffer.concat([head, Buffer.from(bytes)]);
}
const uid = (g: number, e: number, v: string) => element(g, e, 'UI', ascii(v), 0);
/** (0002,0001) File Meta Information Version: OB, whose length field is 4 bytes after 2 reserved. */
function versionElement(): Buffer {
  return Buffer.from([0x02, 0x00, 0x01, 0x00, 0x4f, 0x42, 0, 0, 2, 0, 0, 0, 0x00, 0x01]);
}

function part10(patientId: string, charset: string, name: number[], n: number): Buffer {
  const sop = `1.2.826.0.1.3680043.10.1466.7.${n}.3`;
  const meta = Buffer.concat([
    versionElement(),
    uid(0x0002, 0x0002, '1.2.840.10008.5.1.4.1.1.7'),
    uid(0x0002, 0x0003, sop),
    uid(0x0002, 0x0010, '1.2.840.10008.1.2.1'),
  ]);
  const groupLength = Buffer.alloc(4);
  groupLength.writeUInt32LE(meta.length);
  const dataset = Buffer.concat([
    ...(charset ? [element(0x0008, 0x0005, 'CS', ascii(charset))] : []),
    uid(0x0008, 0x0016, '1.2.840.10008.5.1.4.1.1.7'),
    uid(0x0008, 0x0018, sop),
    element(0x0008, 0x0020, 'DA', ascii('20240315')),
    element(0x0008, 0x0050, 'SH', ascii(`ACC${n}`)),
    element(0x0008, 0x0060, 'CS', ascii('OT')),
    element(0x0010, 0x0010, 'PN', name),
    element(0x0010, 0x0020, 'LO', ascii(patientId)),
    element(0x0010, 0x0040, 'CS', ascii('M')),
    uid(0x0020, 0x000d, `1.2.826.0.1.3680043.10.1466.7.${n}.1`),
    uid(0x0020, 0x000e, `1.2.826.0.1.3680043.10.1466.7.${n}.2`),
  ]);
  return Buffer.concat([Buffer.alloc(128), Buffer.from('DICM', 'latin1'), element(0x0002, 0x0000, 'UL', [...groupLength]), meta, dataset]);
}

let orthanc: OrthancProcess;
let adapter: SourceAdapter;

beforeAll(async () => {
  ensureOrthancInstalled();
  orthanc = await startOrthanc();
  const authorization = `Basic ${Buffer.from(`${orthanc.credentials.username}:${orthanc.credentials.password}`).toString('base64')}`;
  const encoding = await fetch(`${orthanc.httpUrl}/tools/default-encoding`, { method: 'PUT', headers: { authorization }, body: 'Chinese' });
  expect(encoding.status).toBe(200);
  let n = 0;
  for (const [patientId, { charset, name }] of Object.entries(WANG)) {
    const response = await fetch(`${orthanc.httpUrl}/instances`, {
      method: 'POST',
      headers: { authorization, 'content-type': 'application/dicom' },
      body: part10(patientId, charset, name, ++n),
      signal: AbortSignal.timeout(60_000),
    });
    expect(response.status, `${patientId}: ${await response.text()}`).toBe(200);
  }
  const config = DicomwebSourceConfigSchema.parse({
    ...demoPacsSourceConfig(orthanc.dicomwebBaseUrl, orthanc.credentials),
    // These modalities write no IssuerOfPatientID.
    issuerOfPatientId: undefined,
    resilience: { timeoutMs: 20_000, retries: 0, slowMs: 5_000 },
  });
  adapter = createDicomwebAdapter(config);
}, 120_000);
afterAll(async () => {
  await orthanc?.stop();
});

describe('Chinese PatientName through Orthanc and DICOMweb, per SpecificCharacterSet', () => {
  it.each(Object.keys(WANG))('%s: the patient search finds 王小东 with the pinyin form beside it', async (patientId) => {
    const found = await adapter.searchPatients({ text: patientId }, { signal: AbortSignal.timeout(30_000) });
    const patient = found.map((f) => f.resource).find((p): p is Patient => p.id === patientId);
    expect(patient?.name?.map((n) => n.text)).toEqual(['王小东', 'XiaoDong Wang']);
    expect(patient?.name?.[0]).toMatchObject({ family: '王', given: ['小东'] });
  });

  it.each(Object.keys(WANG))('%s: the study list names the patient 王小东', async (patientId) => {
    const record = await adapter.fetchRecord(patientId, { signal: AbortSignal.timeout(30_000) });
    const studies = record.map((r) => r.resource).filter((r): r is ImagingStudy => r.resourceType === 'ImagingStudy');
    expect(studies.map((s) => s.subject.display)).toEqual(['王小东']);
  });

  it('finds the patient by the 汉字 name, whichever charset stored it', async () => {
    const found = await adapter.searchPatients({ text: '王小东' }, { signal: AbortSignal.timeout(30_000) });
    expect(found.map((f) => f.resource.id).sort()).toEqual(Object.keys(WANG).sort());
  });
});
