export { cacheKeyOf } from './cache-key.ts';
export { readCareContext } from './care-context.ts';
export { connectSources } from './configured-source.ts';
export { PatientRecordCache } from './patient-record-cache.ts';
export { createPatientRecords } from './patient-records.ts';
export { linkFoundPatients, searchAcrossSources } from './patient-search.ts';
export { capCandidates } from './patient-search-cap.ts';
export { prefetchPatients, type PrefetchReport } from './prefetch.ts';
export { SeenPatients } from './seen-patients.ts';
