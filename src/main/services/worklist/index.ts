export { countAbnormalEntries, type ResultJudgePort } from './result-judge.ts';
export { composeWardWorklist, type WardWorklist } from './compose-worklist.ts';
export { fhirCensusQuery, fhirResultsQuery } from './fhir-census.ts';
export { hl7CensusQuery } from './hl7-census.ts';
export { combineCensusQueries } from './census-query.ts';
