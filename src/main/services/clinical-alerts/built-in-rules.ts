import type { RiskRuleInput } from '../../../shared/config/clinical-alerts.ts';

/**
 * The rules Huizhen ships (README, "Risk rules"): data, in the same form a hospital writes its
 * own. Each is evaluated per record, over the record in the timeline's canonical terms: results
 * carry their canonical LOINC and UCUM value (mg/dL already converted), and drugs carry their
 * WHO ATC code when the drug list knows them (src/main/services/timeline/reconcile/drug-code-list.ts).
 * The labels live in the renderer's catalogs under `alerts.rule.<id>`.
 */
const ATC = "system='http://www.whocc.no/atc'";
const LOINC = "system='http://loinc.org'";
const ACTIVE_DRUG = "status = 'active'";
const drug = (test: string) => `${ACTIVE_DRUG} and medication.ofType(CodeableConcept).coding.where(${ATC} and (${test})).exists()`;
const result = (codes: readonly string[]) =>
  `status != 'entered-in-error' and status != 'cancelled' and code.coding.where(${LOINC} and (${codes.map((c) => `code='${c}'`).join(' or ')})).exists()`;
const DRUG_TYPES = ['MedicationRequest', 'MedicationStatement'];

/** No label: built-in rules are worded by the renderer. */
export type BuiltInRule = Omit<RiskRuleInput, 'label'>;

export const BUILT_IN_RULES: readonly BuiltInRule[] = [
  {
    // Hyperkalaemia with a drug that raises potassium: ACE inhibitors (ATC C09A, C09B) or
    // potassium-sparing diuretics (C03DA aldosterone antagonists, C03DB others, C03E combinations).
    id: 'potassium-high-with-raas-or-k-sparing',
    severity: 'high',
    conditions: [
      {
        name: 'potassium',
        resourceTypes: ['Observation'],
        match: result(['2823-3', '6298-4']),
        test: "value.ofType(Quantity).where(code='mmol/L').value > 5.5",
      },
      {
        name: 'drug',
        resourceTypes: DRUG_TYPES,
        match: drug(
          "code.startsWith('C09A') or code.startsWith('C09B') or code.startsWith('C03DA') or code.startsWith('C03DB') or code.startsWith('C03E')",
        ),
      },
    ],
  },
  {
    // Metformin with an eGFR below 30 mL/min/1.73 m² (contraindicated there by its labelling).
    // eGFR LOINC: 33914-3 (MDRD), 48642-3 / 48643-1 (MDRD by race), 62238-1 (CKD-EPI), 98979-8 (CKD-EPI 2021).
    id: 'egfr-low-with-metformin',
    severity: 'high',
    conditions: [
      {
        name: 'egfr',
        resourceTypes: ['Observation'],
        match: result(['33914-3', '48642-3', '48643-1', '62238-1', '98979-8']),
        test: 'value.ofType(Quantity).value < 30',
      },
      { name: 'drug', resourceTypes: DRUG_TYPES, match: drug("code = 'A10BA02' or code.startsWith('A10BD')") },
    ],
  },
  {
    // Warfarin (B01AA03) with an INR above 4.
    id: 'inr-high-with-warfarin',
    severity: 'high',
    conditions: [
      { name: 'inr', resourceTypes: ['Observation'], match: result(['6301-6', '34714-6']), test: 'value.ofType(Quantity).value > 4' },
      { name: 'drug', resourceTypes: DRUG_TYPES, match: drug("code = 'B01AA03'") },
    ],
  },
];
