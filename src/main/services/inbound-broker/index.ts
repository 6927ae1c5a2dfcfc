export { brokerHl7Config, startBrokerSubscription, type StartBrokerOptions } from './start-broker-subscription.ts';
export type { AdtArrived, BrokerOutcome, BrokerState, BrokerSubscription } from './broker-subscription.ts';
export type { Decision } from './delivery-handler.ts';
export { bindingKeysOf, deadLetterQueueOf, queueNameOf, REASON_HEADER, routingKeyOf } from './routing.ts';
export { followSignedInWards, startWorkstationBroker, type WorkstationBrokerOptions } from './workstation-broker.ts';
