/** The vitals flowsheet (体温单): its view, and the model the app asks whether to show the tab. */
export { Vitals } from './Vitals.tsx';
export {
  buildVitalsFlowsheet,
  hasVitalSigns,
  isVitalSignEntry,
  SLOT_HOURS,
  type FlowsheetDay,
  type FlowsheetRow,
  type VitalReading,
  type VitalsFlowsheet,
} from './vitals-model.ts';
export { normaliseVital, type DisplayUnit, type VitalKind } from './vital-units.ts';
