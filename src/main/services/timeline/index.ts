export { buildTimeline } from './build-timeline.ts';
