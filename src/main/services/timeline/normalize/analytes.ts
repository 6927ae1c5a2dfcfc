/**
 * The analytes the workstation normalises: every LOINC code that measures the same thing, the
 * canonical LOINC and unit (SI, as Chinese laboratories report), the molecular weight for
 * mass ↔ substance conversions, and the local codes Chinese LIS commonly use.
 * Extend this table, not the code, to teach Huizhen a new analyte.
 */
export interface AnalyteDefinition {
  key: string;
  loincs: readonly string[];
  canonicalLoinc: string;
  canonicalUnit: string;
  /** g/mol, for mg/dL ↔ mmol/L style conversions. */
  molecularWeight?: number;
  /** Upper-cased local codes and names (汉字 included) that mean this analyte. */
  localNames: readonly string[];
}

export const ANALYTES: readonly AnalyteDefinition[] = [
  { key: 'glucose', loincs: ['2345-7', '14749-6', '2339-0', '15074-8'], canonicalLoinc: '14749-6', canonicalUnit: 'mmol/L', molecularWeight: 180.156, localNames: ['GLU', 'GLU-S', 'GLUC', 'FBG', '葡萄糖', '血糖', '空腹血糖'] },
  { key: 'hba1c', loincs: ['4548-4', '17856-6', '59261-8'], canonicalLoinc: '4548-4', canonicalUnit: '%', localNames: ['HBA1C', 'GHB', '糖化血红蛋白'] },
  { key: 'creatinine', loincs: ['2160-0', '14682-9', '38483-4'], canonicalLoinc: '14682-9', canonicalUnit: 'umol/L', molecularWeight: 113.12, localNames: ['CREA', 'CR', 'CRE', 'SCR', '肌酐'] },
  { key: 'potassium', loincs: ['2823-3', '6298-4'], canonicalLoinc: '2823-3', canonicalUnit: 'mmol/L', localNames: ['K', 'K+', '钾', '血钾'] },
  { key: 'sodium', loincs: ['2951-2', '2947-0'], canonicalLoinc: '2951-2', canonicalUnit: 'mmol/L', localNames: ['NA', 'NA+', '钠', '血钠'] },
  { key: 'hemoglobin', loincs: ['718-7', '20509-6'], canonicalLoinc: '718-7', canonicalUnit: 'g/L', localNames: ['HGB', 'HB', '血红蛋白'] },
  { key: 'wbc', loincs: ['6690-2', '26464-8'], canonicalLoinc: '6690-2', canonicalUnit: '10*9/L', localNames: ['WBC', '白细胞', '白细胞计数'] },
  { key: 'platelets', loincs: ['777-3', '26515-7'], canonicalLoinc: '777-3', canonicalUnit: '10*9/L', localNames: ['PLT', '血小板', '血小板计数'] },
  { key: 'alt', loincs: ['1742-6', '1743-4', '1744-2'], canonicalLoinc: '1742-6', canonicalUnit: 'U/L', localNames: ['ALT', 'GPT', '丙氨酸氨基转移酶', '谷丙转氨酶'] },
  { key: 'ast', loincs: ['1920-8'], canonicalLoinc: '1920-8', canonicalUnit: 'U/L', localNames: ['AST', 'GOT', '天门冬氨酸氨基转移酶', '谷草转氨酶'] },
  { key: 'bilirubin-total', loincs: ['1975-2', '14631-6'], canonicalLoinc: '14631-6', canonicalUnit: 'umol/L', molecularWeight: 584.66, localNames: ['TBIL', 'TBI', '总胆红素'] },
  { key: 'troponin-i', loincs: ['10839-9', '42757-5'], canonicalLoinc: '10839-9', canonicalUnit: 'ng/mL', localNames: ['TNI', 'CTNI', '肌钙蛋白I'] },
  { key: 'ldl-c', loincs: ['2089-1', '13457-7', '22748-8'], canonicalLoinc: '22748-8', canonicalUnit: 'mmol/L', molecularWeight: 386.65, localNames: ['LDL', 'LDL-C', '低密度脂蛋白胆固醇'] },
];

import { BoundedMemo } from '../../../../shared/lib/bounded-memo.ts';

const byLoinc = new Map<string, AnalyteDefinition>();
const byLocalName = new Map<string, AnalyteDefinition>();
for (const a of ANALYTES) {
  for (const l of a.loincs) byLoinc.set(l, a);
  for (const n of a.localNames) byLocalName.set(n.toUpperCase(), a);
}

export function analyteByLoinc(code: string): AnalyteDefinition | undefined {
  return byLoinc.get(code);
}

/**
 * Names as sources spell them → the analyte. A LIS repeats a few dozen local codes across every
 * result it sends; normalising the spelling each time was two new strings per result.
 */
const bySpelling = new BoundedMemo<string, AnalyteDefinition | undefined>(10_000);
const lookUpSpelling = (name: string) => byLocalName.get(name.trim().toUpperCase());

export function analyteByLocalName(name: string): AnalyteDefinition | undefined {
  return bySpelling.get(name, lookUpSpelling);
}
