// Critical values (危急值) and medication risk rules (用药风险) over a merged record.
export { createClinicalAlerts, riskRuleProblems, unacknowledgedCriticalCount, ClinicalAlertsError, type ClinicalAlerts, type PatientAlerts, type AcknowledgedCriticalValue } from './clinical-alerts.ts';
export { findCriticalValues, indexLimits, type CriticalValue } from './critical-values.ts';
export { sourceCriticalFlag, type CriticalDirection } from './source-flags.ts';
export { compileRiskRules, evaluateRiskRules, type CompiledRule, type RiskAlert, type RiskEvidence, type RiskFinding, type RuleCompileProblem } from './risk-rules.ts';
export { BUILT_IN_RULES } from './built-in-rules.ts';
export { openAcknowledgementStore, AcknowledgementSchema, type Acknowledgement, type AcknowledgementPersistence, type AcknowledgementStore } from './acknowledgements.ts';
