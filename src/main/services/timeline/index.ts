export { buildTimeline, type TimelineBuildHooks } from './build-timeline.ts';
export { reconcileKeys } from './reconcile/index.ts';
export { analyteByLoinc } from './normalize/analytes.ts';
