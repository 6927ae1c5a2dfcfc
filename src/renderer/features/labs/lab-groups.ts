/**
 * Which section of a Chinese lab report an analyte belongs to (血常规, 生化, 糖代谢…). Inferred
 * from the canonical analyte, else the LOINC, else the panel (report) code; extend the tables
 * here, not the code, to place a new analyte.
 */
export const LAB_GROUPS = ['cbc', 'chemistry', 'glucose', 'lipids', 'cardiac', 'other'] as const;
export type LabGroupKey = (typeof LAB_GROUPS)[number];

/** Analyte key (as the timeline service names it) → section, in the order rows are listed. */
const BY_ANALYTE: ReadonlyArray<readonly [string, LabGroupKey]> = [
  ['wbc', 'cbc'],
  ['hemoglobin', 'cbc'],
  ['platelets', 'cbc'],
  ['alt', 'chemistry'],
  ['ast', 'chemistry'],
  ['bilirubin-total', 'chemistry'],
  ['creatinine', 'chemistry'],
  ['potassium', 'chemistry'],
  ['sodium', 'chemistry'],
  ['glucose', 'glucose'],
  ['hba1c', 'glucose'],
  ['ldl-c', 'lipids'],
  ['troponin-i', 'cardiac'],
];

/** Common LOINC codes outside the analyte table. */
const BY_LOINC: Readonly<Record<string, LabGroupKey>> = {
  '789-8': 'cbc', // erythrocytes
  '4544-3': 'cbc', // haematocrit
  '770-8': 'cbc', // neutrophils %
  '751-8': 'cbc', // neutrophils #
  '3094-0': 'chemistry', // urea nitrogen
  '22664-7': 'chemistry', // urea
  '3084-1': 'chemistry', // uric acid
  '2075-0': 'chemistry', // chloride
  '17861-6': 'chemistry', // calcium
  '1751-7': 'chemistry', // albumin
  '2093-3': 'lipids', // cholesterol
  '2571-8': 'lipids', // triglycerides
  '2085-9': 'lipids', // HDL-C
  '33762-6': 'cardiac', // NT-proBNP
  '2157-6': 'cardiac', // CK
};

/** Panel (DiagnosticReport) codes, for results whose own code says nothing. */
const BY_PANEL_LOINC: Readonly<Record<string, LabGroupKey>> = {
  '58410-2': 'cbc',
  '57021-8': 'cbc',
  '57782-5': 'cbc',
  '24323-8': 'chemistry',
  '24321-2': 'chemistry',
  '24325-3': 'chemistry',
  '24362-6': 'chemistry',
  '24331-1': 'lipids',
  '57698-3': 'lipids',
};

const ANALYTE_GROUP = new Map(BY_ANALYTE);
const ANALYTE_ORDER = new Map(BY_ANALYTE.map(([key], i) => [key, i]));

export function labGroupOf(analyte: string | undefined, loinc: string | undefined, panelLoincs: readonly string[]): LabGroupKey {
  const byAnalyte = analyte ? ANALYTE_GROUP.get(analyte) : undefined;
  if (byAnalyte) return byAnalyte;
  const byLoinc = loinc ? BY_LOINC[loinc] : undefined;
  if (byLoinc) return byLoinc;
  for (const code of panelLoincs) {
    const byPanel = BY_PANEL_LOINC[code];
    if (byPanel) return byPanel;
  }
  return 'other';
}

/** Rows of known analytes in report order; others after them. */
export function analyteOrder(analyte: string | undefined): number {
  return (analyte ? ANALYTE_ORDER.get(analyte) : undefined) ?? Number.MAX_SAFE_INTEGER;
}
