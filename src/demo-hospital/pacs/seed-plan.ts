/**
 * What the demo PACS holds, decided in TypeScript from the synthetic hospital and its seed:
 * which patient gets which study, every UID, date and description. generate-series.py only
 * draws and writes what this plan says, so the same seed gives the same files and the plan's
 * hash names the cache folder.
 */
import type { HumanName, Patient } from '@medplum/fhirtypes';
import { DEMO_PATIENT } from '../synthetic/demo-patient.ts';
import { DEMO_CURRENT_CT, DEMO_PACS_PATIENT_ID, derivedUid } from '../synthetic/dicom-uid.ts';
import { createPrng, type Prng } from '../synthetic/prng.ts';
import { RESIDENT_ID_SYSTEM } from '../synthetic/resident-id.ts';
import type { SyntheticHospital } from '../synthetic/synthetic-hospital.ts';

/** IssuerOfPatientID (0010,0021) the demo PACS writes into every image. */
export const DEMO_PACS_ISSUER = 'HZDEMO-PACS';
/** 张伟's PatientID in the demo PACS: its own scheme, unrelated to the CDR's MRN. */
export { DEMO_PACS_PATIENT_ID, derivedUid };
/** The 身份证 OID as an issuer in OtherPatientIDsSequence (what many PACS in China record). */
export const RESIDENT_ID_ISSUER = RESIDENT_ID_SYSTEM.replace(/^urn:oid:/, '');

export const PYDICOM_TEST_FILES = '/usr/lib/python3/dist-packages/pydicom/data/test_files';

/** `full`: realistic stacks (the demo, benchmarks); `small`: the same studies with tiny images (tests). */
export type SeedProfile = 'full' | 'small';

export interface PlannedPatient {
  id: string;
  issuer: string;
  /** DICOM PN, e.g. "Zhang^Wei=张^伟". */
  name: string;
  birthDate: string;
  sex: 'M' | 'F' | 'O' | '';
  otherIds: { id: string; issuer: string }[];
  /** The synthetic hospital's FHIR id of the same person, for tests. */
  syntheticId: string;
}

interface SeriesBase {
  uid: string;
  number: number;
  modality: string;
  description: string;
  bodyPart?: string;
  frameOfReferenceUid: string;
}
export interface StackSeries extends SeriesBase {
  kind: 'ct-phantom' | 'mr-phantom';
  slices: number;
  rows: number;
  pixelSpacing: number;
  sliceThickness: number;
  firstZ: number;
  noiseSeed: number;
}
export interface SampleSeries extends SeriesBase {
  kind: 'sample';
  /** Absolute path of a real DICOM file to re-identify. */
  file: string;
}
export type PlannedSeries = StackSeries | SampleSeries;

export interface PlannedStudy {
  patient: PlannedPatient;
  studyUid: string;
  studyId: string;
  accession: string;
  /** DICOM DA / TM. */
  date: string;
  time: string;
  description: string;
  procedure: string;
  series: PlannedSeries[];
}

export interface SeedPlan {
  seed: number;
  profile: SeedProfile;
  patients: PlannedPatient[];
  studies: PlannedStudy[];
}

const EN_REPRESENTATION = 'http://hl7.org/fhir/StructureDefinition/iso21090-EN-representation';

function nameWith(patient: Patient, representation: 'IDE' | 'SYL'): HumanName | undefined {
  return patient.name?.find((n) => n.extension?.some((e) => e.url === EN_REPRESENTATION && e.valueCode === representation));
}

/** DICOM PN with an alphabetic and, for Chinese patients, an ideographic group (PS3.5 6.2.1.2). */
export function dicomPersonName(patient: Patient, dropIdeographic: boolean): string {
  const pn = (n: HumanName | undefined): string => (n ? `${n.family ?? ''}^${(n.given ?? []).join(' ')}` : '');
  const ideographic = nameWith(patient, 'IDE');
  const alphabetic = nameWith(patient, 'SYL') ?? patient.name?.[0];
  if (!ideographic || dropIdeographic) return pn(alphabetic);
  return `${pn(alphabetic)}=${pn(ideographic)}`;
}

const da = (isoDate: string): string => isoDate.replaceAll('-', '');

