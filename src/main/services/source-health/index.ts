export { createSourceHealth, type SourceHealth } from './source-health.ts';
