/** Finding a patient across the systems and opening, refreshing and caching their merged record. */
export { cacheKeyOf } from './cache-key.ts';
export { connectSources, type ConfiguredSource, type RecordSources } from './configured-source.ts';
export { createPatientRecords, type OpenedPatient, type PatientRecords } from './patient-records.ts';
export { PatientRecordCache } from './patient-record-cache.ts';
export { FIRST_SCREEN_ENTRIES } from './timeline-snapshot-cache.ts';
export { searchAcrossSources } from './patient-search.ts';
export { SeenPatients } from './seen-patients.ts';
export { readCareContext } from './care-context.ts';
export { prefetchPatients, type PrefetchReport } from './prefetch.ts';
