export { buildTimeline, type TimelineBuildHooks } from './build-timeline.ts';
export { reconcileKeys } from './reconcile/index.ts';
export { analyteByLoinc, labCodeEntry, labCodeUsage, useLabCodeMappings } from './normalize/analytes.ts';
