export { qualityCsv } from './quality-csv.ts';
export { createQualityStats } from './quality-stats.ts';
