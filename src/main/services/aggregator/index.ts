export { fanOut, type FanOutResult, type FanOutTarget } from './fan-out.ts';
export { SourceGuard } from './source-guard.ts';
export { SourceStatusBoard } from './source-status-board.ts';
export type { SourceCallListener, SourceCallRecord } from './call-record.ts';
export { collectWarnings, type WarningCollector } from './warning-collector.ts';
