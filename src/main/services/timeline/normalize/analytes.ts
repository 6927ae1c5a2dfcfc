/**
 * The analytes the workstation normalises: every LOINC code that measures the same thing, the
 * canonical LOINC and unit (SI, as Chinese laboratories report), the molecular weight for
 * mass ↔ substance conversions, and the local codes Chinese LIS commonly use.
 * Extend this table, not the code, to teach Huizhen a new analyte.
 *
 * Where each mapping comes from:
 * - LOINC codes: the LOINC table (loinc.org, Loinc.csv); `loincName` is the canonical code's
 *   LONG_COMMON_NAME there, so a reviewer can check the row against the table's own entry.
 *   Codes are checked for their LOINC check digit by test/unit/main/services/timeline/normalize/analytes.test.ts.
 * - Local codes: the test abbreviations Chinese analysers and LIS print as OBX-3 codes (GLU,
 *   CREA, K, NA, CL, HGB, WBC, RBC, PLT, ALT, AST, TBIL, UREA/BUN, UA, TG, TC, HDL/LDL, CRP,
 *   PT, INR, APTT, FIB) and the item names of 《全国临床检验操作规程》 (葡萄糖, 肌酐, 钾, …).
 *   A code that means two things in Chinese labs is left out: PCT is procalcitonin in chemistry
 *   but plateletcrit (血小板压积) in a blood count, so only 降钙素原 maps to procalcitonin.
 * - Molecular weights: glucose C6H12O6 180.156, creatinine 113.12, bilirubin 584.66, urea
 *   CH4N2O 60.06, urea nitrogen N2 28.014, urate 168.11, cholesterol 386.65, triglyceride as
 *   triolein 885.4 (the conventional mg/dL × 0.01129 factor), calcium 40.078, chloride 35.45.
 */
export interface AnalyteDefinition {
  key: string;
  loincs: readonly string[];
  canonicalLoinc: string;
  /** LONG_COMMON_NAME of `canonicalLoinc` in the LOINC table: the source of the mapping. */
  loincName: string;
  canonicalUnit: string;
  /** g/mol, for mg/dL ↔ mmol/L style conversions. */
  molecularWeight?: number;
  /** Upper-cased local codes and names (汉字 included) that mean this analyte. */
  localNames: readonly string[];
}

