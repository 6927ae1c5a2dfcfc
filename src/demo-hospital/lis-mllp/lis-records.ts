/**
 * The LIS's view: its own MRNs and register (汉字 names only, some without birth date or
 * 身份证), and every lab report of the synthetic data with the LIS's codes — LOINC for most
 * analytes, a local code first for some (as Chinese LIS do), and units as the LIS prints them.
 */
import type { DiagnosticReport, Observation } from '@medplum/fhirtypes';
import { AUTHORITIES, deriveIdentities, IDENTITY_NOISE, type SystemIdentity } from '../hl7v2-common/demo-identities.ts';
import type { PidView } from '../hl7v2-common/pid-segment.ts';
import type { SyntheticHospital } from '../synthetic/synthetic-hospital.ts';
import { isRadiologyReport } from '../synthetic/radiology-report.ts';

/** OBX-3 as the LIS writes it: [code, text, system, alternate code, alternate text, alternate system]. */
export type LisCode = readonly [string, string, string, string?, string?, string?];

/**
 * Glucose: local code first with LOINC as the alternate; potassium: local code only (no LOINC
 * mapping in this LIS); everything else LOINC with Chinese text.
 */
export const LIS_CODES: Readonly<Record<string, LisCode>> = {
  '2345-7': ['GLU', '葡萄糖', 'L', '2345-7', 'Glucose [Mass/volume] in Serum or Plasma', 'LN'],
  '2823-3': ['K', '钾', '99LIS'],
  '4548-4': ['4548-4', '糖化血红蛋白', 'LN'],
  '2160-0': ['2160-0', '肌酐', 'LN'],
  '718-7': ['718-7', '血红蛋白', 'LN'],
  '6690-2': ['6690-2', '白细胞计数', 'LN'],
  '1742-6': ['1742-6', '丙氨酸氨基转移酶', 'LN'],
};

/** Units as printed by the analyser: WBC in 10^9/L (the same number as 10*3/uL). */
export const LIS_UNITS: Readonly<Record<string, string>> = { '10*3/uL': '10^9/L' };

export interface LisReport {
  /** OBR-2 / OBR-3. */
  placer: string;
  filler: string;
  report?: DiagnosticReport;
  observations: Observation[];
  /** OBR-4 when there is no report: the bedside monitor's readings, else a point-of-care glucose. */
  service?: LisCode;
}

/** OBR-4 of the bedside monitor's admission readings. */
export const BEDSIDE_SERVICE: LisCode = ['VS-ADM', '入院生命体征', 'L'];

/** LOINC codes of the monitor readings the LIS passes on: temperature, pulse, SpO₂. */
const BEDSIDE_LOINCS = new Set(['8310-5', '8867-4', '59408-5']);

function isVitalSign(o: Observation): boolean {
  return (o.category ?? []).some((c) => (c.coding ?? []).some((x) => x.code === 'vital-signs'));
}

/** A reading taken at the admission itself (the encounter's start), that the monitor sent. */
function isAdmissionBedsideReading(o: Observation, data: SyntheticHospital): boolean {
  const loinc = o.code.coding?.find((c) => c.system === 'http://loinc.org')?.code;
  if (!loinc || !BEDSIDE_LOINCS.has(loinc)) return false;
  const encounterId = o.encounter?.reference?.replace('Encounter/', '');
  const encounter = data.resources.find((r) => r.resourceType === 'Encounter' && r.id === encounterId);
  return encounter?.resourceType === 'Encounter' && encounter.period?.start === o.effectiveDateTime;
}

export interface LisPatient {
  identity: SystemIdentity;
  view: PidView;
  reports: LisReport[];
}

export function lisView(identity: SystemIdentity): PidView {
  const hanzi = identity.names.filter((n) => n.representation === 'I');
  const names = hanzi.length > 0 ? hanzi : identity.names;
  const noId = identity.index === IDENTITY_NOISE.lisNoResidentId;
  const noBirth = identity.index === IDENTITY_NOISE.lisNoBirthDate;
  return {
    identifiers: [
      { value: identity.lisMrn, authority: AUTHORITIES.lis, type: 'MR' },
      ...(identity.residentId && !noId ? [{ value: identity.residentId, authority: AUTHORITIES.residentId, type: 'NNCHN' }] : []),
    ],
    names,
    ...(noBirth ? {} : { birthDate: identity.birthDate }),
    gender: identity.gender,
  };
}

export function lisPatients(data: SyntheticHospital): LisPatient[] {
  const identities = deriveIdentities(data);
  const byCdrId = new Map(identities.map((i) => [i.cdrId, i]));
  const patients = new Map(identities.map((i) => [i.cdrId, { identity: i, view: lisView(i), reports: [] as LisReport[] }]));
  const observations = new Map<string, Observation>();
  for (const r of data.resources) if (r.resourceType === 'Observation' && r.id) observations.set(r.id, r);
  const reported = new Set<string>();
  let accession = 0;
  const next = (): { placer: string; filler: string } => {
    accession++;
    return { placer: `HIS-ORD-${String(accession).padStart(7, '0')}`, filler: `LIS${String(202_500_000 + accession)}` };
  };
  for (const r of data.resources) {
    if (r.resourceType !== 'DiagnosticReport' || isRadiologyReport(r)) continue;
    const owner = patients.get(r.subject?.reference?.replace('Patient/', '') ?? '');
    if (!owner) continue;
    const obs = (r.result ?? [])
      .map((ref) => observations.get(ref.reference?.replace('Observation/', '') ?? ''))
      .filter((o): o is Observation => !!o);
    obs.forEach((o) => reported.add(o.id!));
    owner.reports.push({ ...next(), report: r, observations: obs });
  }
  // The bedside monitor's admission readings go through the LIS (as some wards' monitors do) as
  // one order; the rest of the nursing chart is the CDR's and the EMR's, not the LIS's.
  const bedside = new Map<LisPatient, Observation[]>();
  for (const o of observations.values()) {
    if (!isVitalSign(o)) continue;
    reported.add(o.id!);
    const owner = patients.get(o.subject?.reference?.replace('Patient/', '') ?? '');
    if (!owner || !isAdmissionBedsideReading(o, data)) continue;
    bedside.set(owner, [...(bedside.get(owner) ?? []), o]);
  }
  for (const [owner, obs] of bedside) owner.reports.push({ ...next(), observations: obs, service: BEDSIDE_SERVICE });
  // Results outside any report (benchmark extras) go out one per order, as point-of-care tests do.
  for (const o of observations.values()) {
    if (reported.has(o.id!)) continue;
    const owner = patients.get(o.subject?.reference?.replace('Patient/', '') ?? '');
    if (owner && byCdrId.has(owner.identity.cdrId)) owner.reports.push({ ...next(), observations: [o] });
  }
  return [...patients.values()];
}
