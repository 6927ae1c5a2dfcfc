// The safety summary: allergies, active problems, current medications, latest weight/height.
export { SafetySummary } from './SafetySummary.tsx';
export {
  summarizeAllergies,
  isNoKnownAllergy,
  type AllergyLine,
  type AllergyState,
  type AllergySummary,
  type Criticality,
} from './allergy-summary.ts';
export { summarizeRecord, type ClinicalSummary, type MedicationLine, type ProblemLine, type Measurement } from './clinical-summary.ts';
