import fhirpath from 'fhirpath';
import r4 from 'fhirpath/fhir-context/r4';
import type { Resource } from '@medplum/fhirtypes';
import { RiskRuleSchema, type RiskRule, type RiskRuleInput } from '../../../shared/config/clinical-alerts.ts';
import type { TimelineEntry } from '../../../shared/domain/timeline.ts';
import { BUILT_IN_RULES } from './built-in-rules.ts';
import { evaluationView } from './evaluation-view.ts';

type Evaluator = (resource: Resource) => unknown[];

interface CompiledCondition {
  name: string;
  resourceTypes: ReadonlySet<string>;
  match: Evaluator;
  test?: Evaluator;
}

export interface CompiledRule {
  id: string;
  severity: RiskRule['severity'];
  /** Hospital rules carry their words; built-in ones are worded by the renderer. */
  label?: RiskRule['label'];
  builtIn: boolean;
  conditions: CompiledCondition[];
}

/** A rule whose FHIRPath does not compile: named so the configuration's author finds it. */
export interface RuleCompileProblem {
  ruleId: string;
  condition: string;
  expression: 'match' | 'test';
  message: string;
}

/** A record behind an alert, so the alert can say why and link to it. */
export interface RiskEvidence {
  condition: string;
  entryId: string;
  title: string;
  value?: number;
  unit?: string;
  clinicalTime?: string;
}

export interface RiskAlert {
  ruleId: string;
  severity: RiskRule['severity'];
  builtIn: boolean;
  label?: RiskRule['label'];
  evidence: RiskEvidence[];
}

/** A rule that could not be evaluated for this record: reported, never thrown. */
export interface RiskFinding {
  ruleId: string;
  problem: 'evaluation-error' | 'over-budget';
  detail?: string;
}

function compileExpression(expression: string): Evaluator {
  const compiled = fhirpath.compile(expression, r4);
  return (resource) => compiled(resource) as unknown[];
}

/** Compiles built-in rules (unless turned off) and the hospital's; a rule that fails is left out and reported. */
export function compileRiskRules(options: { builtIn: boolean; rules: readonly RiskRule[] }): {
  rules: CompiledRule[];
  problems: RuleCompileProblem[];
} {
  const problems: RuleCompileProblem[] = [];
  const rules: CompiledRule[] = [];
  const sources: { rule: RiskRule; builtIn: boolean }[] = [
    ...(options.builtIn
      ? BUILT_IN_RULES.map((r) => ({
          rule: RiskRuleSchema.parse({ ...r, label: { 'zh-CN': r.id, en: r.id } } satisfies RiskRuleInput),
          builtIn: true,
        }))
      : []),
    ...options.rules.map((rule) => ({ rule, builtIn: false })),
  ];
  for (const { rule, builtIn } of sources) {
    const conditions: CompiledCondition[] = [];
    for (const c of rule.conditions) {
      for (const expression of ['match', 'test'] as const) {
        const text = c[expression];
        if (text === undefined) continue;
        try {
          compileExpression(text);
        } catch (error) {
          problems.push({
            ruleId: rule.id,
            condition: c.name,
            expression,
            message: (error instanceof Error ? error.message : String(error)).slice(0, 300),
          });
        }
      }
      if (problems.some((p) => p.ruleId === rule.id)) continue;
      conditions.push({
        name: c.name,
        resourceTypes: new Set(c.resourceTypes),
        match: compileExpression(c.match),
        ...(c.test ? { test: compileExpression(c.test) } : {}),
      });
    }
    if (problems.some((p) => p.ruleId === rule.id)) continue;
    rules.push({ id: rule.id, severity: rule.severity, ...(builtIn ? {} : { label: rule.label }), builtIn, conditions });
  }
  return { rules, problems };
}

/** A condition holds for a resource when its expression yields exactly `true` (FHIRPath's boolean). */
const holds = (evaluator: Evaluator, resource: Resource): boolean => {
  const result = evaluator(resource);
  return result.length === 1 && result[0] === true;
};