export const ANALYTES: readonly AnalyteDefinition[] = [
  // Chemistry
  {
    key: 'glucose',
    loincs: ['2345-7', '14749-6', '2339-0', '15074-8'],
    canonicalLoinc: '14749-6',
    loincName: 'Glucose [Moles/volume] in Serum or Plasma',
    canonicalUnit: 'mmol/L',
    molecularWeight: 180.156,
    localNames: ['GLU', 'GLU-S', 'GLUC', 'FBG', '葡萄糖', '血糖', '空腹血糖'],
  },
  {
    key: 'hba1c',
    loincs: ['4548-4', '17856-6', '59261-8'],
    canonicalLoinc: '4548-4',
    loincName: 'Hemoglobin A1c/Hemoglobin.total in Blood',
    canonicalUnit: '%',
    localNames: ['HBA1C', 'GHB', '糖化血红蛋白'],
  },
  {
    key: 'creatinine',
    loincs: ['2160-0', '14682-9', '38483-4'],
    canonicalLoinc: '14682-9',
    loincName: 'Creatinine [Moles/volume] in Serum or Plasma',
    canonicalUnit: 'umol/L',
    molecularWeight: 113.12,
    localNames: ['CREA', 'CR', 'CRE', 'SCR', '肌酐', '血肌酐'],
  },
  {
    key: 'urea',
    loincs: ['22664-7', '3091-6'],
    canonicalLoinc: '22664-7',
    loincName: 'Urea [Moles/volume] in Serum or Plasma',
    canonicalUnit: 'mmol/L',
    molecularWeight: 60.06,
    localNames: ['UREA', 'URE', '尿素', '血尿素'],
  },
  // Urea nitrogen is its own row: per litre it is the same molar amount as urea, but mg/dL of nitrogen converts with N2's weight.
  {
    key: 'urea-nitrogen',
    loincs: ['14937-7', '3094-0'],
    canonicalLoinc: '14937-7',
    loincName: 'Urea nitrogen [Moles/volume] in Serum or Plasma',
    canonicalUnit: 'mmol/L',
    molecularWeight: 28.014,
    localNames: ['BUN', '尿素氮', '血尿素氮'],
  },
  {
    key: 'uric-acid',
    loincs: ['14933-6', '3084-1'],
    canonicalLoinc: '14933-6',
    loincName: 'Urate [Moles/volume] in Serum or Plasma',
    canonicalUnit: 'umol/L',
    molecularWeight: 168.11,
    localNames: ['UA', 'URIC', '尿酸', '血尿酸'],
  },
  {
    key: 'potassium',
    loincs: ['2823-3', '6298-4'],
    canonicalLoinc: '2823-3',
    loincName: 'Potassium [Moles/volume] in Serum or Plasma',
    canonicalUnit: 'mmol/L',
    localNames: ['K', 'K+', '钾', '血钾'],
  },
  {
    key: 'sodium',
    loincs: ['2951-2', '2947-0'],
    canonicalLoinc: '2951-2',
    loincName: 'Sodium [Moles/volume] in Serum or Plasma',
    canonicalUnit: 'mmol/L',
    localNames: ['NA', 'NA+', '钠', '血钠'],
  },
  {
    key: 'chloride',
    loincs: ['2075-0', '2069-3'],
    canonicalLoinc: '2075-0',
    loincName: 'Chloride [Moles/volume] in Serum or Plasma',
    canonicalUnit: 'mmol/L',
    molecularWeight: 35.45,
    localNames: ['CL', 'CL-', '氯', '血氯', '氯化物'],
  },
  {
    key: 'calcium',
    loincs: ['2000-8', '17861-6'],
    canonicalLoinc: '2000-8',
    loincName: 'Calcium [Moles/volume] in Serum or Plasma',
    canonicalUnit: 'mmol/L',
    molecularWeight: 40.078,
    localNames: ['CA', 'CA2+', '钙', '血钙'],
  },
  {
    key: 'alt',
    loincs: ['1742-6', '1743-4', '1744-2'],
    canonicalLoinc: '1742-6',
    loincName: 'Alanine aminotransferase [Enzymatic activity/volume] in Serum or Plasma',
    canonicalUnit: 'U/L',
    localNames: ['ALT', 'GPT', '丙氨酸氨基转移酶', '谷丙转氨酶'],
  },
  {
    key: 'ast',
    loincs: ['1920-8'],
    canonicalLoinc: '1920-8',
    loincName: 'Aspartate aminotransferase [Enzymatic activity/volume] in Serum or Plasma',
    canonicalUnit: 'U/L',
    localNames: ['AST', 'GOT', '天门冬氨酸氨基转移酶', '天冬氨酸氨基转移酶', '谷草转氨酶'],
  },
  {
    key: 'alp',
    loincs: ['6768-6'],
    canonicalLoinc: '6768-6',
    loincName: 'Alkaline phosphatase [Enzymatic activity/volume] in Serum or Plasma',
    canonicalUnit: 'U/L',
    localNames: ['ALP', 'AKP', '碱性磷酸酶'],
  },
  {
    key: 'ggt',
    loincs: ['2324-2'],
    canonicalLoinc: '2324-2',
    loincName: 'Gamma glutamyl transferase [Enzymatic activity/volume] in Serum or Plasma',
    canonicalUnit: 'U/L',
    localNames: ['GGT', 'γ-GT', 'R-GT', 'γ-谷氨酰转移酶', 'γ谷氨酰转肽酶', 'γ-谷氨酰转肽酶', '谷氨酰转肽酶'],
  },
  {
    key: 'bilirubin-total',
    loincs: ['1975-2', '14631-6'],
    canonicalLoinc: '14631-6',
    loincName: 'Bilirubin.total [Moles/volume] in Serum or Plasma',
    canonicalUnit: 'umol/L',
    molecularWeight: 584.66,
    localNames: ['TBIL', 'TBI', 'T-BIL', '总胆红素'],
  },
  {
    key: 'bilirubin-direct',
    loincs: ['1968-7', '14629-0'],
    canonicalLoinc: '14629-0',
    loincName: 'Bilirubin.direct [Moles/volume] in Serum or Plasma',
    canonicalUnit: 'umol/L',
    molecularWeight: 584.66,
    localNames: ['DBIL', 'DBI', 'D-BIL', '直接胆红素'],
  },
  {
    key: 'bilirubin-indirect',
    loincs: ['14630-8', '1971-1'],
    canonicalLoinc: '14630-8',
    loincName: 'Bilirubin.indirect [Moles/volume] in Serum or Plasma',
    canonicalUnit: 'umol/L',
    molecularWeight: 584.66,
    localNames: ['IBIL', 'IBI', 'I-BIL', '间接胆红素'],
  },
  {
    key: 'total-protein',
    loincs: ['2885-2'],
    canonicalLoinc: '2885-2',
    loincName: 'Protein [Mass/volume] in Serum or Plasma',
    canonicalUnit: 'g/L',
    localNames: ['TP', '总蛋白'],
  },
  {
    key: 'albumin',
    loincs: ['1751-7'],
    canonicalLoinc: '1751-7',
    loincName: 'Albumin [Mass/volume] in Serum or Plasma',
    canonicalUnit: 'g/L',
    localNames: ['ALB', '白蛋白'],
  },
  {
    key: 'cholesterol-total',
    loincs: ['14647-2', '2093-3'],
    canonicalLoinc: '14647-2',
    loincName: 'Cholesterol [Moles/volume] in Serum or Plasma',
    canonicalUnit: 'mmol/L',
    molecularWeight: 386.65,
    localNames: ['TC', 'CHOL', 'CHO', 'T-CHO', '总胆固醇'],
  },
  {
    key: 'triglyceride',
    loincs: ['14927-8', '2571-8'],
    canonicalLoinc: '14927-8',
    loincName: 'Triglyceride [Moles/volume] in Serum or Plasma',
    canonicalUnit: 'mmol/L',
    molecularWeight: 885.4,
    localNames: ['TG', 'TRIG', '甘油三酯', '三酰甘油'],
  },
  {
    key: 'hdl-c',
    loincs: ['14646-4', '2085-9'],
    canonicalLoinc: '14646-4',
    loincName: 'Cholesterol in HDL [Moles/volume] in Serum or Plasma',
    canonicalUnit: 'mmol/L',
    molecularWeight: 386.65,
    localNames: ['HDL', 'HDL-C', 'HDLC', '高密度脂蛋白胆固醇', '高密度脂蛋白'],
  },
  {
    key: 'ldl-c',
    loincs: ['2089-1', '13457-7', '22748-8'],
    canonicalLoinc: '22748-8',
    loincName: 'Cholesterol in LDL [Moles/volume] in Serum or Plasma',
    canonicalUnit: 'mmol/L',
    molecularWeight: 386.65,
    localNames: ['LDL', 'LDL-C', 'LDLC', '低密度脂蛋白胆固醇', '低密度脂蛋白'],
  },
  // Inflammation and cardiac
  {
    key: 'crp',
    loincs: ['1988-5'],
    canonicalLoinc: '1988-5',
    loincName: 'C reactive protein [Mass/volume] in Serum or Plasma',
    canonicalUnit: 'mg/L',
    localNames: ['CRP', 'C反应蛋白', 'C-反应蛋白'],
  },
  {
    key: 'hs-crp',
    loincs: ['30522-7'],
    canonicalLoinc: '30522-7',
    loincName: 'C reactive protein [Mass/volume] in Serum or Plasma by High sensitivity method',
    canonicalUnit: 'mg/L',
    localNames: ['HSCRP', 'HS-CRP', '超敏C反应蛋白', '超敏CRP'],
  },
  {
    key: 'procalcitonin',
    loincs: ['33959-8'],
    canonicalLoinc: '33959-8',
    loincName: 'Procalcitonin [Mass/volume] in Serum or Plasma',
    canonicalUnit: 'ng/mL',
    localNames: ['降钙素原', 'PROCALCITONIN'],
  },
  {
    key: 'troponin-i',
    loincs: ['10839-9', '42757-5'],
    canonicalLoinc: '10839-9',
    loincName: 'Troponin I.cardiac [Mass/volume] in Serum or Plasma',
    canonicalUnit: 'ng/mL',
    localNames: ['TNI', 'CTNI', '肌钙蛋白I'],
  },
  {
    key: 'nt-probnp',
    loincs: ['33762-6'],
    canonicalLoinc: '33762-6',
    loincName: 'Natriuretic peptide.B prohormone N-Terminal [Mass/volume] in Serum or Plasma',
    canonicalUnit: 'pg/mL',
    localNames: ['NT-PROBNP', 'NTPROBNP', 'N端脑钠肽前体', 'N末端B型利钠肽原'],
  },
  // Blood count
  {
    key: 'hemoglobin',
    loincs: ['718-7', '20509-6'],
    canonicalLoinc: '718-7',
    loincName: 'Hemoglobin [Mass/volume] in Blood',
    canonicalUnit: 'g/L',
    localNames: ['HGB', 'HB', '血红蛋白'],
  },
  {
    key: 'wbc',
    loincs: ['6690-2', '26464-8'],
    canonicalLoinc: '6690-2',
    loincName: 'Leukocytes [#/volume] in Blood by Automated count',
    canonicalUnit: '10*9/L',
    localNames: ['WBC', '白细胞', '白细胞计数'],
  },
  {
    key: 'rbc',
    loincs: ['789-8', '26453-1'],
    canonicalLoinc: '789-8',
    loincName: 'Erythrocytes [#/volume] in Blood by Automated count',
    canonicalUnit: '10*12/L',
    localNames: ['RBC', '红细胞', '红细胞计数'],
  },
  {
    key: 'hematocrit',
    loincs: ['4544-3', '20570-8'],
    canonicalLoinc: '4544-3',
    loincName: 'Hematocrit [Volume Fraction] of Blood by Automated count',
    canonicalUnit: 'L/L',
    localNames: ['HCT', '红细胞压积', '红细胞比容', '血细胞比容'],
  },
  {
    key: 'platelets',
    loincs: ['777-3', '26515-7'],
    canonicalLoinc: '777-3',
    loincName: 'Platelets [#/volume] in Blood by Automated count',
    canonicalUnit: '10*9/L',
    localNames: ['PLT', '血小板', '血小板计数'],
  },
  // Coagulation
  {
    key: 'pt',
    loincs: ['5902-2', '5964-2'],
    canonicalLoinc: '5902-2',
    loincName: 'Prothrombin time (PT)',
    canonicalUnit: 's',
    localNames: ['PT', '凝血酶原时间'],
  },
  {
    key: 'inr',
    loincs: ['6301-6', '34714-6'],
    canonicalLoinc: '6301-6',
    loincName: 'INR in Platelet poor plasma by Coagulation assay',
    canonicalUnit: '{INR}',
    localNames: ['INR', 'PT-INR', 'PTINR', '国际标准化比值', '国际标准化比率'],
  },
  {
    key: 'aptt',
    loincs: ['14979-9', '3173-2'],
    canonicalLoinc: '14979-9',
    loincName: 'aPTT in Platelet poor plasma by Coagulation assay',
    canonicalUnit: 's',
    localNames: ['APTT', '活化部分凝血活酶时间'],
  },
  {
    key: 'fibrinogen',
    loincs: ['3255-7'],
    canonicalLoinc: '3255-7',
    loincName: 'Fibrinogen [Mass/volume] in Platelet poor plasma by Coagulation assay',
    canonicalUnit: 'g/L',
    localNames: ['FIB', 'FG', '纤维蛋白原'],
  },
];

