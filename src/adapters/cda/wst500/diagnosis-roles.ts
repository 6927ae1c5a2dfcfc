/**
 * The role of a WS/T 500 diagnosis (入院诊断, 出院诊断, 主要诊断, 其他诊断 …). WS/T 500 gives every
 * diagnosis the same data elements (DE05.01.024.00 code, DE05.01.025.00 name); the role is in the
 * element's label (code/@displayName, code/qualifier/name/@displayName, e.g. "出院诊断-主要诊断名称")
 * and in the section's LOINC code (46241-6 admission, 11535-2 discharge). A label outranks the
 * section: real documents put admission diagnoses into a 11535-2 section (WS/T 500.49 出院记录).
 *
 * Roles are returned as codes; FHIR's diagnosis-role code system has admission and discharge
 * (AD, DD) and pre-/post-op; the others (principal, other, outpatient …) are Huizhen codes.
 */
import type { CodeableConcept } from '@medplum/fhirtypes';

export type DiagnosisRole =
  | 'admission'
  | 'discharge'
  | 'outpatient'
  | 'preoperative'
  | 'postoperative'
  | 'pathology'
  | 'death'
  | 'principal'
  | 'other'
  | 'preliminary'
  | 'revised'
  | 'confirmed'
  | 'supplementary';

export const DIAGNOSIS_ROLE_SYSTEM = 'https://huizhen.dev/fhir/CodeSystem/wst500-diagnosis-role';
const FHIR_DIAGNOSIS_ROLE = 'http://terminology.hl7.org/CodeSystem/diagnosis-role';

/** Which aspect a role describes: one role per aspect (a diagnosis is e.g. discharge + principal). */
type Aspect = 'setting' | 'rank' | 'stage';
const ASPECT_ORDER: readonly Aspect[] = ['setting', 'rank', 'stage'];

const ROLES: Readonly<Record<DiagnosisRole, { aspect: Aspect; display: string; fhir?: { code: string; display: string } }>> = {
  admission: { aspect: 'setting', display: '入院诊断', fhir: { code: 'AD', display: 'Admission diagnosis' } },
  discharge: { aspect: 'setting', display: '出院诊断', fhir: { code: 'DD', display: 'Discharge diagnosis' } },
  outpatient: { aspect: 'setting', display: '门急诊诊断' },
  preoperative: { aspect: 'setting', display: '术前诊断', fhir: { code: 'pre-op', display: 'pre-op diagnosis' } },
  postoperative: { aspect: 'setting', display: '术后诊断', fhir: { code: 'post-op', display: 'post-op diagnosis' } },
  pathology: { aspect: 'setting', display: '病理诊断' },
  death: { aspect: 'setting', display: '死亡诊断' },
  principal: { aspect: 'rank', display: '主要诊断' },
  other: { aspect: 'rank', display: '其他诊断' },
  preliminary: { aspect: 'stage', display: '初步诊断' },
  revised: { aspect: 'stage', display: '修正诊断' },
  confirmed: { aspect: 'stage', display: '确定诊断' },
  supplementary: { aspect: 'stage', display: '补充诊断' },
};

/** Label words → role, as WS/T 500 labels write them (longest first so 门急诊 wins over 急诊). */
const LABEL_WORDS: readonly (readonly [word: string, role: DiagnosisRole])[] = [
  ['入院诊断', 'admission'],
  ['初步诊断', 'preliminary'],
  ['出院诊断', 'discharge'],
  ['出院西医诊断', 'discharge'],
  ['出院中医诊断', 'discharge'],
  ['门急诊诊断', 'outpatient'],
  ['门诊诊断', 'outpatient'],
  ['急诊诊断', 'outpatient'],
  ['术前诊断', 'preoperative'],
  ['术后诊断', 'postoperative'],
  ['病理诊断', 'pathology'],
  ['死亡诊断', 'death'],
  ['死因', 'death'],
  ['主要诊断', 'principal'],
  ['主诊断', 'principal'],
  ['主病', 'principal'],
  ['其他诊断', 'other'],
  ['其他西医诊断', 'other'],
  ['次要诊断', 'other'],
  ['修正诊断', 'revised'],
  ['确定诊断', 'confirmed'],
  ['确诊', 'confirmed'],
  ['补充诊断', 'supplementary'],
  // C-CDA section titles (read lower-cased)
  ['admission diagnos', 'admission'],
  ['admitting diagnos', 'admission'],
  ['discharge diagnos', 'discharge'],
  ['preoperative diagnos', 'preoperative'],
  ['pre-operative diagnos', 'preoperative'],
  ['postoperative diagnos', 'postoperative'],
  ['post-operative diagnos', 'postoperative'],
  ['postprocedure diagnos', 'postoperative'],
  ['post-procedure diagnos', 'postoperative'],
];

