/**
 * Routing keys and the names this workstation declares on the broker. The platform publishes
 * HL7 v2 ADT under `adt.<ward>` and results (ORU or FHIR) under `oru.<ward>`; a workstation binds
 * its own durable queue to both keys of each of its wards.
 */
import { hostname } from 'node:os';
import type { BrokerConfig } from '../../../shared/config/broker.ts';

export const EVENT_KINDS = ['adt', 'oru'] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

export const routingKeyOf = (kind: EventKind, ward: string): string => `${kind}.${ward}`;

export function bindingKeysOf(wards: readonly string[]): string[] {
  return [...new Set(wards)].sort().flatMap((ward) => EVENT_KINDS.map((kind) => routingKeyOf(kind, ward)));
}

/** The kind and ward a delivery's routing key names; undefined for any other key. */
export function parseRoutingKey(key: string): { kind: EventKind; ward: string } | undefined {
  const match = /^(adt|oru)\.([A-Za-z0-9_-]+)$/.exec(key);
  return match ? { kind: match[1] as EventKind, ward: match[2]! } : undefined;
}

export function queueNameOf(config: BrokerConfig): string {
  return config.queue ?? `huizhen.${hostname().replace(/[^A-Za-z0-9._:-]/g, '-')}`;
}

export function deadLetterQueueOf(config: BrokerConfig): string {
  return config.deadLetterQueue ?? `${queueNameOf(config)}.dead`;
}

/** Header carrying why a message was dead-lettered (text for hospital IT, never patient data). */
export const REASON_HEADER = 'x-huizhen-reason';
