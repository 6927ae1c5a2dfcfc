/**
 * What a section is about, by LOINC section code or C-CDA section template, else by its title. The kind decides how
 * an ambiguous entry is read: a coded observation in a problem list is a Condition, in a results
 * section an Observation. WS/T 500 documents use the same LOINC section codes.
 */
export type SectionKind = 'problems' | 'diagnoses' | 'allergies' | 'medications' | 'results' | 'vitals' | 'other';

const BY_LOINC: Readonly<Record<string, SectionKind>> = {
  '11450-4': 'problems',
  '11348-0': 'problems',
  '29548-5': 'diagnoses',
  '11535-2': 'diagnoses',
  '78375-3': 'diagnoses',
  '46241-6': 'diagnoses',
  '42347-5': 'diagnoses',
  '48765-2': 'allergies',
  '10160-0': 'medications',
  '10183-2': 'medications',
  '42346-7': 'medications',
  '29549-3': 'medications',
  '30954-2': 'results',
  '26436-6': 'results',
  '8716-3': 'vitals',
};

const BY_TEMPLATE: Readonly<Record<string, SectionKind>> = {
  '2.16.840.1.113883.10.20.22.2.5': 'problems',
  '2.16.840.1.113883.10.20.22.2.5.1': 'problems',
  '2.16.840.1.113883.10.20.22.2.24': 'diagnoses',
  '2.16.840.1.113883.10.20.22.2.43': 'diagnoses',
  '2.16.840.1.113883.10.20.22.2.6': 'allergies',
  '2.16.840.1.113883.10.20.22.2.6.1': 'allergies',
  '2.16.840.1.113883.10.20.22.2.1': 'medications',
  '2.16.840.1.113883.10.20.22.2.1.1': 'medications',
  '2.16.840.1.113883.10.20.22.2.11': 'medications',
  '2.16.840.1.113883.10.20.22.2.11.1': 'medications',
  '2.16.840.1.113883.10.20.22.2.3': 'results',
  '2.16.840.1.113883.10.20.22.2.3.1': 'results',
  '2.16.840.1.113883.10.20.22.2.4': 'vitals',
  '2.16.840.1.113883.10.20.22.2.4.1': 'vitals',
};

/**
 * Sections with neither a known template nor a LOINC code (a local code, a misspelt code system, or
 * only a <title>) are named by their title: both standards' headings, first match wins.
 */
const BY_TITLE: readonly (readonly [RegExp, SectionKind])[] = [
  [/过敏|allerg/i, 'allergies'],
  [/诊断|diagnos/i, 'diagnoses'],
  [/问题列表|problem/i, 'problems'],
  [/生命体征|vital sign/i, 'vitals'],
  [/用药|药物|medication/i, 'medications'],
  [/检验|化验|laboratory|\bresults?\b/i, 'results'],
];

export function sectionKind(loinc: string | undefined, templateIds: readonly string[], title?: string): SectionKind {
  for (const t of templateIds) {
    const kind = BY_TEMPLATE[t];
    if (kind) return kind;
  }
  const byCode = loinc ? BY_LOINC[loinc] : undefined;
  if (byCode) return byCode;
  return (title && BY_TITLE.find(([pattern]) => pattern.test(title))?.[1]) || 'other';
}