function evidenceOf(condition: string, entry: TimelineEntry): RiskEvidence {
  return {
    condition,
    entryId: entry.id,
    title: entry.title,
    ...(entry.lab?.value !== undefined ? { value: entry.lab.value } : {}),
    ...(entry.lab?.unit ? { unit: entry.lab.unit } : {}),
    ...(entry.clinicalTime ? { clinicalTime: entry.clinicalTime } : {}),
  };
}

export interface EvaluateOptions {
  /** Past this much wall time, rules not yet evaluated are reported `over-budget`. */
  budgetMs: number;
  clock?: () => number;
}

/**
 * Every rule over one merged record. Each condition looks at the entries of its resource types
 * in canonical terms (evaluation-view.ts), newest first; the newest match is the condition's
 * record (with a `test`, that record must also pass it). Conditions run in order and a rule
 * stops at the first that finds nothing, so a rule leads with its rarest condition. A rule
 * that throws or does not finish within the budget yields a finding, and the others still run.
 */
export function evaluateRiskRules(
  entries: readonly TimelineEntry[],
  rules: readonly CompiledRule[],
  options: EvaluateOptions,
): { alerts: RiskAlert[]; findings: RiskFinding[] } {
  const clock = options.clock ?? performance.now.bind(performance);
  const deadline = clock() + options.budgetMs;
  const wanted = new Set(rules.flatMap((r) => r.conditions.flatMap((c) => [...c.resourceTypes])));
  // Per resource type, the entries newest first (a stable sort on clinical time; undated last).
  const byType = new Map<string, TimelineEntry[]>();
  for (const entry of entries) {
    const type = entry.resource.resourceType;
    if (!wanted.has(type)) continue;
    let list = byType.get(type);
    if (!list) byType.set(type, (list = []));
    list.push(entry);
  }
  for (const list of byType.values()) list.sort((a, b) => (b.clinicalTime ?? '').localeCompare(a.clinicalTime ?? ''));
  const views = new Map<TimelineEntry, Resource>();
  const viewOf = (entry: TimelineEntry) => {
    let view = views.get(entry);
    if (!view) views.set(entry, (view = evaluationView(entry)));
    return view;
  };

  const alerts: RiskAlert[] = [];
  const findings: RiskFinding[] = [];
  for (const rule of rules) {
    if (clock() > deadline) {
      findings.push({ ruleId: rule.id, problem: 'over-budget' });
      continue;
    }
    try {
      const evidence: RiskEvidence[] = [];
      let overBudget = false;
      for (const condition of rule.conditions) {
        const candidates = [...condition.resourceTypes].flatMap((t) => byType.get(t) ?? []);
        if (condition.resourceTypes.size > 1) candidates.sort((a, b) => (b.clinicalTime ?? '').localeCompare(a.clinicalTime ?? ''));
        // The newest record that matches decides (with a test, it must also pass it): one
        // record per condition says why, and a long chart of daily orders is not read to the end.
        let found: TimelineEntry | undefined;
        for (const entry of candidates) {
          if (clock() > deadline) {
            overBudget = true;
            break;
          }
          if (!holds(condition.match, viewOf(entry))) continue;
          found = entry;
          break;
        }
        if (overBudget) break;
        if (!found || (condition.test && !holds(condition.test, viewOf(found)))) {
          evidence.length = 0;
          break;
        }
        evidence.push(evidenceOf(condition.name, found));
      }
      if (overBudget) {
        findings.push({ ruleId: rule.id, problem: 'over-budget' });
        continue;
      }
      if (evidence.length > 0)
        alerts.push({
          ruleId: rule.id,
          severity: rule.severity,
          builtIn: rule.builtIn,
          ...(rule.label ? { label: rule.label } : {}),
          evidence,
        });
    } catch (error) {
      findings.push({
        ruleId: rule.id,
        problem: 'evaluation-error',
        detail: (error instanceof Error ? error.message : String(error)).slice(0, 300),
      });
    }
  }
  return { alerts, findings };
}
