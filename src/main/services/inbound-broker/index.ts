export type { AdtArrived, BrokerSubscription } from './broker-subscription.ts';
export { followSignedInWards, startWorkstationBroker } from './workstation-broker.ts';
