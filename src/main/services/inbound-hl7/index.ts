export { startInboundHl7Listener } from './inbound-listener.ts';
