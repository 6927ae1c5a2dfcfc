/**
 * The clinical vocabulary the generator draws from: ICD-10 diagnoses with Chinese display
 * text, LOINC laboratory tests with UCUM units and adult reference ranges, medications (WHO
 * ATC) and allergies. Units follow each LOINC code's property (2345-7 and 2160-0 are
 * mass/volume, hence mg/dL), so a converter further down never has to guess.
 */
export const ICD10_SYSTEM = 'http://hl7.org/fhir/sid/icd-10';
export const LOINC_SYSTEM = 'http://loinc.org';
export const UCUM_SYSTEM = 'http://unitsofmeasure.org';
export const ATC_SYSTEM = 'http://www.whocc.no/atc';
export const SNOMED_SYSTEM = 'http://snomed.info/sct';

export interface ConditionDef {
  icd10: string;
  display: string;
  /** Labs this condition pushes away from normal (LOINC code → shift in SDs). */
  labShift?: Record<string, number>;
  medication?: MedicationDef;
}

export interface MedicationDef {
  atc: string;
  display: string;
  dosage: string;
}

export const CONDITIONS: Record<string, ConditionDef> = {
  diabetes: {
    icd10: 'E11.9',
    display: '2型糖尿病',
    labShift: { '2345-7': 6, '4548-4': 5 },
    medication: { atc: 'A10BA02', display: '二甲双胍片 Metformin 500 mg', dosage: '每日两次，每次500 mg，餐后口服' },
  },
  hypertension: {
    icd10: 'I10',
    display: '原发性高血压',
    medication: { atc: 'C08CA01', display: '氨氯地平片 Amlodipine 5 mg', dosage: '每日一次，每次5 mg，口服' },
  },
  hyperlipidemia: {
    icd10: 'E78.5',
    display: '高脂血症',
    labShift: { '1742-6': 1 },
    medication: { atc: 'C10AA05', display: '阿托伐他汀钙片 Atorvastatin 20 mg', dosage: '每晚一次，每次20 mg，口服' },
  },
  ckd: { icd10: 'N18.3', display: '慢性肾脏病3期', labShift: { '2160-0': 5, '2823-3': 2, '718-7': -2 } },
  asthma: {
    icd10: 'J45.9',
    display: '支气管哮喘',
    medication: { atc: 'R03AC02', display: '沙丁胺醇气雾剂 Salbutamol 100 µg', dosage: '喘息时吸入1–2喷' },
  },
  gerd: {
    icd10: 'K21.9',
    display: '胃食管反流病',
    medication: { atc: 'A02BC01', display: '奥美拉唑肠溶胶囊 Omeprazole 20 mg', dosage: '每日一次，每次20 mg，早餐前口服' },
  },
  hypothyroidism: {
    icd10: 'E03.9',
    display: '甲状腺功能减退症',
    medication: { atc: 'H03AA01', display: '左甲状腺素钠片 Levothyroxine 50 µg', dosage: '每日一次，每次50 µg，晨起空腹' },
  },
  anemia: { icd10: 'D50.9', display: '缺铁性贫血', labShift: { '718-7': -4 } },
};

/** An acute diagnosis for inpatient stays. */
export const PNEUMONIA: ConditionDef = { icd10: 'J18.9', display: '肺炎', labShift: { '6690-2': 4 } };

export interface LabDef {
  loinc: string;
  display: string;
  unit: string;
  /** Reference range per sex; values are drawn around its middle. */
  range: Record<'male' | 'female', { low: number; high: number }>;
  decimals: number;
}

export const LABS: readonly LabDef[] = [
  {
    loinc: '2345-7',
    display: '葡萄糖 Glucose [Mass/volume] in Serum or Plasma',
    unit: 'mg/dL',
    range: { male: { low: 70, high: 99 }, female: { low: 70, high: 99 } },
    decimals: 0,
  },
  {
    loinc: '4548-4',
    display: '糖化血红蛋白 Hemoglobin A1c/Hemoglobin.total in Blood',
    unit: '%',
    range: { male: { low: 4.0, high: 5.6 }, female: { low: 4.0, high: 5.6 } },
    decimals: 1,
  },
  {
    loinc: '2160-0',
    display: '肌酐 Creatinine [Mass/volume] in Serum or Plasma',
    unit: 'mg/dL',
    range: { male: { low: 0.7, high: 1.3 }, female: { low: 0.5, high: 1.1 } },
    decimals: 2,
  },
  {
    loinc: '2823-3',
    display: '钾 Potassium [Moles/volume] in Serum or Plasma',
    unit: 'mmol/L',
    range: { male: { low: 3.5, high: 5.1 }, female: { low: 3.5, high: 5.1 } },
    decimals: 1,
  },
  {
    loinc: '718-7',
    display: '血红蛋白 Hemoglobin [Mass/volume] in Blood',
    unit: 'g/dL',
    range: { male: { low: 13.0, high: 17.5 }, female: { low: 11.5, high: 15.0 } },
    decimals: 1,
  },
  {
    loinc: '6690-2',
    display: '白细胞计数 Leukocytes [#/volume] in Blood',
    unit: '10*3/uL',
    range: { male: { low: 3.5, high: 9.5 }, female: { low: 3.5, high: 9.5 } },
    decimals: 1,
  },
  {
    loinc: '1742-6',
    display: '丙氨酸氨基转移酶 ALT [Enzymatic activity/volume] in Serum or Plasma',
    unit: 'U/L',
    range: { male: { low: 9, high: 50 }, female: { low: 7, high: 40 } },
    decimals: 0,
  },
];

export interface AllergyDef {
  code: { system: string; code: string; display: string };
  text: string;
  category: 'medication' | 'food' | 'environment';
  reaction: string;
}

export const ALLERGIES: readonly AllergyDef[] = [
  {
    code: { system: ATC_SYSTEM, code: 'J01CA', display: 'Penicillins with extended spectrum' },
    text: '青霉素类',
    category: 'medication',
    reaction: '皮疹、瘙痒',
  },
  {
    code: { system: ATC_SYSTEM, code: 'J01EC', display: 'Intermediate-acting sulfonamides' },
    text: '磺胺类药物',
    category: 'medication',
    reaction: '荨麻疹',
  },
  { code: { system: SNOMED_SYSTEM, code: '44027008', display: 'Seafood' }, text: '海鲜', category: 'food', reaction: '口唇肿胀' },
  { code: { system: SNOMED_SYSTEM, code: '256259004', display: 'Pollen' }, text: '花粉', category: 'environment', reaction: '鼻塞、流涕' },
];
