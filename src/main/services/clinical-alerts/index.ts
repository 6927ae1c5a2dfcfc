// Critical values (危急值) and medication risk rules (用药风险) over a merged record.
export { createClinicalAlerts, riskRuleProblems, type ClinicalAlerts } from './clinical-alerts.ts';
export { openAcknowledgementStore, AcknowledgementSchema, type Acknowledgement } from './acknowledgements.ts';
