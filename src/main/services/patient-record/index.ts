/** Finding a patient across the systems and opening, refreshing and caching their merged record. */
export { cacheKeyOf } from './cache-key.ts';
export { connectSources } from './configured-source.ts';
export { createPatientRecords } from './patient-records.ts';
export { PatientRecordCache } from './patient-record-cache.ts';
export { searchAcrossSources } from './patient-search.ts';
export { SeenPatients } from './seen-patients.ts';
export { readCareContext } from './care-context.ts';
export { prefetchPatients, type PrefetchReport } from './prefetch.ts';
