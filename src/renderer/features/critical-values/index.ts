// Critical values (危急值) and medication risk alerts (用药风险) at the top of the open patient.
export { CriticalValuesStrip, WithCriticalValues } from './CriticalValuesStrip.tsx';
export { directionMark, ordered, ruleText } from './alert-words.ts';
