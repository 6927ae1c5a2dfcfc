import type { ClinicalAlertsConfig } from '../../../shared/config/clinical-alerts.ts';
import type { TimelineEntry } from '../../../shared/domain/timeline.ts';
import type { Acknowledgement, AcknowledgementStore } from './acknowledgements.ts';
import { findCriticalValues, indexLimits, type CriticalValue } from './critical-values.ts';
import { compileRiskRules, evaluateRiskRules, type RiskAlert, type RiskFinding } from './risk-rules.ts';

export interface AcknowledgedCriticalValue extends CriticalValue {
  acknowledged?: Acknowledgement;
}

/** Everything the top of an open patient shows: critical values (unacknowledged first) and risk alerts. */
export interface PatientAlerts {
  critical: AcknowledgedCriticalValue[];
  risks: RiskAlert[];
  findings: RiskFinding[];
}

export class ClinicalAlertsError extends Error {
  readonly code: 'not-critical';
  constructor(code: 'not-critical', message: string) {
    super(message);
    this.name = 'ClinicalAlertsError';
    this.code = code;
  }
}

export interface ClinicalAlerts {
  forRecord(entries: readonly TimelineEntry[]): PatientAlerts;
  isCriticalValue(entry: TimelineEntry): boolean;
  /** Acknowledges this critical result (the caller has checked it belongs to the open patient); refuses an entry that is not critical. */
  acknowledge(entry: TimelineEntry, by: Acknowledgement['by'], at: string): Promise<AcknowledgedCriticalValue>;
  /** For the ward worklist: how many of this record's critical values nobody has acknowledged. */
  unacknowledgedCount(entries: readonly TimelineEntry[]): number;
}

/** Built once per workstation from the configuration (rules compiled here, never per patient). */
export function createClinicalAlerts(
  config: ClinicalAlertsConfig,
  acknowledgements: AcknowledgementStore,
  clock: () => number = performance.now.bind(performance),
): ClinicalAlerts {
  const limits = indexLimits(config.criticalLimits);
  const { rules, problems } = compileRiskRules({ builtIn: config.builtInRules, rules: config.rules });
  // Load-time validation refuses such a configuration; a rule that slipped past is a finding per record.
  const compileFindings: RiskFinding[] = problems.map((p) => ({ ruleId: p.ruleId, problem: 'evaluation-error', detail: p.message }));
  const withAcks = (values: CriticalValue[]): AcknowledgedCriticalValue[] => {
    const shown = values.map((v) => {
      const ack = acknowledgements.find(v.keys);
      return ack ? { ...v, acknowledged: ack } : v;
    });
    // Unacknowledged first, each group newest first as found.
    return [...shown.filter((v) => !('acknowledged' in v)), ...shown.filter((v) => 'acknowledged' in v)];
  };
  return {
    forRecord(entries) {
      const { alerts, findings } = evaluateRiskRules(entries, rules, { budgetMs: config.evaluationBudgetMs, clock });
      return { critical: withAcks(findCriticalValues(entries, limits)), risks: alerts, findings: [...compileFindings, ...findings] };
    },
    isCriticalValue(entry) {
      return findCriticalValues([entry], limits).length > 0;
    },
    async acknowledge(entry, by, at) {
      const value = findCriticalValues([entry], limits)[0];
      if (!value) throw new ClinicalAlertsError('not-critical', 'no such critical value in this record');
      const acknowledged = await acknowledgements.acknowledge(value.keys, by, at);
      return { ...value, acknowledged };
    },
    unacknowledgedCount(entries) {
      return unacknowledgedCriticalCount(entries, limits, acknowledgements);
    },
  };
}

/** The worklist's badge: critical values of a record that no one has acknowledged. */
export function unacknowledgedCriticalCount(
  entries: readonly TimelineEntry[],
  limits: ReturnType<typeof indexLimits>,
  acknowledgements: AcknowledgementStore,
): number {
  let count = 0;
  for (const value of findCriticalValues(entries, limits)) if (!acknowledgements.find(value.keys)) count++;
  return count;
}

/** The configuration's rules that do not compile, for the loader to refuse with their ids. */
export function riskRuleProblems(config: ClinicalAlertsConfig): string[] {
  return compileRiskRules({ builtIn: config.builtInRules, rules: config.rules }).problems.map(
    (p) => `clinicalAlerts.rules "${p.ruleId}", condition "${p.condition}", ${p.expression}: the FHIRPath does not compile (${p.message})`,
  );
}
