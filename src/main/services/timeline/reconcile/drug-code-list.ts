/**
 * The drugs the workstation recognises by name when systems code them differently: each
 * ingredient's WHO ATC code (the canonical key), its names as Chinese and English labels print
 * them, and local codes HIS formularies use. Extend this table, not the code, to teach
 * reconciliation a new drug; a drug not listed still reconciles by its normalised name.
 *
 * ATC codes: WHO Collaborating Centre for Drug Statistics Methodology, ATC/DDD Index
 * (whocc.no/atc_ddd_index). Chinese names: the generic names (通用名) of 《中国药典》.
 */
export interface DrugDefinition {
  atc: string;
  /** Lower-case names; a label containing one of them is this ingredient. Longest first wins. */
  names: readonly string[];
  /** Upper-cased local formulary codes (any code system other than ATC and RxNorm). */
  localCodes?: readonly string[];
}

export const DRUGS: readonly DrugDefinition[] = [
  { atc: 'A10BA02', names: ['二甲双胍', 'metformin'] },
  { atc: 'C08CA01', names: ['氨氯地平', 'amlodipine'] },
  { atc: 'C10AA05', names: ['阿托伐他汀', 'atorvastatin'] },
  { atc: 'C10AA07', names: ['瑞舒伐他汀', 'rosuvastatin'] },
  { atc: 'R03AC02', names: ['沙丁胺醇', 'salbutamol', 'albuterol'] },
  { atc: 'A02BC01', names: ['奥美拉唑', 'omeprazole'] },
  { atc: 'H03AA01', names: ['左甲状腺素', 'levothyroxine'] },
  { atc: 'B01AC06', names: ['阿司匹林', 'aspirin', 'acetylsalicylic acid'] },
  { atc: 'B01AA03', names: ['华法林', 'warfarin'] },
  { atc: 'C09AA02', names: ['依那普利', 'enalapril'] },
  { atc: 'C03DA01', names: ['螺内酯', 'spironolactone'] },
  { atc: 'J01CA04', names: ['阿莫西林', 'amoxicillin'] },
  { atc: 'J01DD04', names: ['头孢曲松', 'ceftriaxone'] },
  { atc: 'A10AB01', names: ['胰岛素', 'insulin (human)'] },
];

/** Code systems spelled as OIDs by CDA and HL7 v3 sources, to their FHIR URIs. */
export const DRUG_SYSTEM_ALIASES: ReadonlyMap<string, string> = new Map([
  ['urn:oid:2.16.840.1.113883.6.73', 'http://www.whocc.no/atc'],
  ['2.16.840.1.113883.6.73', 'http://www.whocc.no/atc'],
  ['urn:oid:2.16.840.1.113883.6.88', 'http://www.nlm.nih.gov/research/umls/rxnorm'],
  ['2.16.840.1.113883.6.88', 'http://www.nlm.nih.gov/research/umls/rxnorm'],
  ['urn:oid:2.16.840.1.113883.6.96', 'http://snomed.info/sct'],
  ['urn:oid:2.16.840.1.113883.6.3', 'http://hl7.org/fhir/sid/icd-10'],
]);

export const ATC_SYSTEM = 'http://www.whocc.no/atc';
export const RXNORM_SYSTEM = 'http://www.nlm.nih.gov/research/umls/rxnorm';
