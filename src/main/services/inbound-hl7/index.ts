export { startInboundHl7Listener, type InboundHl7Listener, type InboundHl7ListenerOptions } from './inbound-listener.ts';
export { createInboundHl7Pipeline, type InboundHl7Pipeline, type InboundHl7PipelineOptions } from './inbound-pipeline.ts';
export type { InboundOutcome, ProcessedFrame } from './inbound-processor.ts';
export { journalKeyOf, openControlIdJournal, type ControlIdJournal } from './control-id-journal.ts';