import { BoundedMemo } from '../../../../shared/lib/bounded-memo.ts';

const byLoinc = new Map<string, AnalyteDefinition>();
for (const a of ANALYTES) for (const l of a.loincs) byLoinc.set(l, a);

export function analyteByLoinc(code: string): AnalyteDefinition | undefined {
  return byLoinc.get(code);
}

/** One row of the local-code table: a code or printed name and the LOINC it means. */
export interface LabCodeEntry {
  code: string;
  loinc: string;
  origin: 'built-in' | 'configured';
  /** The analyte of that LOINC, when the timeline normalises it (a configured LOINC may name none). */
  analyte: AnalyteDefinition | undefined;
  /** Results it mapped since the table was set: a field, not a map beside it, as it counts on the build's hot path. */
  uses: number;
}

const builtIn = (): LabCodeEntry[] =>
  ANALYTES.flatMap((a) =>
    a.localNames.map((code) => ({ code, loinc: a.canonicalLoinc, origin: 'built-in' as const, analyte: a, uses: 0 })),
  );

let entries: readonly LabCodeEntry[] = builtIn();
let byLocalName = new Map<string, LabCodeEntry>();

/**
 * Names as sources spell them → the entry. A LIS repeats a few dozen local codes across every
 * result it sends; normalising the spelling each time was two new strings per result.
 */
