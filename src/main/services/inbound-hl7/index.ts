export { startInboundHl7Listener } from './inbound-listener.ts';
export { createInboundHl7Pipeline, type InboundHl7Pipeline } from './inbound-pipeline.ts';
export type { InboundOutcome } from './inbound-processor.ts';
export { openControlIdJournal, type ControlIdJournal } from './control-id-journal.ts';
