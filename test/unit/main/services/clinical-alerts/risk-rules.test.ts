/** Risk rules (issue 16, 用药风险): the built-in rules firing and not, a hospital's own rule, broken rules, the time bound. */
import type { MedicationRequest, MedicationStatement, Observation, Resource } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import type { SourcedResource } from '../../../../../src/adapters/source-adapter.ts';
import { buildTimeline } from '../../../../../src/main/services/timeline/build-timeline.ts';
import {
  createClinicalAlerts,
  openAcknowledgementStore,
  riskRuleProblems,
} from '../../../../../src/main/services/clinical-alerts/index.ts';
import { BUILT_IN_RULES } from '../../../../../src/main/services/clinical-alerts/built-in-rules.ts';
import { compileRiskRules, evaluateRiskRules } from '../../../../../src/main/services/clinical-alerts/risk-rules.ts';
import { ConfigError, parseConfig } from '../../../../../src/main/services/config/load-config.ts';
import { ClinicalAlertsConfigSchema, type RiskRuleInput } from '../../../../../src/shared/config/clinical-alerts.ts';

const ATC = 'http://www.whocc.no/atc';
let seq = 0;

function sourced(resource: Resource, sourceId = 'cdr'): SourcedResource {
  return {
    resource,
    provenance: {
      sourceId,
      sourceName: sourceId.toUpperCase(),
      sourceKind: 'fhir',
      nativeId: `${resource.resourceType}/${resource.id}`,
      fetchedAt: '2025-06-30T02:00:00Z',
    },
  };
}

function lab(loinc: string, value: number, unit: string, at = '2025-06-29T08:00:00+08:00'): Observation {
  return {
    resourceType: 'Observation',
    id: `o${++seq}`,
    status: 'final',
    code: { coding: [{ system: 'http://loinc.org', code: loinc }] },
    effectiveDateTime: at,
    valueQuantity: { value, unit, system: 'http://unitsofmeasure.org', code: unit },
  };
}

function order(drug: { atc?: string; text: string }, status: MedicationRequest['status'] = 'active'): MedicationRequest {
  return {
    resourceType: 'MedicationRequest',
    id: `rx${++seq}`,
    status,
    intent: 'order',
    subject: { reference: 'Patient/p' },
    authoredOn: '2025-06-01T09:00:00+08:00',
    medicationCodeableConcept: { ...(drug.atc ? { coding: [{ system: ATC, code: drug.atc }] } : {}), text: drug.text },
  };
}

const rules = compileRiskRules({ builtIn: true, rules: [] }).rules;
const evaluate = (resources: Resource[]) => evaluateRiskRules(buildTimeline(resources.map((r) => sourced(r))), rules, { budgetMs: 5_000 });
const fired = (resources: Resource[]) => evaluate(resources).alerts.map((a) => a.ruleId);