function planPatients(data: SyntheticHospital, prng: Prng): PlannedPatient[] {
  const patients = data.resources.filter((r): r is Patient => r.resourceType === 'Patient');
  const used = new Set<string>([DEMO_PACS_PATIENT_ID]);
  return patients.map((patient) => {
    const isDemo = patient.id === DEMO_PATIENT.fhirId;
    let id = DEMO_PACS_PATIENT_ID;
    while (!isDemo && used.has(id)) id = `P${prng.int(10_000_002, 19_999_999)}`;
    used.add(id);
    const residentId = patient.identifier?.find((i) => i.system === RESIDENT_ID_SYSTEM)?.value;
    // Like real PACS: some record the 身份证 number, some registrations only the pinyin name.
    const recordsResidentId = residentId !== undefined && (isDemo || prng.chance(0.5));
    const pinyinOnly = !isDemo && prng.chance(0.2);
    return {
      id,
      issuer: DEMO_PACS_ISSUER,
      name: dicomPersonName(patient, pinyinOnly),
      birthDate: patient.birthDate ? da(patient.birthDate) : '',
      sex: patient.gender === 'male' ? 'M' : patient.gender === 'female' ? 'F' : patient.gender === 'other' ? 'O' : '',
      otherIds: recordsResidentId ? [{ id: residentId, issuer: RESIDENT_ID_ISSUER }] : [],
      syntheticId: patient.id ?? '',
    };
  });
}

interface StackShape {
  slices: number;
  rows: number;
  pixelSpacing: number;
  sliceThickness: number;
}

/** Field of view stays realistic in the small profile: fewer, coarser pixels. */
function shape(profile: SeedProfile, full: StackShape): StackShape {
  if (profile === 'full') return full;
  return {
    slices: Math.min(full.slices, 12),
    rows: 64,
    pixelSpacing: (full.pixelSpacing * full.rows) / 64,
    sliceThickness: full.sliceThickness,
  };
}

/** Real sample files for the other patients; each keeps its own transfer syntax. */
const SAMPLE_STUDIES: { file: string; modality: string; description: string; series: string; bodyPart?: string }[] = [
  { file: 'CT_small.dcm', modality: 'CT', description: 'CT 腹部平扫 Abdomen CT', series: 'Axial', bodyPart: 'ABDOMEN' },
  { file: 'MR_small.dcm', modality: 'MR', description: 'MR 头颅平扫 Brain MR', series: 'T1 SE', bodyPart: 'HEAD' },
  {
    file: 'MR_small_jp2klossless.dcm',
    modality: 'MR',
    description: 'MR 膝关节 Knee MR',
    series: 'PD (JPEG 2000 lossless)',
    bodyPart: 'KNEE',
  },
  { file: 'JPEG2000.dcm', modality: 'NM', description: 'NM 全身骨显像 Bone scan', series: 'Whole body (JPEG 2000)', bodyPart: 'WHOLEBODY' },
  {
    file: 'JPEG-lossy.dcm',
    modality: 'NM',
    description: 'NM 全身骨显像 Bone scan',
    series: 'Whole body (JPEG extended)',
    bodyPart: 'WHOLEBODY',
  },
  {
    file: 'SC_rgb_jpeg_dcmtk.dcm',
    modality: 'OT',
    description: '超声报告截图 Secondary capture',
    series: 'Screen capture (JPEG baseline)',
  },
];

export interface SeedPlanOptions {
  profile?: SeedProfile;
  /** Extra sample files for the demo patient (tests feed broken files through the seeding path). */
  extraSamples?: string[];
  /** Folder of pydicom's test files (default Debian's python3-pydicom). */
  sampleDir?: string;
}