let bySpelling = new BoundedMemo<string, LabCodeEntry | undefined>(10_000);

function index(): void {
  byLocalName = new Map();
  // Configured entries come last and replace a built-in entry of the same code.
  for (const e of entries) byLocalName.set(e.code.toUpperCase(), e);
  bySpelling = new BoundedMemo(10_000);
}
index();

/** The hospital's local codes over the built-in ones; counts start again. */
export function useLabCodeMappings(configured: readonly { code: string; loinc: string }[]): void {
  entries = [
    ...builtIn(),
    ...configured.map((c) => ({ code: c.code, loinc: c.loinc, origin: 'configured' as const, analyte: analyteByLoinc(c.loinc), uses: 0 })),
  ];
  index();
}

/**
 * Chinese LIS mark tests in national mutual recognition (检验结果互认) with a leading "*" or "★"
 * ("*葡萄糖"); the mark is not part of the name. Brackets are kept: "白细胞(高倍视野)" is a
 * urine or stool count, not the blood count "白细胞".
 */
const MARKS = /^[*★☆※#△▲\s]+/;
const lookUpSpelling = (name: string) => byLocalName.get(name.replace(MARKS, '').trim().toUpperCase());

export function labCodeEntry(name: string): LabCodeEntry | undefined {
  return bySpelling.get(name, lookUpSpelling);
}

export function analyteByLocalName(name: string): AnalyteDefinition | undefined {
  return labCodeEntry(name)?.analyte;
}

/** Every entry (the shadowed built-in ones too) with the times it mapped a result since the table was set. */
export function labCodeUsage(): { code: string; loinc: string; origin: 'built-in' | 'configured'; uses: number }[] {
  return entries.map((e) => ({ code: e.code, loinc: e.loinc, origin: e.origin, uses: e.uses }));
}
