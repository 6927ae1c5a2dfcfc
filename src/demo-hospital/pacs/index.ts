export {
  startDemoPacs,
  demoPacsSourceConfig,
  isDemoPacsUnavailable,
  DEMO_PACS_SOURCE_ID,
  DEMO_PACS_SOURCE_NAME,
  type DemoPacs,
  type DemoPacsStart,
  type DemoPacsOptions,
  type DemoPacsFigures,
} from './start-demo-pacs.ts';
export {
  DEMO_PACS_ISSUER,
  DEMO_PACS_PATIENT_ID,
  buildSeedPlan,
  plannedInstanceCount,
  type SeedPlan,
  type SeedProfile,
} from './seed-plan.ts';
export { SeedError, type SeedFailure } from './generate-files.ts';
