export {
  DEMO_DEAD_LETTER_EXCHANGE,
  DEMO_EXCHANGE,
  isDemoBrokerUnavailable,
  startDemoBroker,
  type DemoBroker,
  type DemoBrokerOptions,
  type DemoBrokerStart,
} from './demo-broker.ts';
export { createWardEvents, DEMO_WARDS, type WardEvent } from './ward-events.ts';
export { freePort, rabbitmqMissing, startRabbitmq, type RabbitmqOptions, type RabbitmqProcess } from './rabbitmq-process.ts';
