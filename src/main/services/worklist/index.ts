export { ADT_TRIGGERS, AdtEventSchema, adtEventFromMessage, hl7Time, type AdtEvent, type AdtTrigger, type BedLocation } from './adt-event.ts';
export { applyAdtEvent, emptyCensus, expiredStays, stayKey, type Census, type CensusChange, type Stay } from './census.ts';
export { adtEventFromEncounter, adtEventFromFrame, createCensusKeeper, type CensusKeeper, type CensusListener } from './census-keeper.ts';
export { followCensus, type CensusPrefetchOptions } from './census-prefetch.ts';
export { createLastViewed, createMemoryLastViewed, type LastViewed } from './last-viewed.ts';
export { isAbnormal, isSourceCritical, resultsSince } from './new-results.ts';
export { createWorklist, sourceFlaggedCriticalCount, type CriticalCountPort, type ListOptions, type Worklist, type WorklistOptions, type WorklistRecords } from './worklist.ts';
export { composeWardWorklist, type WardWorklist, type WardWorklistOptions } from './compose-worklist.ts';
export { fhirCensusQuery, fhirResultsQuery, type CensusQuery, type ResultsQuery } from './fhir-census.ts';