export function buildSeedPlan(data: SyntheticHospital, options: SeedPlanOptions = {}): SeedPlan {
  const profile = options.profile ?? 'full';
  const sampleDir = options.sampleDir ?? PYDICOM_TEST_FILES;
  const seed = data.seed;
  const prng = createPrng((seed ^ 0x5ac5) >>> 0);
  const patients = planPatients(data, prng);
  const studies: PlannedStudy[] = [];
  let accession = 0;

  const study = (
    patient: PlannedPatient,
    key: string,
    date: string,
    time: string,
    description: string,
    procedure: string,
  ): PlannedStudy => {
    accession += 1;
    const s: PlannedStudy = {
      patient,
      studyUid: derivedUid(seed, `study/${patient.id}/${key}`),
      studyId: String(accession),
      accession: `A${date.slice(0, 4)}${String(accession).padStart(5, '0')}`,
      date,
      time,
      description,
      procedure,
      series: [],
    };
    studies.push(s);
    return s;
  };
  const base = (s: PlannedStudy, n: number, modality: string, description: string, bodyPart?: string): SeriesBase => ({
    uid: derivedUid(seed, `series/${s.studyUid}/${n}`),
    number: n,
    modality,
    description,
    ...(bodyPart ? { bodyPart } : {}),
    frameOfReferenceUid: derivedUid(seed, `for/${s.studyUid}`),
  });
  const stack = (s: PlannedStudy, n: number, kind: StackSeries['kind'], description: string, bodyPart: string, dims: StackShape): void => {
    const uidBase = base(s, n, kind === 'ct-phantom' ? 'CT' : 'MR', description, bodyPart);
    s.series.push({ ...uidBase, kind, ...dims, firstZ: -(dims.slices * dims.sliceThickness) / 2, noiseSeed: prng.int(1, 2 ** 30) });
  };
  const sample = (s: PlannedStudy, n: number, file: string, modality: string, description: string, bodyPart?: string): void => {
    s.series.push({
      ...base(s, n, modality, description, bodyPart),
      kind: 'sample',
      file: file.startsWith('/') ? file : `${sampleDir}/${file}`,
    });
  };

  const demo = patients.find((p) => p.id === DEMO_PACS_PATIENT_ID);
  if (demo) {
    const current = study(demo, DEMO_CURRENT_CT.key, '20250520', '093000', 'CT 胸部平扫 Chest CT', '胸部CT平扫');
    stack(
      current,
      2,
      'ct-phantom',
      '胸部 1.5mm 纵隔窗 Chest 1.5mm',
      'CHEST',
      shape(profile, { slices: 200, rows: 512, pixelSpacing: 0.7, sliceThickness: 1.5 }),
    );
    sample(current, 3, '693_J2KI.dcm', 'CT', '关键图像 Key image (JPEG 2000)', 'CHEST');
    for (const [i, file] of (options.extraSamples ?? []).entries()) sample(current, 90 + i, file, 'CT', `Extra sample ${i + 1}`, 'CHEST');
    const prior = study(demo, 'ct-2024', '20240311', '142000', 'CT 胸部平扫 Chest CT', '胸部CT平扫');
    stack(
      prior,
      2,
      'ct-phantom',
      '胸部 2.5mm Chest 2.5mm',
      'CHEST',
      shape(profile, { slices: 120, rows: 512, pixelSpacing: 0.7, sliceThickness: 2.5 }),
    );
    const mr = study(demo, 'mr-2023', '20230905', '101500', 'MR 头颅平扫 Brain MR', '头颅MR平扫');
    stack(mr, 1, 'mr-phantom', 'T2 TSE axial', 'HEAD', shape(profile, { slices: 24, rows: 256, pixelSpacing: 0.9, sliceThickness: 5 }));
    sample(mr, 2, 'MR_small_jpeg_ls_lossless.dcm', 'MR', 'T1 SE (JPEG-LS lossless)', 'HEAD');
    sample(mr, 3, 'MR_small_RLE.dcm', 'MR', 'T1 SE (RLE)', 'HEAD');
  }
  for (const patient of patients) {
    if (patient === demo || prng.chance(0.15)) continue; // not everybody has had imaging
    const pick = prng.pick(SAMPLE_STUDIES);
    const year = prng.int(2019, 2025);
    const date = `${year}${String(prng.int(1, 12)).padStart(2, '0')}${String(prng.int(1, 28)).padStart(2, '0')}`;
    const s = study(
      patient,
      `sample-${pick.file}`,
      date,
      `${String(prng.int(8, 17)).padStart(2, '0')}${String(prng.int(0, 59)).padStart(2, '0')}00`,
      pick.description,
      pick.description.split(' ')[0] ?? pick.description,
    );
    sample(s, 1, pick.file, pick.modality, pick.series, pick.bodyPart);
  }
  return { seed, profile, patients, studies };
}

/** Instances the plan produces when every sample is readable. */
export function plannedInstanceCount(plan: SeedPlan): number {
  return plan.studies.reduce((n, s) => n + s.series.reduce((m, se) => m + (se.kind === 'sample' ? 1 : se.slices), 0), 0);
}
