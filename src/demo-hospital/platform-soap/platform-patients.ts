/**
 * The integration platform's view of the synthetic hospital: the same people as the CDR, known
 * here by the platform's own EMPI ids (and their 身份证 where the CDR has one), with their CDR
 * records alongside for the documents. Derived deterministically from the CDR data: no draws.
 */
import type {
  AllergyIntolerance,
  Condition,
  DiagnosticReport,
  Encounter,
  HumanName,
  MedicationRequest,
  Observation,
  Patient,
  Resource,
} from '@medplum/fhirtypes';
import type { SyntheticHospital } from '../synthetic/synthetic-hospital.ts';
import { isRadiologyReport } from '../synthetic/radiology-report.ts';

/** The platform's EMPI assigning authority (illustrative OID under China's 2.16.156.10011.0 arc). */
export const PLATFORM_EMPI_ROOT = '2.16.156.10011.0.99.1';
/** The platform's HL7 v3 device id (receiver of our messages). */
export const PLATFORM_DEVICE_ID = '2.16.156.10011.0.99.2';
/** Huizhen's device id as the demo platform knows it (sender). */
export const HUIZHEN_DEVICE_ID = '2.16.156.10011.0.99.3';
/**
 * Root under which the platform sends 身份证 numbers in PDQv3 answers: the CDR's identifier
 * system (urn:oid:2.16.156.10011.1.3, as WS/T 500 names it), so the workstation links the two by 身份证. Its CDA
 * documents use WS/T 500's 2.16.156.10011.1.3, as the standard says.
 */
export const PLATFORM_RESIDENT_ID_ROOT = '2.16.156.10011.1.3';
export const WST500_RESIDENT_ID_ROOT = '2.16.156.10011.1.3';

/** The platform's id for the n-th patient (0-based): "E" + 9 digits, unlike the CDR's MRNs. */
export function platformIdFor(index: number): string {
  return `E${String(100_000_000 + (index + 1) * 7919)}`;
}

/** 张伟 on the platform: stable whatever the seed, since he is always the first patient. */
export const DEMO_PLATFORM_PATIENT = { root: PLATFORM_EMPI_ROOT, extension: platformIdFor(0) } as const;

export interface PlatformPatient {
  empiId: string;
  /** The synthetic hospital's seed: documents that name DICOM studies derive their UIDs from it. */
  seed: number;
  residentId?: string;
  patient: Patient;
  chinese: boolean;
  hanzi?: HumanName;
  pinyin?: HumanName;
  encounters: Encounter[];
  conditions: Condition[];
  observations: Observation[];
  reports: DiagnosticReport[];
  medications: MedicationRequest[];
  allergies: AllergyIntolerance[];
}

const RESIDENT_SYSTEM = 'urn:oid:2.16.156.10011.1.3';
const IDE = 'http://hl7.org/fhir/StructureDefinition/iso21090-EN-representation';

function refersTo(resource: Resource, patientId: string): boolean {
  const r = resource as { subject?: { reference?: string }; patient?: { reference?: string } };
  return (r.subject?.reference ?? r.patient?.reference) === `Patient/${patientId}`;
}

export function buildPlatformPatients(data: SyntheticHospital): PlatformPatient[] {
  const patients = data.resources.filter((r): r is Patient => r.resourceType === 'Patient');
  return patients.map((patient, index) => {
    const id = patient.id ?? '';
    const mine = data.resources.filter((r) => refersTo(r, id));
    const of = <T extends Resource>(type: T['resourceType']): T[] => mine.filter((r): r is T => r.resourceType === type);
    const residentId = patient.identifier?.find((i) => i.system === RESIDENT_SYSTEM)?.value;
    const hanzi = patient.name?.find((n) => n.extension?.some((e) => e.url === IDE && e.valueCode === 'IDE'));
    const pinyin = patient.name?.find((n) => n.extension?.some((e) => e.url === IDE && e.valueCode === 'SYL'));
    return {
      empiId: platformIdFor(index),
      seed: data.seed,
      ...(residentId ? { residentId } : {}),
      patient,
      chinese: hanzi !== undefined,
      ...(hanzi ? { hanzi } : {}),
      ...(pinyin ? { pinyin } : {}),
      encounters: of<Encounter>('Encounter'),
      conditions: of<Condition>('Condition'),
      observations: of<Observation>('Observation'),
      reports: of<DiagnosticReport>('DiagnosticReport').filter((r) => !isRadiologyReport(r)),
      medications: of<MedicationRequest>('MedicationRequest'),
      allergies: of<AllergyIntolerance>('AllergyIntolerance'),
    };
  });
}