/** Section LOINC codes that name a diagnosis setting (C-CDA and WS/T 500 use the same codes). */
const SECTION_ROLES: Readonly<Record<string, DiagnosisRole>> = {
  '46241-6': 'admission', // HOSPITAL ADMISSION DX
  '42347-5': 'admission', // Admission diagnosis
  '11535-2': 'discharge', // HOSPITAL DISCHARGE DX
  '78375-3': 'discharge', // Discharge diagnosis
  '10219-4': 'preoperative', // Surgical operation note preoperative Dx
  '10218-6': 'postoperative', // Surgical operation note postoperative Dx
  '22637-3': 'pathology', // Pathology report final diagnosis
  '59769-0': 'postoperative', // Postprocedure diagnosis
};

/**
 * C-CDA diagnosis section templates: real documents key these sections by template and give them
 * codes that are no LOINC at all (HL7's own R2.1 Discharge Summary: code "C-CDAV2-DDN").
 */
const SECTION_TEMPLATE_ROLES: Readonly<Record<string, DiagnosisRole>> = {
  '2.16.840.1.113883.10.20.22.2.43': 'admission', // Admission Diagnosis Section
  '2.16.840.1.113883.10.20.22.2.24': 'discharge', // Hospital Discharge Diagnosis Section
  '2.16.840.1.113883.10.20.22.2.34': 'preoperative', // Preoperative Diagnosis Section
  '2.16.840.1.113883.10.20.22.2.35': 'postoperative', // Postoperative Diagnosis Section
  '2.16.840.1.113883.10.20.22.2.36': 'postoperative', // Postprocedure Diagnosis Section
};

/**
 * The setting a document type implies when neither label nor section names one: the 初步诊断 of
 * an 入院记录 is its admission diagnosis (WS/T 500 document codes, 2.16.156.10011.2.4).
 */
const DOCUMENT_SETTINGS: Readonly<Record<string, DiagnosisRole>> = {
  C0002: 'outpatient', // 门(急)诊病历
  C0003: 'outpatient', // 急诊留观病历
  C0004: 'outpatient', // 西药处方
  C0005: 'outpatient', // 中药处方
  C0034: 'admission', // 入院记录
  C0035: 'admission', // 24小时内入出院记录
};

export interface RoleSources {
  labels: readonly string[];
  sectionLoinc?: string;
  sectionTitle?: string;
  /** The section's templateId roots (C-CDA). */
  sectionTemplates?: readonly string[];
  /** WS/T 500 document type code (C0001 … C0053). */
  documentCode?: string;
}

/** Roles found in the labels (first per aspect), the setting completed from section, then document type. */
export function diagnosisRoles({ labels, sectionLoinc, sectionTitle, sectionTemplates, documentCode }: RoleSources): DiagnosisRole[] {
  const found = new Map<Aspect, DiagnosisRole>();
  const read = (text: string): void => {
    const lower = text.toLowerCase();
    for (const [word, role] of LABEL_WORDS) {
      const aspect = ROLES[role].aspect;
      if (!found.has(aspect) && lower.includes(word)) found.set(aspect, role);
    }
  };
  labels.forEach(read);
  if (!found.has('setting')) {
    const bySection =
      (sectionLoinc ? SECTION_ROLES[sectionLoinc] : undefined) ??
      sectionTemplates?.map((t) => SECTION_TEMPLATE_ROLES[t]).find((r) => r !== undefined);
    if (bySection) found.set('setting', bySection);
    else if (sectionTitle) read(sectionTitle);
  }
  if (!found.has('setting') && documentCode) {
    const byDocument = DOCUMENT_SETTINGS[documentCode];
    if (byDocument) found.set('setting', byDocument);
  }
  return ASPECT_ORDER.map((a) => found.get(a)).filter((r): r is DiagnosisRole => r !== undefined);
}

/** One Condition.category per role: the Huizhen code, and FHIR's diagnosis-role code where one exists. */
export function roleCategory(role: DiagnosisRole): CodeableConcept {
  const r = ROLES[role];
  return {
    coding: [
      { system: DIAGNOSIS_ROLE_SYSTEM, code: role, display: r.display },
      ...(r.fhir ? [{ system: FHIR_DIAGNOSIS_ROLE, code: r.fhir.code, display: r.fhir.display }] : []),
    ],
    text: r.display,
  };
}
