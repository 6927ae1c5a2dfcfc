export { buildCheckedTimeline } from './assess-timeline.ts';
export { qualityReport, type SourceQualityReport } from './quality-report.ts';
export { answerWarningFindings } from './answer-warning-findings.ts';