describe('built-in rules', () => {
  it('compile, and each is documented by id in the README', async () => {
    expect(compileRiskRules({ builtIn: true, rules: [] }).problems).toEqual([]);
    const { readFile } = await import('node:fs/promises');
    const readme = await readFile(new URL('../../../../../README.md', import.meta.url), 'utf8');
    for (const rule of BUILT_IN_RULES) expect(readme).toContain(`\`${rule.id}\``);
  });

  it('potassium > 5.5 mmol/L with an ACE inhibitor fires, saying which values and drugs, with their entries', () => {
    const k = lab('2823-3', 5.9, 'mmol/L');
    const rx = order({ atc: 'C09AA02', text: '依那普利片 Enalapril 10 mg' });
    const { alerts, findings } = evaluate([k, rx]);
    expect(findings).toEqual([]);
    expect(alerts).toEqual([
      {
        ruleId: 'potassium-high-with-raas-or-k-sparing',
        severity: 'high',
        builtIn: true,
        evidence: [
          {
            condition: 'potassium',
            entryId: `cdr:Observation/${k.id}`,
            title: expect.any(String),
            value: 5.9,
            unit: 'mmol/L',
            clinicalTime: k.effectiveDateTime,
          },
          {
            condition: 'drug',
            entryId: `cdr:MedicationRequest/${rx.id}`,
            title: '依那普利片 Enalapril 10 mg',
            clinicalTime: rx.authoredOn,
          },
        ],
      },
    ]);
  });

  it('a potassium-sparing diuretic named only in Chinese (螺内酯, no code) counts through the drug list', () => {
    expect(fired([lab('2823-3', 6.0, 'mmol/L'), order({ text: '螺内酯片 20 mg' })])).toEqual(['potassium-high-with-raas-or-k-sparing']);
  });

  it('a MedicationStatement counts as well as an order', () => {
    const statement: MedicationStatement = {
      resourceType: 'MedicationStatement',
      id: 'ms1',
      status: 'active',
      subject: { reference: 'Patient/p' },
      medicationCodeableConcept: { coding: [{ system: ATC, code: 'C03DA01' }], text: 'spironolactone' },
    };
    expect(fired([lab('2823-3', 6.0, 'mmol/L'), statement])).toEqual(['potassium-high-with-raas-or-k-sparing']);
  });

  it.each([
    ['potassium 5.5 (not above)', [lab('2823-3', 5.5, 'mmol/L'), order({ atc: 'C09AA02', text: 'enalapril' })]],
    ['the drug stopped', [lab('2823-3', 6.1, 'mmol/L'), order({ atc: 'C09AA02', text: 'enalapril' }, 'stopped')]],
    ['another drug (amlodipine)', [lab('2823-3', 6.1, 'mmol/L'), order({ atc: 'C08CA01', text: 'amlodipine' })]],
    ['no potassium at all', [order({ atc: 'C09AA02', text: 'enalapril' })]],
    [
      'an old high potassium, the newest normal',
      [
        lab('2823-3', 6.4, 'mmol/L', '2025-06-01T08:00:00+08:00'),
        lab('2823-3', 4.6, 'mmol/L', '2025-06-29T08:00:00+08:00'),
        order({ atc: 'C09AA02', text: 'enalapril' }),
      ],
    ],
  ])('potassium rule does not fire: %s', (_why, resources) => {
    expect(fired(resources)).toEqual([]);
  });

  it('eGFR < 30 with metformin fires (CKD-EPI 62238-1, 24 mL/min/1.73 m²); 45 does not; nor without metformin', () => {
    const metformin = order({ atc: 'A10BA02', text: '二甲双胍片 Metformin 500 mg' });
    expect(fired([lab('62238-1', 24, 'mL/min/{1.73_m2}'), metformin])).toEqual(['egfr-low-with-metformin']);
    expect(fired([lab('62238-1', 45, 'mL/min/{1.73_m2}'), metformin])).toEqual([]);
    expect(fired([lab('62238-1', 24, 'mL/min/{1.73_m2}'), order({ atc: 'C10AA05', text: 'atorvastatin' })])).toEqual([]);
  });

  it('INR > 4 with warfarin fires; 3.2 does not; warfarin stopped does not', () => {
    expect(fired([lab('6301-6', 4.6, '{INR}'), order({ atc: 'B01AA03', text: '华法林钠片 2.5 mg' })])).toEqual(['inr-high-with-warfarin']);
    expect(fired([lab('6301-6', 3.2, '{INR}'), order({ atc: 'B01AA03', text: 'warfarin' })])).toEqual([]);
    expect(fired([lab('6301-6', 4.6, '{INR}'), order({ atc: 'B01AA03', text: 'warfarin' }, 'stopped')])).toEqual([]);
  });
});

const ALT_WITH_STATIN: RiskRuleInput = {
  id: 'alt-high-with-statin',
  severity: 'moderate',
  label: { 'zh-CN': '转氨酶升高且在用他汀', en: 'ALT raised on a statin' },
  conditions: [
    {
      name: 'alt',
      resourceTypes: ['Observation'],
      match: "code.coding.where(system='http://loinc.org' and code='1742-6').exists()",
      test: 'value.ofType(Quantity).value > 150',
    },
    {
      name: 'statin',
      resourceTypes: ['MedicationRequest'],
      match:
        "status = 'active' and medication.ofType(CodeableConcept).coding.where(system='http://www.whocc.no/atc' and code.startsWith('C10AA')).exists()",
    },
  ],
};

