export { qualityCsv } from './quality-csv.ts';
export { createQualityStats, type QualityStats } from './quality-stats.ts';
