/**
 * Wires the broker subscription for a workstation: the inbound HL7 v2 path (shared with the MLLP
 * listener, completed from the configured hl7v2 source so records merge), the FHIR journal, the
 * credential for the broker URL, and the consumer. Needs the encrypted cache: what is
 * acknowledged to the broker must be durable somewhere.
 */
import type { BrokerConfig } from '../../../shared/config/broker.ts';
import { InboundHl7ConfigSchema, type HuizhenConfig, type InboundHl7Config } from '../../../shared/config/schema.ts';
import type { CacheStore } from '../cache/index.ts';
import { createInboundHl7Pipeline, openControlIdJournal } from '../inbound-hl7/index.ts';
import type { SecretSource } from './broker-url.ts';
import { startBrokerConsumer, type BrokerSubscription, type BrokerSubscriptionOptions } from './broker-subscription.ts';
import { createDeliveryHandler } from './delivery-handler.ts';

export interface StartBrokerOptions extends Pick<
  BrokerSubscriptionOptions,
  'initialWards' | 'onPatientUpdated' | 'onAdt' | 'onOutcome' | 'onState'
> {
  config: HuizhenConfig;
  store: CacheStore;
  /** The credential vault (broker.passwordRef). */
  secrets?: SecretSource;
  log?: (line: string) => void;
  /** The HL7 conversion worker's script (tests, the Electron bundle). */
  workerEntry?: URL | string;
}

/** The inbound HL7 settings for messages from the broker, completed from the hl7v2 source they belong to. */
export function brokerHl7Config(config: HuizhenConfig, broker: BrokerConfig): InboundHl7Config {
  const source = config.sources.find((s) => s.id === broker.hl7SourceId);
  if (!source || source.kind !== 'hl7v2') throw new Error(`broker.hl7SourceId "${broker.hl7SourceId}" must name a configured hl7v2 source`);
  // The MLLP listener's limits apply as they are configured there (or its defaults).
  const inbound = config.inboundHl7?.sourceId === broker.hl7SourceId ? config.inboundHl7 : undefined;
  return InboundHl7ConfigSchema.parse({
    ...(inbound ?? {}),
    enabled: false,
    sourceId: source.id,
    sourceName: inbound?.sourceName ?? source.name,
    ...((inbound?.patientIdAuthority ?? source.patientIdAuthority)
      ? { patientIdAuthority: inbound?.patientIdAuthority ?? source.patientIdAuthority }
      : {}),
    identifierSystems: { ...source.identifierSystems, ...inbound?.identifierSystems },
  });
}

export async function startBrokerSubscription(options: StartBrokerOptions): Promise<BrokerSubscription> {
  const broker = options.config.broker;
  if (!broker) throw new Error('no broker section in the configuration');
  const log = options.log ?? (() => {});
  const hl7 = await createInboundHl7Pipeline({
    config: brokerHl7Config(options.config, broker),
    store: options.store,
    log,
    unitSpellings: options.config.mappings.units,
    ...(options.workerEntry ? { workerEntry: options.workerEntry } : {}),
  });
  const fhirSource = broker.fhirSourceId ? options.config.sources.find((s) => s.id === broker.fhirSourceId) : undefined;
  if (broker.fhirSourceId && fhirSource?.kind !== 'fhir') {
    await hl7.close();
    throw new Error(`broker.fhirSourceId "${broker.fhirSourceId}" must name a configured fhir source`);
  }
  const fhir = fhirSource
    ? {
        sourceId: fhirSource.id,
        sourceName: fhirSource.name,
        journal: await openControlIdJournal(options.store, {
          sourceId: fhirSource.id,
          sourceName: fhirSource.name,
          window: broker.dedupeWindow,
          onUnreadable: (detail) => log(`broker: the remembered FHIR message ids could not be read (${detail}); starting without them`),
        }),
      }
    : undefined;
  const consumer = startBrokerConsumer({
    config: broker,
    handle: createDeliveryHandler({ hl7, store: options.store, ...(fhir ? { fhir } : {}) }),
    ...(options.secrets ? { secrets: options.secrets } : {}),
    ...(options.initialWards ? { initialWards: options.initialWards } : {}),
    ...(options.onPatientUpdated ? { onPatientUpdated: options.onPatientUpdated } : {}),
    ...(options.onAdt ? { onAdt: options.onAdt } : {}),
    ...(options.onOutcome ? { onOutcome: options.onOutcome } : {}),
    ...(options.onState ? { onState: options.onState } : {}),
    log,
  });
  return {
    ...consumer,
    state: consumer.state,
    counts: consumer.counts,
    wards: consumer.wards,
    onAdtArrived: consumer.onAdtArrived,
    setWards: consumer.setWards,
    async close() {
      // A mute broker's typed timeout still lets the conversion worker stop.
      try {
        await consumer.close();
      } finally {
        await hl7.close();
      }
    },
  };
}