describe("a hospital's own rules", () => {
  it('a configured rule runs beside the built-in ones with its own words', async () => {
    const config = ClinicalAlertsConfigSchema.parse({ rules: [ALT_WITH_STATIN] });
    const alerts = createClinicalAlerts(config, await openAcknowledgementStore());
    const entries = buildTimeline(
      [lab('1742-6', 210, 'U/L'), order({ atc: 'C10AA05', text: '阿托伐他汀钙片 20 mg' })].map((r) => sourced(r)),
    );
    const view = alerts.forRecord(entries);
    expect(view.risks).toEqual([
      expect.objectContaining({ ruleId: 'alt-high-with-statin', builtIn: false, severity: 'moderate', label: ALT_WITH_STATIN.label }),
    ]);
    expect(view.findings).toEqual([]);
  });

  it('a rule whose FHIRPath does not compile is refused at load, naming the rule and condition', () => {
    const broken = {
      ...ALT_WITH_STATIN,
      conditions: [{ ...ALT_WITH_STATIN.conditions[0]!, test: 'value.ofType(Quantity).value > > 150' }],
    };
    const config = ClinicalAlertsConfigSchema.parse({ rules: [broken] });
    expect(riskRuleProblems(config)).toEqual([
      expect.stringMatching(/^clinicalAlerts\.rules "alt-high-with-statin", condition "alt", test: the FHIRPath does not compile/),
    ]);
    const raw = {
      sources: [{ id: 'cdr', kind: 'fhir', name: 'CDR', baseUrl: 'http://127.0.0.1:1/fhir' }],
      clinicalAlerts: { rules: [broken] },
    };
    expect(() => parseConfig(raw, 'huizhen.yaml')).toThrow(ConfigError);
    expect(() => parseConfig(raw, 'huizhen.yaml')).toThrow(/alt-high-with-statin/);
  });

  it('a rule that throws while evaluating yields a typed finding; the other rules still run', () => {
    // "+" on a collection of two codes is an error in FHIRPath, not false.
    const throwing: RiskRuleInput = {
      ...ALT_WITH_STATIN,
      id: 'throws',
      conditions: [{ name: 'x', resourceTypes: ['Observation'], match: "code.coding.code + 'x' = 'y'" }],
    };
    const compiled = compileRiskRules({ builtIn: true, rules: [ClinicalAlertsConfigSchema.parse({ rules: [throwing] }).rules[0]!] }).rules;
    const twoCodes: Observation = {
      ...lab('2823-3', 6.3, 'mmol/L'),
      code: {
        coding: [
          { system: 'http://loinc.org', code: '2823-3' },
          { system: 'urn:lis', code: 'K' },
        ],
      },
    };
    const result = evaluateRiskRules(
      buildTimeline([twoCodes, order({ atc: 'C09AA02', text: 'enalapril' })].map((r) => sourced(r))),
      compiled,
      { budgetMs: 5_000 },
    );
    expect(result.findings).toEqual([{ ruleId: 'throws', problem: 'evaluation-error', detail: expect.any(String) }]);
    expect(result.alerts.map((a) => a.ruleId)).toEqual(['potassium-high-with-raas-or-k-sparing']);
  });

  it('past the time budget, the rules not evaluated are reported over-budget rather than silently passed', () => {
    let now = 0;
    const clock = () => (now += 40);
    const result = evaluateRiskRules(
      buildTimeline([lab('2823-3', 6.3, 'mmol/L'), order({ atc: 'C09AA02', text: 'enalapril' })].map((r) => sourced(r))),
      rules,
      { budgetMs: 100, clock },
    );
    expect(result.findings.length).toBeGreaterThan(0);
    expect(result.findings.every((f) => f.problem === 'over-budget')).toBe(true);
    expect(result.alerts.length + result.findings.length).toBeLessThanOrEqual(rules.length);
  });
});
