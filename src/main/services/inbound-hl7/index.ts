export { startInboundHl7Listener, type InboundHl7Listener, type InboundHl7ListenerOptions } from './inbound-listener.ts';
export type { InboundOutcome } from './inbound-processor.ts';
export { journalKeyOf } from './control-id-journal.ts';
